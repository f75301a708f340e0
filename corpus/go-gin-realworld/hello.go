package main

import (
	"database/sql"
	"log"
	"net/http"

	_ "github.com/mattn/go-sqlite3"

	"github.com/gothinkster/golang-gin-realworld-example-app/common"
)

func main() {
	db, err := sql.Open("sqlite3", "./gorm.db")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	http.HandleFunc("/api/ping", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(common.Pong)) })
	log.Fatal(http.ListenAndServe(":8080", nil))
}
