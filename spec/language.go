package spec

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// A Language is one language's part of the spec: its section (the key
// named after it), with that section's keys, defaults, checks, schema and
// explanation. Each language lives in its own package under lang/, and
// package lang registers them all (see Register).
type Language interface {
	// Name is the language key's value and the section's key, e.g. "python".
	Name() string
	// Images are the base images a spec of the language gets by default.
	Images() Images
	// Decode reads the section n, which is nil when the spec has none,
	// and returns the recipe with its own defaults applied.
	Decode(d *Decoder, n *yaml.Node) Recipe
	// Schema is the section's JSON Schema.
	Schema() *SchemaNode
}

// A Recipe is a decoded language section.
type Recipe interface {
	// Complete runs once the whole spec is decoded: it fills in defaults
	// that depend on the rest of the spec (a Go binary named after the
	// spec) and reports what would break at build or run time.
	Complete(d *Decoder, s *Spec)
	// Explain writes the section's effective values into m.
	Explain(e *Explainer, m *yaml.Node)
}

// A ContextChecker is a Recipe that also checks the spec against the files
// of its folder: what the runner will not have, so that the container
// could not start (a module or file the command runs that is not there).
// Load calls it, with fsys rooted at the spec's folder, once the spec is
// otherwise valid; Parse, which has no folder, does not. It should read
// only a few files, and report only what it can tell without guessing:
// when the folder does not hold the project the spec describes (say, a
// spec kept apart from its code), it reports nothing.
type ContextChecker interface {
	Recipe
	CheckContext(d *Decoder, s *Spec, fsys fs.FS)
}

// An ImageRecipe is a Recipe whose Dockerfile names images besides the
// stages' base images, such as a tool's image for COPY --from; wharf lock
// pins them by digest like the base images.
type ImageRecipe interface {
	Recipe
	// ExtraImages are the references, as the Dockerfile names them.
	ExtraImages() []string
}

var registry struct {
	sync.RWMutex
	list []Language
}

// Register adds languages to those specs may name. Package lang calls it
// with its list of every language; a program that imports that package
// (or the wharf package) needs nothing else. Registering a name twice panics.
func Register(langs ...Language) {
	registry.Lock()
	defer registry.Unlock()
	for _, l := range langs {
		if slices.ContainsFunc(registry.list, func(o Language) bool { return o.Name() == l.Name() }) {
			panic("spec: language " + l.Name() + " registered twice")
		}
		registry.list = append(registry.list, l)
	}
}

// Languages returns the registered languages in registration order.
func Languages() []Language {
	registry.RLock()
	defer registry.RUnlock()
	return registry.list
}

// LookupLanguage returns the registered language of that name.
func LookupLanguage(name string) (Language, bool) {
	for _, l := range Languages() {
		if l.Name() == name {
			return l, true
		}
	}
	return nil, false
}

// languageNames lists the registered languages' names.
func languageNames() []string {
	langs := Languages()
	names := make([]string, len(langs))
	for i, l := range langs {
		names[i] = l.Name()
	}
	return names
}

// OrList is "a", "a or b" or "a, b or c", for messages that list choices.
func OrList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// Decoder is what a language's Decode and Complete use to read its
// section and report problems at their file, line and column.
type Decoder struct{ d *decoder }

// Fields decodes the mapping n at path, calling field with each key, its
// value and its path; keys are the keys the mapping may hold, and field
// must handle each. Unknown and duplicate keys are reported. It reports
// whether n is a mapping.
func (d *Decoder) Fields(n *yaml.Node, path string, keys []string, field func(key string, v *yaml.Node, path string)) bool {
	return d.d.fields(n, path, keys, field)
}

// NonEmpty decodes a one-line string that must not be empty.
func (d *Decoder) NonEmpty(n *yaml.Node, path string) (string, bool) { return d.d.nonEmpty(n, path) }

// Text decodes a one-line string, which may be empty.
func (d *Decoder) Text(n *yaml.Node, path string) (string, bool) { return d.d.text(n, path) }

// Bool decodes a boolean.
func (d *Decoder) Bool(n *yaml.Node, path string) bool { return d.d.boolean(n, path) }

// List decodes a list of non-empty one-line strings; example shows a
// valid value in the message for anything else.
func (d *Decoder) List(n *yaml.Node, path, example string) []string {
	return d.d.list(n, path, example)
}

// Item returns the node of item i of the list decoded at path.
func (d *Decoder) Item(path string, i int) *yaml.Node { return d.d.nodes[itemPath(path, i)] }

// RelPath checks a path relative to the spec's folder that must stay
// inside the build context, and returns it cleaned.
func (d *Decoder) RelPath(n *yaml.Node, path, p string) string { return d.d.relPath(n, path, p) }

// PackageIndex decodes {url, secret}: a private package index whose login
// is a BuildKit secret. example is a URL and secretFile says what the
// secret holds, for messages; needURL says whether url is required.
func (d *Decoder) PackageIndex(n *yaml.Node, path, example, secretFile string, needURL bool) *PackageIndex {
	return d.d.packageIndex(n, path, example, secretFile, needURL)
}

// SecretID decodes the id of a BuildKit secret (RUN --mount=type=secret,id=...).
func (d *Decoder) SecretID(n *yaml.Node, path string) (string, bool) { return d.d.secretID(n, path) }

// Errorf reports a problem at n; kind is one of the Err* values.
func (d *Decoder) Errorf(n *yaml.Node, kind error, format string, args ...any) {
	d.d.errorf(n, kind, format, args...)
}

// Warnf reports a problem at n that does not stop generation.
func (d *Decoder) Warnf(n *yaml.Node, kind error, format string, args ...any) {
	d.d.warnf(n, kind, format, args...)
}

// At returns the node decoded at path, or its closest decoded parent, for
// problems about a value that may have been filled in by default.
func (d *Decoder) At(path string) *yaml.Node { return d.d.at(path) }

// Has reports whether the spec (or a base it extends) sets path.
func (d *Decoder) Has(path string) bool { return d.d.nodes[path] != nil }

// RequireCmd reports a missing runtime.cmd (and entrypoint), which a
// language with no start command of its own needs; example is a valid one.
func (d *Decoder) RequireCmd(s *Spec, example []string) {
	if d.Has("runtime.cmd") || d.Has("runtime.entrypoint") {
		return
	}
	text, _ := jsonList(example)
	d.Errorf(d.At("runtime"), ErrRequired, "runtime.cmd is required for %s: say how the container starts, e.g. cmd: %s", s.Language, text)
}

// RequireSameLibc reports builder and runner images with different C
// libraries, which native artifacts (named for the message, e.g. "Python
// wheels") built in the one cannot load in the other, and a glibc runner
// of an older Debian release than its builder, whose glibc lacks symbol
// versions the artifacts were linked against.
func (d *Decoder) RequireSameLibc(s *Spec, artifacts string) {
	builder, runner := s.Images.Builder, s.Images.Runner
	if builder.Libc() != "" && runner.Libc() != "" && builder.Libc() != runner.Libc() {
		d.Errorf(d.At("images.runner"), ErrLibcMismatch, "the builder %s (%s, %s) and the runner %s (%s, %s) use different C libraries, and %s are native code built against the builder's: they would fail to load at run time; use the same family for both images", builder.Ref, builder.Family, builder.Libc(), runner.Ref, runner.Family, runner.Libc(), artifacts)
		return
	}
	if builder.Libc() != Glibc || runner.Libc() != Glibc {
		return
	}
	if b, bGlibc := builder.DebianRelease(); b != 0 {
		if r, rGlibc := runner.DebianRelease(); r != 0 && b > r {
			d.Errorf(d.At("images.runner"), ErrLibcMismatch, "the builder %s is Debian %d (glibc %s) and the runner %s Debian %d (glibc %s): %s are linked against the builder's newer glibc and would fail to start (\"GLIBC_2.xx not found\"); put the runner on Debian %d too, or the builder on Debian %d", builder.Ref, b, bGlibc, runner.Ref, r, rGlibc, artifacts, b, r)
		}
	}
}

// Explainer writes a language's section for Explain, each value with a
// comment saying where it came from.
type Explainer struct{ e *explainer }

// Mapping returns a new, empty mapping node.
func (e *Explainer) Mapping() *yaml.Node { return e.e.mapping() }

// Add adds key: value to the mapping m; empty collections are left out.
func (e *Explainer) Add(m *yaml.Node, key string, value *yaml.Node) { e.e.add(m, key, value) }

// Str is the string value at path.
func (e *Explainer) Str(path, value string) *yaml.Node { return e.e.str(path, value) }

// Bool is the boolean value at path.
func (e *Explainer) Bool(path string, value bool) *yaml.Node {
	return e.e.scalar(path, "!!bool", fmt.Sprint(value))
}

// List is the list at path.
func (e *Explainer) List(path string, items []string) *yaml.Node { return e.e.list(path, items) }

// PackageIndex is the {url, secret} mapping at path.
func (e *Explainer) PackageIndex(path string, idx *PackageIndex) *yaml.Node {
	return e.e.packageIndex(path, idx)
}
