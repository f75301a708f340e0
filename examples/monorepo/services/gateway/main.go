// Command gateway is a placeholder service for the wharf monorepo example.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "gateway") })
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
