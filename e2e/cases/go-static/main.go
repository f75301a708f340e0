// Command gostatic is a wharf e2e case: a static (CGO_ENABLED=0) Go binary
// with one third-party module, run in a shell-less distroless image.
package main

import (
	"fmt"
	"os"

	"github.com/google/uuid"
)

func main() {
	// A name-based (v5) UUID is deterministic, so the expected output is fixed.
	id := uuid.NewSHA1(uuid.NameSpaceDNS, []byte("wharf.dev"))
	fmt.Printf("uuid v%d: %s\n", id.Version(), id)
	if _, err := os.Stat("/bin/sh"); err == nil {
		fmt.Println("shell: present")
	} else {
		fmt.Println("shell: absent")
	}
	fmt.Printf("uid: %d\n", os.Getuid())
}
