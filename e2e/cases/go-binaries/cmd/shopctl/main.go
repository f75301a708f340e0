// Command shopctl is the second binary of the go-binaries e2e case, run in
// place of the image's entrypoint; it prints the version injected with -X
// and its arguments.
package main

import (
	"fmt"
	"os"
	"strings"
)

// version is set at build time: -ldflags "-X main.version=${VERSION}".
var version = "unset"

func main() {
	fmt.Printf("shopctl %s: %s\n", version, strings.Join(os.Args[1:], " "))
}
