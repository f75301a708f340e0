// Command rendergen compiles the built-in template blocks into Go
// (lang/render_gen.go); go generate in package lang runs it.
//
//	go run ./lang/internal/rendergen > lang/render_gen.go
package main

import (
	"fmt"
	"os"

	"github.com/wharf-dev/wharf/lang"
)

func main() {
	src, err := lang.CompileBlocks()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rendergen:", err)
		os.Exit(1)
	}
	os.Stdout.Write(src)
}
