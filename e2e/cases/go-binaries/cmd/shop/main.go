// Command shop is the entrypoint of the go-binaries e2e case: one of two
// binaries built from one module, its version injected with -X from a
// build argument.
package main

import (
	"fmt"
	"os"

	"github.com/google/uuid"
)

// version is set at build time: -ldflags "-X main.version=${VERSION}".
var version = "unset"

func main() {
	// A name-based (v5) UUID is deterministic, so the expected output is fixed.
	id := uuid.NewSHA1(uuid.NameSpaceDNS, []byte("wharf.dev"))
	fmt.Printf("shop %s\nuuid: %s\nuid: %d\n", version, id, os.Getuid())
}
