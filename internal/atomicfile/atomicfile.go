// Package atomicfile writes files so that readers see the old content or
// the new, never a part, and a failed write leaves the old file untouched.
package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces name with data: the data goes to a temporary file in the
// same folder, which is then renamed over name.
func Write(name string, data []byte) error {
	tmp, err := temp(name, data)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // fails harmlessly after the rename
	return os.Rename(tmp, name)
}

// Create writes name, failing with an error that wraps fs.ErrExist if it
// exists: the temporary file is hard-linked to name, which fails rather
// than replace a file created in the meantime.
func Create(name string, data []byte) error {
	tmp, err := temp(name, data)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	err = os.Link(tmp, name)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		// No hard links here (some network and FUSE filesystems): create
		// the file exclusively instead, which is not atomic but never
		// replaces one.
		var f *os.File
		if f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
			_, err = f.Write(data)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
	}
	return err
}

// temp writes data to a new file, mode 0644, beside name, creating the
// folder if needed, and returns its path.
func temp(name string, data []byte) (string, error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".wharf-*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
