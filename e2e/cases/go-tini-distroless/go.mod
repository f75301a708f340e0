module example.com/gotini

go 1.22
