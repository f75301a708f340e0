// Command cgodl is a wharf e2e case: a cgo binary that calls glibc
// (gnu_get_libc_version, getpid) and so needs the runner's C library.
package main

/*
#include <gnu/libc-version.h>
#include <unistd.h>
*/
import "C"

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	v := C.GoString(C.gnu_get_libc_version())
	_, shErr := os.Stat("/bin/sh")
	fmt.Printf("cgo: glibc %s\n", strings.SplitN(v, ".", 2)[0]+".x")
	fmt.Printf("getpid matches: %v\n", int(C.getpid()) == os.Getpid())
	fmt.Printf("shell: %v\n", shErr == nil)
	fmt.Printf("uid: %d\n", os.Getuid())
}
