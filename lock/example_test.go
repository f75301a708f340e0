package lock_test

import (
	"fmt"
	"strings"

	"github.com/wharf-dev/wharf/lock"
	"github.com/wharf-dev/wharf/spec"
)

// Pin rewrites the base images a lock records to name:tag@digest, and
// reports the images the lock lacks, which keep their tags.
func ExampleLock_Pin() {
	s, err := spec.Parse("wharf.yaml", []byte(`version: 1
name: hello
language: go
go: {main: ./cmd/hello}
images:
  builder: golang:1.26-trixie
  runner: gcr.io/distroless/static-debian12
`))
	if err != nil {
		panic(err)
	}
	l, err := lock.Parse("wharf.lock", []byte(`version: 1
images:
  golang:1.26-trixie:
    digest: sha256:`+strings.Repeat("ab", 32)+`
    resolved: 2026-11-26T18:00:00Z
    platforms: [linux/amd64, linux/arm64]
`))
	if err != nil {
		panic(err)
	}
	pins, problems := l.Pin(s)
	for _, p := range problems {
		fmt.Println(p)
	}
	fmt.Println(pins["golang:1.26-trixie"])
	fmt.Println(pins["gcr.io/distroless/static-debian12"] == "")
	// Output:
	// wharf.lock:2:1: gcr.io/distroless/static-debian12 is not locked; the Dockerfile uses its tag, which can move; run: wharf lock
	// golang:1.26-trixie@sha256:abababababababababababababababababababababababababababababababab
	// true
}
