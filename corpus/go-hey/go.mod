module github.com/rakyll/hey

go 1.22
