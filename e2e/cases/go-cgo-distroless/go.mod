module example.com/cgodl

go 1.26
