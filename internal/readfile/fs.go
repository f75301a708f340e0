package readfile

import (
	"io/fs"
	"os"
	"path/filepath"
)

// FS returns the file system of the folder dir, as os.DirFS does, except
// that ReadFile reads through Read, refusing files longer than limit
// bytes, and that Open refuses what is neither a regular file nor a
// folder, so that nothing opened through it blocks on a named pipe.
func FS(dir string, limit int) fs.FS { return dirFS{os.DirFS(dir).(fsys), dir, limit} }

type fsys interface {
	fs.ReadDirFS
	fs.StatFS
}

type dirFS struct {
	fsys
	dir   string
	limit int
}

func (d dirFS) path(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return filepath.Join(d.dir, filepath.FromSlash(name)), nil
}

func (d dirFS) Open(name string) (fs.File, error) {
	full, err := d.path("open", name)
	if err != nil {
		return nil, err
	}
	if info, err := os.Stat(full); err == nil && !info.IsDir() && !info.Mode().IsRegular() {
		return nil, notRegular(name, info.Mode())
	}
	return d.fsys.Open(name)
}

func (d dirFS) ReadFile(name string) ([]byte, error) {
	full, err := d.path("read", name)
	if err != nil {
		return nil, err
	}
	data, err := Read(full, 0, d.limit+1)
	if err != nil {
		if pe, ok := err.(*fs.PathError); ok {
			pe.Path = name // as os.DirFS names it
		}
		return nil, err
	}
	if len(data) > d.limit {
		return nil, TooLarge(name, "wharf to read", d.limit)
	}
	return data, nil
}
