module example.com/gowritable

go 1.22
