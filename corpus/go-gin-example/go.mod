module github.com/EDDYCJY/go-gin-example

go 1.22
