// Package detect reads a project's folder and proposes a wharf spec for
// it: the language, and what that language's recipe needs, taken from the
// project's own files (pyproject.toml, go.mod, package.json and friends).
//
// Detection only reads files, through an fs.FS, and is deterministic: the
// same folder gives the same proposal. Proposal.YAML renders the proposal
// as a commented wharf.yaml; wharf init writes it.
package detect

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/wharf-dev/wharf/spec"
)

// Errors Detect returns, for errors.Is.
var (
	// ErrNoProject: no file tells the project's language.
	ErrNoProject = errors.New("no project files found")
	// ErrAmbiguous: files of more than one language were found.
	ErrAmbiguous = errors.New("more than one language found")
)

// Proposal is a spec that detection proposes, with the reason for each
// value, which Proposal.YAML writes as comments.
type Proposal struct {
	Language string
	Name     string
	// Sources are the project files detection read, e.g. "pyproject.toml".
	Sources []string

	Builder, Runner string // base image references
	ImagesWhy       string

	BuildPackages    []string
	BuildPackagesWhy string
	DependencyFiles  []string
	DependencyWhy    string

	Python *Python
	Go     *Go
	Node   *Node

	Artifacts    []spec.Artifact
	ArtifactsWhy string

	Cmd    []string // runtime.cmd; empty leaves the recipe's default
	CmdWhy string

	// Notes are things the user should know or do, which the spec cannot
	// hold, such as a missing lockfile.
	Notes []string
}

// Python is the proposed python section.
type Python struct {
	Project      string // "" when only requirements are installed
	Requirements []string
}

// Go is the proposed go section.
type Go struct {
	Main    string
	Binary  string // "" when it equals the spec's name
	MainWhy string
	CGO     bool
	CGOWhy  string
}

// Node is the proposed node section.
type Node struct {
	Manager    string
	ManagerWhy string
	Build      string // a package.json script name, or ""
	Output     string
	OutputWhy  string
}

// markers are the files that tell each language, as fs.Glob patterns.
var markers = map[string][]string{
	python: {"pyproject.toml", "setup.py", "requirements*.txt"},
	golang: {"go.mod"},
	node:   {"package.json"},
}

// The languages detection knows, in the order it tries them.
const (
	python = "python"
	golang = "go"
	node   = "node"
)

var languages = []string{python, golang, node}

// Detect proposes a spec for the project whose folder is fsys's root.
// dirName is the folder's name, the spec's name when the project names
// none. lang, when not empty, forces the language; otherwise the files of
// exactly one language must be present, or Detect returns ErrNoProject
// or ErrAmbiguous with what it found.
func Detect(fsys fs.FS, dirName string, lang string) (*Proposal, error) {
	found := map[string][]string{}
	var all []string
	for _, l := range languages {
		for _, pattern := range markers[l] {
			names, err := fs.Glob(fsys, pattern)
			if err != nil {
				return nil, err
			}
			for _, n := range names {
				if isFile(fsys, n) {
					found[l] = append(found[l], n)
					all = append(all, fmt.Sprintf("%s (%s)", n, l))
				}
			}
		}
	}
	if lang == "" {
		var langs []string
		for _, l := range languages {
			if len(found[l]) > 0 {
				langs = append(langs, l)
				lang = l
			}
		}
		switch len(langs) {
		case 0:
			return nil, fmt.Errorf("%w: wharf looks for %s; run wharf init in the project's folder, or pass it: wharf init path/to/project", ErrNoProject, markerList())
		case 1:
		default:
			return nil, fmt.Errorf("%w: found %s; pass --language %s to choose", ErrAmbiguous, strings.Join(all, ", "), strings.Join(langs, " or --language "))
		}
	}
	p := &Proposal{Language: lang}
	var err error
	switch lang {
	case python:
		err = detectPython(fsys, p)
	case golang:
		err = detectGo(fsys, p)
	case node:
		err = detectNode(fsys, p)
	default:
		return nil, fmt.Errorf("language %q is not supported; use python, go or node", lang)
	}
	if err != nil {
		return nil, err
	}
	if p.Name == "" {
		p.Name = specName(dirName)
	}
	slices.Sort(p.Sources)
	p.Sources = slices.Compact(p.Sources)
	return p, nil
}

func markerList() string {
	var names []string
	for _, l := range languages {
		names = append(names, markers[l]...)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func isFile(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.Mode().IsRegular()
}

func isDir(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.IsDir()
}

func readFile(fsys fs.FS, name string) (string, bool) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", false
	}
	return string(data), true
}

var (
	nameInvalid = regexp.MustCompile(`[^a-z0-9._-]+`)
	nameStart   = regexp.MustCompile(`^[^a-z0-9]+`)
)

// specName turns a project's name into a valid spec name: lowercase,
// with runs of other characters replaced by '-'. It returns "app" when
// nothing is left.
func specName(name string) string {
	n := nameInvalid.ReplaceAllString(strings.ToLower(name), "-")
	n = nameStart.ReplaceAllString(n, "")
	n = strings.TrimRight(n, "-._")
	if len(n) > 128 {
		n = strings.TrimRight(n[:128], "-._")
	}
	if n == "" {
		return "app"
	}
	return n
}

// skipDir reports folders that hold no project source: VCS data,
// dependencies, virtual environments, build output.
func skipDir(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return true
	}
	switch name {
	case "node_modules", "vendor", "testdata", "venv", "env", "build", "dist", "site-packages":
		return true
	}
	return false
}

// walkFiles calls fn for each regular file below root in lexical order,
// skipping the folders skipDir names.
func walkFiles(fsys fs.FS, root string, fn func(name string)) {
	_ = fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable entries are no evidence
		}
		if d.IsDir() {
			if name != root && skipDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			fn(name)
		}
		return nil
	})
}

// joinList is "a", "a and b" or "a, b and c".
func joinList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// cleanRel cleans a slash path relative to the project, or returns "" when
// it leaves the project or is absolute.
func cleanRel(p string) string {
	p = path.Clean(strings.TrimPrefix(p, "./"))
	if path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
		return ""
	}
	return p
}
