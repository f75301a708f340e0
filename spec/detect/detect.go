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
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
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
	// ImagesNote, when not empty, is said on stderr while Builder and
	// Runner are detection's (an existing Dockerfile's images clear it).
	ImagesNote string

	BuildPackages    []string
	BuildPackagesWhy string
	DependencyFiles  []string
	DependencyWhy    string

	// Section is the proposed section of the language, key by key.
	Section []Field

	Artifacts    []spec.Artifact
	ArtifactsWhy string

	// Expose are the ports the app listens on (runtime.expose); ExposeWhy
	// says where they were found.
	Expose    []int
	ExposeWhy string

	Cmd    []string // runtime.cmd; empty leaves the recipe's default
	CmdWhy string
	// CmdSure says how sure detection is of Cmd; with Unknown, the spec
	// holds it commented out, and init says it cannot tell, unless
	// CmdFails: then Cmd is a command that exits saying so, for a language
	// whose spec needs a cmd.
	CmdSure  Confidence
	CmdFails bool

	// Notes are things the user should know or do, which the spec cannot
	// hold, such as a missing lockfile.
	Notes []string

	// Output is the spec's output when it is not the default Dockerfile,
	// e.g. beside a hand-written Dockerfile.
	Output, OutputWhy string
	// Compose is the spec's compose file (wharf init --compose), empty for
	// none.
	Compose, ComposeWhy string
	// Build and Runtime are further keys of the build and runtime
	// sections, in the order written (Runtime before cmd).
	Build, Runtime []Field
	// Ignore are the spec's ignore lines.
	Ignore    []string
	IgnoreWhy string
	// SharedBy, for a base spec (see Share), names the services whose
	// specs extend it; a base has no name.
	SharedBy []string
	// Extends is the base spec the spec extends, relative to its folder;
	// Inherited are the paths of the values (see Items) it takes from
	// there instead of holding them.
	Extends   string
	Inherited []string
	// Leftovers are the instructions of an existing Dockerfile that the
	// spec does not hold, written as comments at the end of the spec so
	// that nothing is dropped silently.
	Leftovers []Leftover
}

// Leftover is an instruction of an existing Dockerfile that no key of the
// proposed spec holds.
type Leftover struct {
	// At is the instruction's position, "Dockerfile:12" (or a range,
	// "Dockerfile:20-31", for a whole stage).
	At string
	// Code is the instruction, shortened, with credentials redacted.
	Code string
	// Why says what became of it.
	Why string
	// Handled: wharf's recipe does the same its own way; otherwise it is
	// not carried over, and the user should decide.
	Handled bool
}

// Field is one proposed key of the language's section.
type Field struct {
	Key string
	// Value is the key's value as YAML writes it (see Scalar and
	// FlowList); empty writes only Why, as a comment.
	Value string
	// Why says where the value comes from, written as a comment above it.
	Why string
	// Sure says how sure detection is; with Unknown, the key is written
	// commented out, for the user to decide.
	Sure Confidence
	// Lines, when Value is empty, are the value's lines as a YAML block
	// (a mapping or a list), written indented below the key.
	Lines []string
}

// Confidence is how sure detection is of a proposed value.
type Confidence int

// Confidences, from the most sure.
const (
	// Certain: the project says it (a lockfile, a directive, a manifest field).
	Certain Confidence = iota
	// Likely: inferred from the project's layout or conventions; check it.
	Likely
	// Unknown: detection cannot tell; the value is a placeholder.
	Unknown
)

// A Language is what detection needs of a language: the files that tell
// its projects, and how to read them into a proposal. Package lang
// registers every language.
type Language interface {
	Name() string
	// Markers are fs.Glob patterns of the files that tell the language.
	Markers() []string
	// Detect fills in p (its Language is set) for the project whose
	// folder is fsys's root.
	Detect(fsys fs.FS, p *Proposal) error
}

var registry struct {
	sync.RWMutex
	list []Language
}

// Register adds languages that Detect can tell. Package lang calls it.
func Register(langs ...Language) {
	registry.Lock()
	defer registry.Unlock()
	registry.list = append(registry.list, langs...)
}

func languages() []Language {
	registry.RLock()
	defer registry.RUnlock()
	return registry.list
}

// Detect proposes a spec for the project whose folder is fsys's root.
// dirName is the folder's name, the spec's name when the project names
// none. lang, when not empty, forces the language; otherwise the files of
// exactly one language must be present, or Detect returns ErrNoProject
// or ErrAmbiguous with what it found.
func Detect(fsys fs.FS, dirName string, lang string) (*Proposal, error) {
	found := map[string][]string{}
	var all []string
	for _, unit := range languages() {
		l := unit.Name()
		for _, pattern := range unit.Markers() {
			names, err := fs.Glob(fsys, pattern)
			if err != nil {
				return nil, err
			}
			for _, n := range names {
				if IsFile(fsys, n) {
					found[l] = append(found[l], n)
					all = append(all, fmt.Sprintf("%s (%s)", n, l))
				}
			}
		}
	}
	if lang == "" {
		var langs []string
		for _, unit := range languages() {
			if l := unit.Name(); len(found[l]) > 0 {
				langs = append(langs, l)
				lang = l
			}
		}
		switch len(langs) {
		case 0:
			return nil, fmt.Errorf("%w: wharf looks for %s; run wharf init in the project's folder, or pass it: wharf init path/to/project", ErrNoProject, MarkerList())
		case 1:
		default:
			return nil, fmt.Errorf("%w: found %s; pass --language %s to choose", ErrAmbiguous, strings.Join(all, ", "), strings.Join(langs, " or --language "))
		}
	}
	var unit Language
	for _, u := range languages() {
		if u.Name() == lang {
			unit = u
		}
	}
	if unit == nil {
		return nil, fmt.Errorf("language %q is not supported; use %s", lang, nameList())
	}
	p := &Proposal{Language: lang}
	if err := unit.Detect(fsys, p); err != nil {
		return nil, err
	}
	if p.Name == "" {
		p.Name = SpecName(dirName)
	}
	if len(p.Expose) == 0 {
		if ports, why, source, envVar := ProjectPorts(fsys); len(ports) > 0 {
			p.Expose, p.ExposeWhy = ports, why
			p.Sources = append(p.Sources, source)
			if envVar != "" {
				// The env file is a template or a local file: nothing in
				// the image reads it, so the app would pick another port.
				p.SetEnv(envVar, strconv.Itoa(ports[0]), fmt.Sprintf("%s is not read in the image: the app gets its port from %s, set to the file's default so that it listens on the exposed port.", source, envVar))
			}
		}
	}
	slices.Sort(p.Sources)
	p.Sources = slices.Compact(p.Sources)
	return p, nil
}

// MarkerList names the files that tell a project's language: "go.mod,
// package.json or ...".
func MarkerList() string {
	var names []string
	for _, l := range languages() {
		names = append(names, l.Markers()...)
	}
	return orList(names)
}

// nameList is "python, go or node": the registered languages.
func nameList() string {
	var names []string
	for _, l := range languages() {
		names = append(names, l.Name())
	}
	return orList(names)
}

// orList is spec.OrList, saying so when no language is registered.
func orList(items []string) string {
	if len(items) == 0 {
		return "(no language registered: import github.com/wharf-dev/wharf/lang)"
	}
	return spec.OrList(items)
}

// IsFile reports whether name is a regular file in fsys.
func IsFile(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.Mode().IsRegular()
}

// IsDir reports whether name is a folder in fsys.
func IsDir(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.IsDir()
}

// ReadFile returns the text of the file name in fsys, and whether it could be read.
func ReadFile(fsys fs.FS, name string) (string, bool) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", false
	}
	return string(data), true
}

var (
	nameInvalid = lazyregexp.New(`[^a-z0-9._-]+`)
	nameStart   = lazyregexp.New(`^[^a-z0-9]+`)
)

// SpecName turns a project's name into a valid spec name: lowercase,
// with runs of other characters replaced by '-'. It returns "app" when
// nothing is left.
func SpecName(name string) string {
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

// SkipDir reports folders that hold no project source: VCS data,
// dependencies, virtual environments, build output.
func SkipDir(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return true
	}
	switch name {
	case "node_modules", "vendor", "testdata", "venv", "env", "build", "dist", "site-packages":
		return true
	}
	return false
}

// WalkFiles calls fn for each regular file below root in lexical order,
// skipping the folders SkipDir names.
func WalkFiles(fsys fs.FS, root string, fn func(name string)) {
	_ = fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable entries are no evidence
		}
		if d.IsDir() {
			if name != root && SkipDir(d.Name()) {
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

// JoinList is "a", "a and b" or "a, b and c".
func JoinList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// CleanRel cleans a slash path relative to the project, or returns "" when
// it leaves the project or is absolute.
func CleanRel(p string) string {
	p = path.Clean(strings.TrimPrefix(p, "./"))
	if path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
		return ""
	}
	return p
}

// SetEnv adds NAME: value to the proposal's runtime.env, unless the
// variable is set already, with why added to the field's reason.
func (p *Proposal) SetEnv(name, value, why string) {
	line := name + ": " + jsonString(value)
	i := slices.IndexFunc(p.Runtime, func(f Field) bool { return f.Key == "env" })
	if i < 0 {
		p.Runtime = append(p.Runtime, Field{Key: "env", Lines: []string{line}, Why: why})
		return
	}
	f := &p.Runtime[i]
	if slices.ContainsFunc(f.Lines, func(l string) bool {
		return strings.HasPrefix(l, name+":") || strings.HasPrefix(l, jsonString(name)+":")
	}) {
		return
	}
	f.Lines = append(f.Lines, line)
	f.Why += " " + why
}
