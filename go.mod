module github.com/wharf-dev/wharf

go 1.26
