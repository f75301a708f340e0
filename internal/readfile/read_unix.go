//go:build unix

package readfile

import (
	"io/fs"
	"syscall"
)

// Read returns the contents of the file name, or its first limit bytes
// when it is longer. size is the length expected, if known (0 if not), so
// that one buffer holds it. Errors are *fs.PathError, as os.ReadFile's are;
// a folder gives a "read" error wrapping syscall.EISDIR (see IsDir).
//
// The file is read with plain open, read and close calls: it is never
// registered with the runtime's poller, which a regular file does not use.
func Read(name string, size, limit int) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	if size <= 0 {
		size = 512
	}
	// One more byte than expected, so that a file of the expected size is
	// read by one call and the next returns end of file.
	buf := make([]byte, 0, min(size+1, limit))
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):min(cap(buf), limit)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			break
		}
		buf = buf[:len(buf)+n]
	}
	return buf, nil
}
