// Package readfile reads whole small files with as few system calls as the
// platform allows, and only regular files. wharf reads three or four small
// files per spec; on a monorepo of 10,000 specs, os.ReadFile's extra calls
// (registering the file with the poller) cost more than the reads. Every
// file wharf reads goes through Read or FS, so that a named pipe never
// blocks it and a device such as /dev/zero is never read: both are refused
// with an error naming the path (after following symbolic links).
package readfile

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
)

// ErrNotRegular is the error, wrapped in an *fs.PathError, for a path that
// is neither a regular file nor a folder: a named pipe, a device or a
// socket, itself or at the end of its symbolic links.
var ErrNotRegular = errors.New("not a regular file")

// notRegular returns the error for a path of mode m, saying what it is.
func notRegular(name string, m fs.FileMode) error {
	what := "a special file"
	switch {
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		what = "a character device"
	case m&fs.ModeDevice != 0:
		what = "a device"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	}
	return &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w: it is %s; wharf reads only regular files, so replace it with one (or remove it)", ErrNotRegular, what)}
}

// IsDir reports whether err is Read's error for a name that is a folder.
func IsDir(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Op == "read" && errors.Is(pe.Err, syscall.EISDIR)
}

// TooLarge returns the error for a file name longer than limit bytes, what
// says what the file is ("a spec", "an ignore file"), for the message.
func TooLarge(name, what string, limit int) error {
	return &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w: it is larger than %d bytes, too large for %s; check that it is the right file", ErrTooLarge, limit, what)}
}

// ErrTooLarge is wrapped by TooLarge's errors.
var ErrTooLarge = errors.New("file too large")

// ReadAll is Read of at most limit bytes that returns TooLarge's error
// when the file is longer: for a file that must be read whole.
func ReadAll(name, what string, limit int) ([]byte, error) {
	data, err := Read(name, 0, limit+1)
	if err == nil && len(data) > limit {
		return nil, TooLarge(name, what, limit)
	}
	return data, err
}
