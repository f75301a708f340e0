// Package atomicfile writes files so that readers see the old content or
// the new, never a part, and a failed write leaves the old file untouched.
package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Write replaces name with data: the data goes to a temporary file in the
// same folder, which is then renamed over name.
func Write(name string, data []byte) error {
	tmp, err := temp(name, data)
	if err != nil {
		return err
	}
	defer done(tmp) // the removal fails harmlessly after the rename
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
	defer done(tmp)
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

// TempPrefix is how the name of the temporary file written for name
// starts, in name's folder: "." + the file's name + ".wharf-", then
// digits. An interrupted write can leave one behind (see RemoveTemps).
func TempPrefix(name string) string { return "." + filepath.Base(name) + ".wharf-" }

// temps holds the temporary files being written or waiting to be renamed,
// so that RemoveTemps can remove them when the program is interrupted.
var temps struct {
	sync.Mutex
	names  map[string]bool
	closed bool // set by RemoveTemps: no more temporary files
}

// errClosed is temp's error once RemoveTemps has run.
var errClosed = errors.New("interrupted; nothing more is written")

// RemoveTemps removes the temporary files of writes in progress, and
// makes every later write fail: a program calls it when interrupted, just
// before it exits, so that no ".<name>.wharf-*" file stays behind.
func RemoveTemps() {
	temps.Lock()
	defer temps.Unlock()
	temps.closed = true
	for name := range temps.names {
		os.Remove(name)
	}
	temps.names = nil
}

// forget removes a temporary file from temps once it is renamed or removed.
func forget(name string) {
	temps.Lock()
	delete(temps.names, name)
	temps.Unlock()
}

// temp writes data to a new file, mode 0644, beside name, creating the
// folder if needed, and returns its path, recorded in temps until forget.
func temp(name string, data []byte) (string, error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return "", err
	}
	temps.Lock()
	if temps.closed {
		temps.Unlock()
		return "", errClosed
	}
	f, err := os.CreateTemp(filepath.Dir(name), TempPrefix(name)+"*")
	if err == nil {
		if temps.names == nil {
			temps.names = map[string]bool{}
		}
		temps.names[f.Name()] = true
	}
	temps.Unlock()
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
		forget(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// done removes the temporary file tmp, if a rename left it, and forgets it.
func done(tmp string) {
	os.Remove(tmp)
	forget(tmp)
}
