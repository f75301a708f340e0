// Command gowritable writes into its runtime.writable folders and into
// its workdir, and prints what happened and who owns each folder.
package main

import (
	"errors"
	"fmt"
	"os"
	"path"
	"syscall"
)

func main() {
	fmt.Println("generated", generated) // zz_generated.go, from build.before
	for _, dir := range []string{"/app/data", "/var/lib/go-writable", "/data/cache", "/cache", "/app", "/"} {
		err := os.WriteFile(path.Join(dir, "probe"), []byte("written\n"), 0o644)
		var pe *os.PathError
		switch {
		case err == nil:
			fmt.Printf("write %s: ok\n", path.Join(dir, "probe"))
		case errors.As(err, &pe):
			fmt.Printf("write %s: %v\n", path.Join(dir, "probe"), pe.Err)
		default:
			fmt.Printf("write %s: %v\n", path.Join(dir, "probe"), err)
		}
	}
	for _, p := range []string{"/", "/app", "/app/data", "/var", "/var/lib", "/var/lib/go-writable", "/data", "/data/cache", "/cache"} {
		fi, err := os.Stat(p)
		if err != nil {
			fmt.Printf("%s: %v\n", p, err)
			continue
		}
		st := fi.Sys().(*syscall.Stat_t)
		fmt.Printf("%s: %d:%d %o\n", p, st.Uid, st.Gid, fi.Mode().Perm())
	}
	fmt.Printf("uid: %d\n", os.Getuid())
}
