package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/rakyll/hey/requester"
)

func main() {
	n := flag.Int("n", 200, "Number of requests to run.")
	flag.Parse()
	if flag.NArg() < 1 {
		fmt.Fprintln(os.Stderr, "Usage: hey [options...] <url>")
		os.Exit(1)
	}
	requester.Run(flag.Arg(0), *n)
}
