module example.com/monorepo/gateway

go 1.23
