// Command gotini prints what PID 1 of its container runs and who its
// parent is: under tini, PID 1 is tini and the program is its child.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	b, err := os.ReadFile("/proc/1/cmdline")
	if err != nil {
		fmt.Println("read /proc/1/cmdline:", err)
		os.Exit(1)
	}
	fmt.Printf("pid 1: %s\n", strings.ReplaceAll(strings.TrimRight(string(b), "\x00"), "\x00", " "))
	fmt.Printf("parent: %d\n", os.Getppid())
	fmt.Printf("uid: %d\n", os.Getuid())
}
