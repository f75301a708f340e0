package main

import (
	"fmt"
	"log"
	"net/http"

	"github.com/EDDYCJY/go-gin-example/pkg/setting"
)

func main() {
	port := setting.Setup()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	log.Fatal(http.ListenAndServe(fmt.Sprintf(":%d", port), nil))
}
