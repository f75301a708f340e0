package atomicfile

import (
	"errors"
	"fmt"
	"os"
)

// File is one file for WriteAll.
type File struct {
	Name string
	Data []byte
}

// rename is os.Rename; tests replace it to fail on purpose.
var rename = os.Rename

// WriteAll replaces several files as one change: each is written to a
// temporary file beside it first, and only when all are written are they
// renamed over their names. An error while writing (a full disk, a folder
// that cannot be created, a name that is a folder) leaves every old file
// as it was. It returns how many files were replaced: a rename can still
// fail after another succeeded, and the error then says so.
func WriteAll(files []File) (int, error) {
	tmps := make([]string, 0, len(files))
	cleanup := func() {
		for _, t := range tmps {
			done(t)
		}
	}
	for _, f := range files {
		if info, err := os.Stat(f.Name); err == nil && info.IsDir() {
			cleanup()
			return 0, fmt.Errorf("%s is a folder, not a file; nothing was written", f.Name)
		}
		tmp, err := temp(f.Name, f.Data)
		if err != nil {
			cleanup()
			return 0, fmt.Errorf("write %s: %w; nothing was written", f.Name, err)
		}
		tmps = append(tmps, tmp)
	}
	for i, f := range files {
		if err := rename(tmps[i], f.Name); err != nil {
			tmps = tmps[i:]
			cleanup()
			err = fmt.Errorf("replace %s: %w", f.Name, err)
			if i > 0 {
				err = errors.Join(err, fmt.Errorf("%d of %d files were already replaced; run the command again", i, len(files)))
			}
			return i, err
		}
		forget(tmps[i])
	}
	return len(files), nil
}
