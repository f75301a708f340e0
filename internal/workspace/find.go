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
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/wharf-dev/wharf/internal/cleanpath"
	"github.com/wharf-dev/wharf/internal/ignore"
	"github.com/wharf-dev/wharf/internal/readfile"
	"github.com/wharf-dev/wharf/spec"
)

// IgnoreFile names the file at the root of a walk whose gitignore-style
// patterns exclude folders and specs. They override those of the root's
// .gitignore; a .gitignore in a subfolder overrides both, for paths below it.
const IgnoreFile = ".wharfignore"

// gitignore names the files of gitignore(5) patterns that Find honours in
// every folder it enters.
const gitignore = ".gitignore"

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
//
// A folder below a pattern's root that cannot be read for want of
// permission (a database volume owned by another user) is skipped:
// ExpandListings reports it.
func Expand(args []string) ([]string, error) {
	specs, _, _, err := ExpandListings(args)
	return specs, err
}

// ExpandListings is Expand that also returns the listings of the folders
// it read while finding specs, for CheckOptions.Listings, and the folders
// it skipped because it may not read them, each as an error to show as a
// warning.
func ExpandListings(args []string) ([]string, Listings, []error, error) {
	if len(args) == 0 {
		args = []string{"."}
	}
	var specs []string
	var skipped []error
	listings := Listings{}
	for _, arg := range args {
		if root, ok := patternRoot(arg); ok {
			found, skip, err := find(root, listings)
			if err != nil {
				return nil, nil, nil, err
			}
			skipped = append(skipped, skip...)
			if len(found) == 0 {
				return nil, nil, nil, fmt.Errorf("%s matched no %s (wharf init writes one)", arg, spec.FileName)
			}
			specs = append(specs, found...)
			continue
		}
		if info, err := os.Stat(arg); err == nil && info.IsDir() {
			arg = filepath.Join(arg, spec.FileName)
		}
		specs = append(specs, filepath.Clean(arg))
	}
	sortPaths(specs)
	return slices.Compact(specs), listings, skipped, nil
}

// Listings holds the entries of folders as a walk read them, by clean
// folder path, so that Check need not read those folders again.
type Listings map[string][]fs.DirEntry

// readDir returns the entries of dir, from l when the walk read it.
func (l Listings) readDir(dir string) ([]fs.DirEntry, error) {
	if entries, ok := l[dir]; ok {
		return entries, nil
	}
	return os.ReadDir(dir)
}

// lacks reports that the walk read the folder of path and found no file
// named like it. It is false when it cannot tell: a folder not read, or
// a name that a case- or Unicode-insensitive file system could match
// with another spelling.
func (l Listings) lacks(path string) bool {
	entries, ok := l[cleanpath.Dir(path)]
	if !ok {
		return false
	}
	name := filepath.Base(path)
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			return false
		}
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), name) {
			return false
		}
	}
	return true
}

// comparePaths orders spec paths by folder, then file name: a folder's
// spec comes before those in its subfolders, and "a/b" sorts with "a"
// rather than after "a-b".
func comparePaths(a, b string) int {
	return strings.Compare(sortKey(a), sortKey(b))
}

// sortPaths sorts paths as comparePaths does, making each key once.
func sortPaths(paths []string) {
	type keyed struct{ key, path string }
	k := make([]keyed, len(paths))
	for i, p := range paths {
		k[i] = keyed{sortKey(p), p}
	}
	slices.SortFunc(k, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	for i := range k {
		paths[i] = k[i].path
	}
}

func sortKey(p string) string {
	dir, file := filepath.Split(p)
	dir = strings.TrimSuffix(dir, string(filepath.Separator))
	return strings.ReplaceAll(dir, string(filepath.Separator), "\x01") + "\x00" + file
}

// Find returns every wharf.yaml below root, in path order. It does not
// enter .git, node_modules, vendor or hidden folders, nor what .gitignore
// files exclude: those of root and of every folder it enters, with git's
// precedence (a deeper file decides first), and root's .wharfignore after
// root's .gitignore (see package internal/ignore for the pattern syntax
// supported). It does not follow symbolic links to folders.
//
// It skips the folders below root that it may not read.
func Find(root string) ([]string, error) {
	specs, _, err := find(root, nil)
	return specs, err
}

// find is Find, recording in listings, when not nil, the entries of
// every folder it reads, and returning the folders it skipped.
func find(root string, listings Listings) ([]string, []error, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, nil, fmt.Errorf("find specs: %w", err)
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("find specs: %s is not a folder", root)
	}
	excluded, err := loadIgnore(root)
	if err != nil {
		return nil, nil, err
	}
	w := walker{listings: listings, slots: make(chan struct{}, runtime.GOMAXPROCS(0)-1)}
	w.walk(filepath.Clean(root), "", excluded)
	w.wg.Wait()
	if len(w.errs) > 0 {
		// The error a walk in order would have met first, whichever
		// goroutine met it.
		first := slices.MinFunc(w.errs, walkOrder)
		return nil, nil, fmt.Errorf("find specs: %w", first.err)
	}
	sortPaths(w.specs)
	slices.SortFunc(w.skippedAt, walkOrder)
	skipped := make([]error, len(w.skippedAt))
	for i, s := range w.skippedAt {
		skipped[i] = s.err
	}
	return w.specs, skipped, nil
}

// A walker finds specs below a root. Folders are walked in parallel, up
// to GOMAXPROCS at once: the walk of a large tree is mostly system calls
// that another core can make meanwhile.
type walker struct {
	slots chan struct{} // a token for each goroutine beyond the first
	wg    sync.WaitGroup

	mu        sync.Mutex
	listings  Listings // when not nil, records every folder read
	specs     []string
	skippedAt []walkError // folders below the root it may not read
	errs      []walkError
}

// A walkError is a problem met at a folder of the walk.
type walkError struct {
	dir string
	err error
}

// walkOrder orders folders as a walk in name order reaches them: by
// their names from the root, one folder at a time.
func walkOrder(a, b walkError) int {
	return slices.Compare(strings.Split(a.dir, string(filepath.Separator)), strings.Split(b.dir, string(filepath.Separator)))
}

func (w *walker) fail(dir string, err error) {
	w.mu.Lock()
	w.errs = append(w.errs, walkError{dir, err})
	w.mu.Unlock()
}

// walk reads dir, whose path relative to the root is rel ("" for the
// root), records its spec and walks its subfolders. excluded holds the
// patterns of the ignore files of dir's parent folders; walk adds those
// of dir's own .gitignore, except at the root, where find read it.
func (w *walker) walk(dir, rel string, excluded *ignore.Matcher) {
	entries, err := readDir(dir)
	if rel != "" && errors.Is(err, fs.ErrPermission) {
		// Nothing wharf needs is known to be there; a spec there would
		// be one the user cannot read either.
		w.mu.Lock()
		w.skippedAt = append(w.skippedAt, walkError{dir, fmt.Errorf("skipped %s: %w; if it holds a %s, make it readable", dir, fs.ErrPermission, spec.FileName)})
		w.mu.Unlock()
		return
	} else if err != nil {
		w.fail(dir, err)
		return
	}
	if rel != "" {
		if excluded, err = nestedIgnore(dir, rel, entries, excluded); err != nil {
			w.fail(dir, err)
			return
		}
	}
	var found string
	type folder struct{ path, rel string }
	var subdirs []folder
	for _, e := range entries {
		name := e.Name()
		relPath := name
		if rel != "" {
			relPath = rel + "/" + name
		}
		switch {
		case !e.IsDir():
			if name == spec.FileName && !excluded.Match(relPath, false) {
				found = cleanpath.Join(dir, name)
			}
		case skipped[name] || strings.HasPrefix(name, ".") || excluded.Match(relPath, true):
		default:
			subdirs = append(subdirs, folder{cleanpath.Join(dir, name), relPath})
		}
	}
	if w.listings != nil || found != "" {
		w.mu.Lock()
		if w.listings != nil {
			if entries == nil {
				entries = []fs.DirEntry{}
			}
			w.listings[dir] = entries
		}
		if found != "" {
			w.specs = append(w.specs, found)
		}
		w.mu.Unlock()
	}
	for _, sub := range subdirs {
		select {
		case w.slots <- struct{}{}:
			w.wg.Add(1)
			go func() {
				defer func() { <-w.slots; w.wg.Done() }()
				w.walk(sub.path, sub.rel, excluded)
			}()
		default:
			w.walk(sub.path, sub.rel, excluded)
		}
	}
}

// readDir is os.ReadDir; tests replace it to refuse a folder even to root.
var readDir = os.ReadDir

// nestedIgnore adds to excluded the patterns of dir's .gitignore, reading
// it only when entries, dir's listing in name order, hold one.
func nestedIgnore(dir, rel string, entries []fs.DirEntry, excluded *ignore.Matcher) (*ignore.Matcher, error) {
	i, ok := slices.BinarySearchFunc(entries, gitignore, func(e fs.DirEntry, name string) int {
		return strings.Compare(e.Name(), name)
	})
	if !ok || entries[i].IsDir() {
		return excluded, nil
	}
	data, err := readIgnore(cleanpath.Join(dir, gitignore))
	if errors.Is(err, fs.ErrNotExist) {
		return excluded, nil // a dangling symbolic link, as at the root
	} else if err != nil {
		return nil, err
	}
	return excluded.Nested(rel, data), nil
}

// MaxIgnoreFile is the largest .gitignore or .wharfignore the walk reads.
const MaxIgnoreFile = 4 << 20

// readIgnore reads an ignore file of the walk.
func readIgnore(name string) ([]byte, error) {
	return readfile.ReadAll(name, "an ignore file", MaxIgnoreFile)
}

// loadIgnore reads root's .gitignore, then its .wharfignore.
func loadIgnore(root string) (*ignore.Matcher, error) {
	m := ignore.Parse(nil)
	for _, name := range []string{gitignore, IgnoreFile} {
		data, err := readIgnore(filepath.Join(root, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("find specs: %w", err)
		}
		m.Add(data)
	}
	return m, nil
}
