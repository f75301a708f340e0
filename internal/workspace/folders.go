package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/wharf-dev/wharf/internal/cleanpath"
	"github.com/wharf-dev/wharf/internal/ignore"
)

// PatternRoot returns the folder a pattern argument ("./...", "dir/...")
// walks, and whether arg is a pattern.
func PatternRoot(arg string) (string, bool) { return patternRoot(arg) }

// Folders walks the folders below root (root included) in name order, as
// Find does: it does not enter .git, node_modules, vendor or hidden
// folders, folders for which skip reports true, nor what root's
// .gitignore and .wharfignore and the .gitignore files below exclude. It
// calls visit with each folder's path and listing; visit returns whether
// to walk into the folder's subfolders. Folders below root that it may
// not read are skipped and returned, each as an error to show as a
// warning.
//
// It walks one folder at a time: wharf init, its user, reads a project
// tree once.
func Folders(root string, skip func(name string) bool, visit func(dir string, entries []fs.DirEntry) bool) ([]error, error) {
	excluded, err := loadIgnore(root)
	if err != nil {
		return nil, err
	}
	var skippedDirs []error
	var walk func(dir, rel string, excluded *ignore.Matcher) error
	walk = func(dir, rel string, excluded *ignore.Matcher) error {
		entries, err := readDir(dir)
		if rel != "" && errors.Is(err, fs.ErrPermission) {
			skippedDirs = append(skippedDirs, fmt.Errorf("skipped %s: %w; if it holds a project, make it readable", dir, fs.ErrPermission))
			return nil
		} else if err != nil {
			return err
		}
		if rel != "" {
			if excluded, err = nestedIgnore(dir, rel, entries, excluded); err != nil {
				return err
			}
		}
		if !visit(dir, entries) {
			return nil
		}
		for _, e := range entries {
			name := e.Name()
			relPath := name
			if rel != "" {
				relPath = rel + "/" + name
			}
			if !e.IsDir() || skipped[name] || strings.HasPrefix(name, ".") || skip(name) || excluded.Match(relPath, true) {
				continue
			}
			if err := walk(cleanpath.Join(dir, name), relPath, excluded); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(filepath.Clean(root), "", excluded); err != nil {
		return nil, fmt.Errorf("find projects: %w", err)
	}
	return skippedDirs, nil
}
