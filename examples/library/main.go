// Command library prints the Dockerfile of the spec at its only argument,
// exactly as wharf generate -o - does: custom templates and wharf.lock
// included. It is the README's library example, kept equal to it by a test.
package main

import (
	"fmt"
	"os"

	"github.com/wharf-dev/wharf"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: library PATH (a wharf.yaml, or its folder)")
		os.Exit(2)
	}
	r, err := wharf.Generate(os.Args[1], wharf.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // a spec.ErrorList prints every problem
		os.Exit(2)
	}
	for _, w := range append(r.Warnings, r.LockProblems...) {
		fmt.Fprintln(os.Stderr, "warning:", w)
	}
	os.Stdout.Write(r.Files[0].Data) // Files[1] is the .dockerignore
}
