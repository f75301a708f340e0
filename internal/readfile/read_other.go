//go:build !unix

package readfile

import (
	"io"
	"io/fs"
	"os"
	"syscall"
)

// Read returns the contents of the regular file name, or its first limit
// bytes when it is longer. size is the length expected, if known (0 if
// not). Errors are *fs.PathError, as os.ReadFile's are; a folder gives a
// "read" error wrapping syscall.EISDIR (see IsDir), and anything else that
// is not a regular file an error wrapping ErrNotRegular.
func Read(name string, size, limit int) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: syscall.EISDIR}
	}
	if !info.Mode().IsRegular() {
		return nil, notRegular(name, info.Mode())
	}
	buf := make([]byte, 0, min(max(size, 512)+1, limit))
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):min(cap(buf), limit)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}
