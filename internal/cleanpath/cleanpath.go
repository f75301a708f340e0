// Package cleanpath is filepath.Join, Dir and Clean for paths that are
// clean already, without cleaning them again: over the folders of a
// monorepo, cleaning paths that need none was a twentieth of a check's
// work. Any other path goes through package filepath, so the results are
// always filepath's.
package cleanpath

import (
	"path/filepath"
	"runtime"
	"strings"
)

// Join returns filepath.Join(dir, elem).
func Join(dir, elem string) string {
	if !isClean(dir) || elem == "" {
		return filepath.Join(dir, elem)
	}
	// Each leading ".." of elem takes the last element off dir.
	d, e := dir, elem
	for e == ".." || strings.HasPrefix(e, "../") {
		i := strings.LastIndexByte(d, '/')
		switch {
		case d == "." || d == "/":
			return filepath.Join(dir, elem)
		case i < 0:
			d = "."
		case i == 0:
			d = "/"
		default:
			d = d[:i]
		}
		e = strings.TrimPrefix(e[2:], "/")
	}
	switch {
	case e == "":
		return d
	case !isClean(e) || e == "." || e[0] == '/':
		return filepath.Join(dir, elem)
	case d == ".":
		return e
	case d == "/":
		return "/" + e
	}
	return d + "/" + e
}

// Dir returns filepath.Dir(path).
func Dir(path string) string {
	if !isClean(path) {
		return filepath.Dir(path)
	}
	switch i := strings.LastIndexByte(path, '/'); i {
	case -1:
		return "."
	case 0:
		return "/"
	default:
		return path[:i]
	}
}

// Clean returns filepath.Clean(path).
func Clean(path string) string {
	if isClean(path) {
		return path
	}
	return filepath.Clean(path)
}

// isClean reports whether filepath.Clean would return path as it is. It
// says no to every path with a ".." element: those go through filepath.
func isClean(path string) bool {
	switch {
	case runtime.GOOS == "windows" || path == "":
		return false
	case path == "." || path == "/":
		return true
	}
	start := 0 // of the element being read
	if path[0] == '/' {
		start = 1
	}
	for i := start; ; i++ {
		if i < len(path) && path[i] != '/' {
			continue
		}
		// An element may not be empty ("//", a trailing "/"), "." or "..".
		switch i - start {
		case 0:
			return false
		case 1:
			if path[start] == '.' {
				return false
			}
		case 2:
			if path[start] == '.' && path[start+1] == '.' {
				return false
			}
		}
		if i == len(path) {
			return true
		}
		start = i + 1
	}
}
