// Package readfile reads whole small files with as few system calls as the
// platform allows. wharf reads three or four small files per spec; on a
// monorepo of 10,000 specs, os.ReadFile's extra calls (registering the file
// with the poller, then fstat for its size) cost more than the reads.
package readfile

import (
	"errors"
	"io/fs"
	"syscall"
)

// IsDir reports whether err is Read's error for a name that is a folder.
func IsDir(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Op == "read" && errors.Is(pe.Err, syscall.EISDIR)
}
