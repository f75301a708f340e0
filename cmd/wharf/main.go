// Command wharf turns a wharf.yaml spec into a multi-stage Dockerfile.
package main

import (
	"os"

	"github.com/wharf-dev/wharf/cmd/wharf/internal/cli"
)

func main() { os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
