// Command monorepo writes a synthetic monorepo of N wharf services for
// benchmarks (see package internal/monorepo).
//
//	go run ./scripts/monorepo -n 10000 -o /tmp/mono10k
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/wharf-dev/wharf/internal/monorepo"
)

func main() {
	n := flag.Int("n", 1000, "number of services")
	out := flag.String("o", "", "folder to write (must not exist)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: monorepo -n N -o DIR")
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "monorepo: %s exists; remove it or pick another folder\n", *out)
		os.Exit(2)
	}
	if err := monorepo.Write(*out, *n); err != nil {
		fmt.Fprintln(os.Stderr, "monorepo:", err)
		os.Exit(1)
	}
}
