module example.com/monorepo/notifier

go 1.23
