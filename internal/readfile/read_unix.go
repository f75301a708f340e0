//go:build unix

package readfile

import (
	"io/fs"
	"syscall"
)

// Read returns the contents of the regular file name, or its first limit
// bytes when it is longer. size is the length expected, if known (0 if
// not), so that one buffer holds it. Errors are *fs.PathError, as
// os.ReadFile's are; a folder gives a "read" error wrapping
// syscall.EISDIR (see IsDir), and anything else that is not a regular file
// an error wrapping ErrNotRegular.
//
// The file is read with plain open, fstat, read and close calls: it is
// never registered with the runtime's poller, which a regular file does
// not use. It is opened without blocking, so that a named pipe is refused
// rather than waited on.
func Read(name string, size, limit int) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFREG:
	case syscall.S_IFDIR:
		return nil, &fs.PathError{Op: "read", Path: name, Err: syscall.EISDIR}
	default:
		return nil, notRegular(name, modeOf(st.Mode))
	}
	if st.Size > 0 && st.Size < int64(limit) {
		size = int(st.Size)
	}
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
		asked := min(cap(buf), limit) - len(buf)
		buf = buf[:len(buf)+n]
		if n < asked && int64(len(buf)) == st.Size {
			// A short read of a regular file that ends where fstat said
			// the file does is its end: the read that would return 0
			// is a system call saved per file.
			break
		}
	}
	return buf, nil
}

// modeOf returns the fs.FileMode type bits of a stat mode.
func modeOf(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	}
	return fs.ModeIrregular
}
