// Package workspace runs wharf over specs on disk: it finds the specs below
// a folder, compares what they generate with the files there, and writes
// them, on many specs in parallel with results in a stable order.
package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wharf-dev/wharf/internal/ignore"
	"github.com/wharf-dev/wharf/spec"
)

// IgnoreFile names the file at the root of a walk whose gitignore-style
// patterns exclude folders and specs, after those of the root's .gitignore.
const IgnoreFile = ".wharfignore"

// skipped are folder names never walked into.
var skipped = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// IsPattern reports whether a PATH argument names every spec below a
// folder: "./...", "dir/..." or "...".
func IsPattern(arg string) bool {
	_, ok := patternRoot(arg)
	return ok
}

func patternRoot(arg string) (string, bool) {
	if arg == "..." {
		return ".", true
	}
	root, ok := strings.CutSuffix(filepath.ToSlash(arg), "/...")
	if !ok {
		return "", false
	}
	if root == "" {
		root = "/"
	}
	return filepath.FromSlash(root), true
}

// Expand turns PATH arguments into spec files, sorted by path and without
// repeats. A pattern ("dir/...") stands for every spec Find finds below
// dir; any other argument is a spec file or a folder holding wharf.yaml,
// kept even if it does not exist so that loading it reports why. No
// arguments means ".".
func Expand(args []string) ([]string, error) {
	if len(args) == 0 {
		args = []string{"."}
	}
	var specs []string
	for _, arg := range args {
		if root, ok := patternRoot(arg); ok {
			found, err := Find(root)
			if err != nil {
				return nil, err
			}
			if len(found) == 0 {
				return nil, fmt.Errorf("%s matched no %s (wharf init writes one)", arg, spec.FileName)
			}
			specs = append(specs, found...)
			continue
		}
		if info, err := os.Stat(arg); err == nil && info.IsDir() {
			arg = filepath.Join(arg, spec.FileName)
		}
		specs = append(specs, filepath.Clean(arg))
	}
	slices.SortFunc(specs, comparePaths)
	return slices.Compact(specs), nil
}

// comparePaths orders spec paths by folder, then file name: a folder's
// spec comes before those in its subfolders, and "a/b" sorts with "a"
// rather than after "a-b".
func comparePaths(a, b string) int {
	return strings.Compare(sortKey(a), sortKey(b))
}

func sortKey(p string) string {
	dir, file := filepath.Split(p)
	dir = strings.TrimSuffix(dir, string(filepath.Separator))
	return strings.ReplaceAll(dir, string(filepath.Separator), "\x01") + "\x00" + file
}

// Find returns every wharf.yaml below root, in path order. It does not
// enter .git, node_modules, vendor or hidden folders, nor what the
// gitignore-style patterns of root's .gitignore and .wharfignore exclude
// (see package internal/ignore for the subset supported); it does not
// follow symbolic links to folders.
func Find(root string) ([]string, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("find specs: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("find specs: %s is not a folder", root)
	}
	excluded, err := loadIgnore(root)
	if err != nil {
		return nil, err
	}
	var specs []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("find specs: %w", err)
		}
		if path == root {
			return nil
		}
		name := d.Name()
		rel, _ := filepath.Rel(root, path) // path is below root
		if d.IsDir() {
			if skipped[name] || strings.HasPrefix(name, ".") || excluded.Match(filepath.ToSlash(rel), true) {
				return filepath.SkipDir
			}
			return nil
		}
		if name == spec.FileName && !excluded.Match(filepath.ToSlash(rel), false) {
			specs = append(specs, path)
		}
		return nil
	})
	slices.SortFunc(specs, comparePaths)
	return specs, err
}

// loadIgnore reads root's .gitignore, then its .wharfignore.
func loadIgnore(root string) (*ignore.Matcher, error) {
	m := &ignore.Matcher{}
	for _, name := range []string{".gitignore", IgnoreFile} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("find specs: %w", err)
		}
		m.Add(data)
	}
	return m, nil
}
