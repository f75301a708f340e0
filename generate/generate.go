// Package generate renders a spec into a Dockerfile and its .dockerignore.
//
// Rendering (Generator.Files) is a pure function of the spec, the image
// pins and the templates: it does no I/O, and the same inputs give the same
// bytes on every machine and run. NewDir reads a folder of custom templates.
package generate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"
	"text/template/parse"

	"github.com/wharf-dev/wharf/internal/readfile"
	"github.com/wharf-dev/wharf/internal/suggest"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/templates"
)

// File is a generated file.
type File struct {
	// Path is slash-separated and relative to the spec's folder.
	Path string
	Data []byte
}

// Generator renders specs with a set of templates.
type Generator struct {
	// tmpl holds the blocks as text/template parsed them, built-in and
	// custom. It parses them on first use: the compiled blocks render
	// specs without custom blocks, and with custom blocks that call no
	// built-in one (see blocks).
	tmpl func() (*template.Template, error)
	// blocks holds the custom blocks alone when none of them calls a
	// built-in block: the compiled blocks then write the rest, and let
	// these write the blocks they override (see CustomBlocks).
	blocks *template.Template
	// custom maps each overridden or added block to the template file
	// that defines it, so that errors in its output can name it.
	custom map[string]string
	// noCompiled renders with text/template even without custom blocks.
	noCompiled bool
	// gaveUp holds the error of a render that ran out of time: the
	// custom blocks are not run again (see RenderTimeout).
	gaveUp *atomic.Pointer[error]
}

// Interpreted returns a Generator with g's blocks that always renders
// through text/template, for comparing it with the compiled blocks.
func (g *Generator) Interpreted() *Generator {
	c := *g
	c.noCompiled = true
	return &c
}

// A Language is what generate needs of a language: its template blocks
// and the data they read. Package lang registers every language.
type Language interface {
	// Name is the spec's language value, e.g. "python".
	Name() string
	// Field is the name the language's data has in templates, e.g. "Python".
	Field() string
	// Blocks holds the language's *.tmpl files, which define at least
	// "<name>-builder" and "<name>-runner".
	Blocks() fs.FS
	// Prepare sets the language's data in d.Recipe and adjusts the stages
	// (packages, entrypoint) for the spec.
	Prepare(d *Dockerfile, s *spec.Spec) Prepared
	// Ignore lists the language's .dockerignore defaults for the spec.
	Ignore(s *spec.Spec) []string
}

var languages struct {
	sync.RWMutex
	list []Language
}

// Register adds languages that Files can render. Package lang calls it.
func Register(langs ...Language) {
	languages.Lock()
	defer languages.Unlock()
	languages.list = append(languages.list, langs...)
}

func lookup(name string) (Language, bool) {
	languages.RLock()
	defer languages.RUnlock()
	for _, l := range languages.list {
		if l.Name() == name {
			return l, true
		}
	}
	return nil, false
}

// Pins map base image references to the references to write in FROM,
// pinned to a digest (name:tag@sha256:...); see package lock.
type Pins map[string]string

func (p Pins) ref(r string) string {
	if pinned, ok := p[r]; ok {
		return pinned
	}
	return r
}

// New returns a Generator with the built-in templates, whose blocks are
// overridden by the blocks that the *.tmpl files in custom define. custom
// may be nil.
func New(custom fs.FS) (*Generator, error) {
	return newGenerator(custom, "")
}

// NewDir is New with the *.tmpl files of the folder dir, which messages
// name by their path in it. A folder without templates is an error.
func NewDir(dir string) (*Generator, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("templates folder %s does not exist", dir)
	case err != nil:
		return nil, fmt.Errorf("templates folder: %w", err)
	case !info.IsDir():
		return nil, fmt.Errorf("templates folder %s is a file; name the folder that holds the *.tmpl files", dir)
	}
	g, err := newGenerator(readfile.FS(dir, MaxTemplateSize), dir)
	if err != nil {
		return nil, err
	}
	if len(g.custom) == 0 {
		return nil, fmt.Errorf("templates folder %s holds no *.tmpl files; add one that redefines a block, e.g. {{define \"create-user-debian\"}}...{{end}}", dir)
	}
	return g, nil
}

// MaxTemplateSize is the largest custom template file NewDir reads.
const MaxTemplateSize = 1 << 20

// newGenerator parses the built-in templates, then the custom ones; dir
// prefixes the custom file names in messages.
func newGenerator(custom fs.FS, dir string) (*Generator, error) {
	g := &Generator{tmpl: parsedBuiltins, custom: map[string]string{}, gaveUp: new(atomic.Pointer[error])}
	if custom == nil {
		return g, nil
	}
	builtins, err := builtinNames()
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(custom, "*.tmpl")
	if err != nil {
		return nil, err
	}
	defined := map[string]*template.Template{}
	for _, name := range names {
		file := name
		if dir != "" {
			file = filepath.Join(dir, name)
		}
		data, err := fs.ReadFile(custom, name)
		if err != nil {
			return nil, fmt.Errorf("read template %s: %w", file, err)
		}
		// Parse alone first, to learn which blocks the file defines.
		t, err := template.New(file).Funcs(funcs).Funcs(boundedFuncs).Option("missingkey=error").Parse(string(data))
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", file, err)
		}
		for _, block := range t.Templates() {
			if block.Name() == file || block.Tree == nil {
				continue
			}
			if other, dup := g.custom[block.Name()]; dup {
				return nil, fmt.Errorf("templates %s and %s both define %q; keep one", other, file, block.Name())
			}
			g.custom[block.Name()] = file
			defined[block.Name()] = block
		}
	}
	used := map[string]bool{}
	for _, t := range defined {
		templateCalls(t.Tree.Root, used)
	}
	var problems []string
	for _, name := range sortedNames(defined) {
		if !builtins[name] && !used[name] {
			msg := fmt.Sprintf("%s defines %q, which is neither a built-in block nor used by a custom one", g.custom[name], name)
			if s := closest(name, builtins); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			problems = append(problems, msg)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s; the blocks are listed in templates/README.md", strings.Join(problems, "; "))
	}
	if len(defined) == 0 {
		return g, nil
	}
	trees := map[string]*parse.Tree{}
	selfContained := true
	for name, t := range defined {
		tree := t.Tree.Copy()
		// Mark where the block's output starts and ends, so that a bad
		// line can be traced to it.
		tree.Root.Nodes = append([]parse.Node{&parse.TextNode{NodeType: parse.NodeText, Text: []byte(blockStart + name + blockStartEnd)}},
			append(tree.Root.Nodes, &parse.TextNode{NodeType: parse.NodeText, Text: []byte(blockEnd)})...)
		addBudget(tree.Root)
		trees[name] = tree
		calls := map[string]bool{}
		templateCalls(t.Tree.Root, calls)
		for callee := range calls {
			if _, ok := defined[callee]; !ok {
				selfContained = false
			}
		}
	}
	// add puts the custom blocks into tmpl.
	add := func(tmpl *template.Template) (*template.Template, error) {
		for _, name := range sortedNames(trees) {
			if _, err := tmpl.AddParseTree(name, trees[name]); err != nil {
				return nil, fmt.Errorf("template %s: %w", g.custom[name], err)
			}
		}
		return tmpl.Funcs(boundedFuncs), nil
	}
	g.tmpl = sync.OnceValues(func() (*template.Template, error) {
		builtin, err := parsedBuiltins()
		if err != nil {
			return nil, err
		}
		// The custom blocks go into a copy; the parsed built-ins stay shared.
		tmpl, err := builtin.Clone()
		if err != nil {
			return nil, err
		}
		return add(tmpl)
	})
	// The blocks that recursion could go through: the custom ones alone
	// when they call no built-in block.
	var all *template.Template
	if selfContained {
		if g.blocks, err = add(template.New("custom").Funcs(funcs).Option("missingkey=error")); err != nil {
			return nil, err
		}
		all = g.blocks
	} else if all, err = g.tmpl(); err != nil {
		return nil, err
	}
	if err := g.checkRecursion(all); err != nil {
		return nil, err
	}
	return g, nil
}

// builtinNames returns the names of the built-in blocks: the compiled
// blocks' list, else the parsed blocks'.
func builtinNames() (map[string]bool, error) {
	if compiled != nil {
		return compiledNames, nil
	}
	tmpl, err := parsedBuiltins()
	if err != nil {
		return nil, err
	}
	return blockNames(tmpl), nil
}

// Markers around the output of custom blocks. Spec values cannot hold
// NUL, so the markers cannot come from the spec.
const (
	blockStart    = "\x00begin "
	blockStartEnd = "\x00"
	blockEnd      = "\x00end\x00"
)

// blockNames returns the names of the blocks in t, without the files'.
func blockNames(t *template.Template) map[string]bool {
	names := map[string]bool{}
	for _, b := range t.Templates() {
		if b.Tree != nil && !strings.HasSuffix(b.Name(), ".tmpl") && b.Name() != t.Name() {
			names[b.Name()] = true
		}
	}
	return names
}

// templateCalls adds the blocks that {{template}} actions under n name.
func templateCalls(n parse.Node, used map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			templateCalls(c, used)
		}
	case *parse.TemplateNode:
		used[n.Name] = true
	case *parse.IfNode:
		templateCalls(n.List, used)
		templateCalls(n.ElseList, used)
	case *parse.RangeNode:
		templateCalls(n.List, used)
		templateCalls(n.ElseList, used)
	case *parse.WithNode:
		templateCalls(n.List, used)
		templateCalls(n.ElseList, used)
	}
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// closest returns the name in names nearest to word, if it is close
// enough to be a typo.
func closest(word string, names map[string]bool) string {
	return suggest.Closest(word, sortedNames(names))
}

// renderBuffers holds buffers for rendering, so that rendering many specs
// does not grow a new one each time.
var renderBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 8<<10)) }}

// parsedBuiltins returns the built-in blocks, parsed once per process.
var parsedBuiltins = sync.OnceValues(builtinTemplates)

// builtinTemplates parses the built-in blocks: the stages' and families'
// (package templates), each registered language's, and the blocks that
// pick the spec's language, which are written from the list of languages.
func builtinTemplates() (*template.Template, error) {
	tmpl, err := template.New("wharf").Funcs(funcs).Option("missingkey=error").ParseFS(templates.FS, "*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse built-in templates: %w", err)
	}
	languages.RLock()
	defer languages.RUnlock()
	var dispatch strings.Builder
	for _, stage := range spec.StageNames {
		fmt.Fprintf(&dispatch, "{{define \"language-%s\"}}", stage)
		for i, l := range languages.list {
			if i > 0 {
				dispatch.WriteString("{{else ")
			} else {
				dispatch.WriteString("{{")
			}
			fmt.Fprintf(&dispatch, "if eq .Language %q}}{{template \"%s-%s\" .}}\n", l.Name(), l.Name(), stage)
		}
		if len(languages.list) > 0 {
			dispatch.WriteString("{{end}}")
		}
		dispatch.WriteString("{{end}}")
	}
	// install-packages and create-user pick the stage's family's blocks.
	var shell []*spec.FamilyDef
	for _, f := range spec.Families() {
		if f.Shell {
			shell = append(shell, f)
		}
	}
	for _, b := range []struct{ name, cond, arg string }{
		{"install-packages", ".Packages", "."},
		{"create-user", ".User.Create", ".User"},
	} {
		fmt.Fprintf(&dispatch, "{{define %q}}{{if %s}}", b.name, b.cond)
		for i, f := range shell {
			if i > 0 {
				dispatch.WriteString("{{else ")
			} else {
				dispatch.WriteString("{{")
			}
			fmt.Fprintf(&dispatch, "if eq .Family %q}}{{template \"%s-%s\" %s}}\n", f.Name, b.name, f.Name, b.arg)
		}
		if len(shell) > 0 {
			dispatch.WriteString("{{end}}")
		}
		dispatch.WriteString("{{end}}{{end}}")
	}
	if _, err := tmpl.New("languages.tmpl").Parse(dispatch.String()); err != nil {
		return nil, fmt.Errorf("parse language dispatch: %w", err)
	}
	for _, f := range spec.Families() {
		if f.Blocks == nil {
			continue
		}
		if _, err := tmpl.ParseFS(f.Blocks, "*.tmpl"); err != nil {
			return nil, fmt.Errorf("parse %s templates: %w", f.Name, err)
		}
	}
	for _, l := range languages.list {
		if _, err := tmpl.ParseFS(l.Blocks(), "*.tmpl"); err != nil {
			return nil, fmt.Errorf("parse %s templates: %w", l.Name(), err)
		}
	}
	return tmpl, nil
}

var builtin = sync.OnceValues(func() (*Generator, error) { return New(nil) })

// Files renders the spec's Dockerfile and .dockerignore with the built-in
// templates and no pins.
func Files(s *spec.Spec) ([]File, error) {
	g, err := builtin()
	if err != nil {
		return nil, err
	}
	return g.Files(s, nil)
}

// Builtin returns the Generator of the built-in templates, made once.
func Builtin() (*Generator, error) { return builtin() }

// Data returns the data the blocks of s's Dockerfile receive.
func Data(s *spec.Spec, pins Pins) (*Dockerfile, error) {
	lang, ok := lookup(s.Language)
	if !ok {
		return nil, fmt.Errorf("render %s: language %q is not registered (import github.com/wharf-dev/wharf/lang)", s.File, s.Language)
	}
	return newDockerfile(s, lang, pins), nil
}

// Trees returns the parse trees of g's blocks, by name.
func (g *Generator) Trees() (map[string]*parse.Tree, error) {
	tmpl, err := g.tmpl()
	if err != nil {
		return nil, err
	}
	trees := map[string]*parse.Tree{}
	for _, t := range tmpl.Templates() {
		if t.Tree != nil {
			trees[t.Name()] = t.Tree
		}
	}
	return trees, nil
}

// A Compiled renderer writes what the built-in blocks write for d, in Go:
// package lang generates one from the blocks (go generate) and registers
// it with SetCompiled. Generators use it unless a custom block calls a
// built-in one, as text/template spends most of a spec's time in
// reflection. custom, if not nil, writes the blocks it overrides.
type Compiled func(buf *bytes.Buffer, d *Dockerfile, custom CustomBlocks)

// CustomBlocks writes the custom blocks in a compiled render.
type CustomBlocks interface {
	// Block writes the custom block name for dot and reports true, or
	// reports false when name is not a custom block. A *Dockerfile dot
	// is a build stage's, which the block gets as text/template would.
	Block(name string, dot any) bool
}

var (
	compiled      Compiled
	compiledNames map[string]bool
)

// SetCompiled registers the compiled built-in blocks and the names of
// all built-in blocks; nil turns them off.
func SetCompiled(c Compiled, names []string) {
	compiled, compiledNames = c, map[string]bool{}
	for _, n := range names {
		compiledNames[n] = true
	}
}

// customBlocks writes a render's custom blocks with tmpl into w, and
// keeps the first error.
type customBlocks struct {
	tmpl   *template.Template
	w      *blockWriter
	custom map[string]string
	err    error
}

func (c *customBlocks) Block(name string, dot any) bool {
	if _, ok := c.custom[name]; !ok {
		return false
	}
	if c.err == nil {
		if d, ok := dot.(*Dockerfile); ok {
			dot = d.templateData(d.lang)
		}
		c.err = c.tmpl.ExecuteTemplate(c.w, name, dot)
	}
	return true
}

// Files renders the spec's Dockerfile and .dockerignore, and its compose
// file when the spec names one, writing the base images as pins has them.
func (g *Generator) Files(s *spec.Spec, pins Pins) ([]File, error) {
	lang, ok := lookup(s.Language)
	if !ok {
		return nil, fmt.Errorf("render %s: language %q is not registered (import github.com/wharf-dev/wharf/lang)", s.File, s.Language)
	}
	data := newDockerfile(s, lang, pins)
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer renderBuffers.Put(buf)
	buf.Reset()
	var raw []byte
	switch {
	case g.blocks != nil && compiled != nil && !g.noCompiled:
		var err error
		raw, err = g.executeCustom(g.blocks, s.File, func(tmpl *template.Template, w *blockWriter) error {
			c := &customBlocks{tmpl: tmpl, w: w, custom: g.custom}
			compiled(&w.buf, data, c)
			return c.err
		})
		if err != nil {
			return nil, err
		}
	case len(g.custom) > 0:
		tmpl, err := g.tmpl()
		if err != nil {
			return nil, err
		}
		raw, err = g.executeCustom(tmpl, s.File, func(tmpl *template.Template, w *blockWriter) error {
			return tmpl.ExecuteTemplate(w, "dockerfile", data.templateData(lang))
		})
		if err != nil {
			return nil, err
		}
	case compiled != nil && !g.noCompiled:
		compiled(buf, data, nil)
		raw = buf.Bytes()
	default:
		tmpl, err := g.tmpl()
		if err != nil {
			return nil, err
		}
		if err := tmpl.ExecuteTemplate(buf, "dockerfile", data.templateData(lang)); err != nil {
			return nil, fmt.Errorf("render Dockerfile for %s: %w", s.File, err)
		}
		raw = buf.Bytes()
	}
	out, blocks := layout(raw)
	if err := checkSyntax(out, blocks); err != nil {
		switch {
		case err.block != "":
			return nil, fmt.Errorf("template %s: block %q produces an invalid Dockerfile for %s: %w", g.custom[err.block], err.block, s.File, err)
		case len(g.custom) > 0:
			return nil, fmt.Errorf("the custom templates (%s) produce an invalid Dockerfile for %s: %w", strings.Join(g.customFiles(), ", "), s.File, err)
		}
		return nil, fmt.Errorf("wharf produced an invalid Dockerfile (a bug; please report it): %w", err)
	}
	ignore, lines := dockerignore(s, lang, data.SpecFile)
	copies := data.DependencyCopies
	for _, st := range data.Stages {
		copies = append(copies, st.DependencyCopies...)
		if st.Builder.Source != "." {
			copies = append(copies, Copy{Src: []string{st.Builder.Source}})
		}
	}
	if err := ignoreConflict(s, lines, copies); err != nil {
		return nil, err
	}
	if err := copyConflict(s, data, out); err != nil {
		return nil, err
	}
	files := []File{
		{Path: s.Output, Data: out},
		{Path: IgnorePath(s), Data: ignore},
	}
	if s.Compose != "" {
		files = append(files, File{Path: s.Compose, Data: compose(s, lang, data, out)})
	}
	return files, nil
}

// customFiles lists the custom template files, sorted.
func (g *Generator) customFiles() []string {
	seen := map[string]bool{}
	for _, f := range g.custom {
		seen[f] = true
	}
	return sortedNames(seen)
}

// DockerignorePath returns where BuildKit looks for the ignore file of the
// Dockerfile at output, for a spec whose folder is the build context:
// .dockerignore for a Dockerfile at the context's root,
// "<output>.dockerignore" next to it otherwise.
func DockerignorePath(output string) string {
	if output == "Dockerfile" {
		return ".dockerignore"
	}
	return output + ".dockerignore"
}

// IgnorePath is the spec's ignore file, relative to the spec's folder:
// DockerignorePath, except with a context above the spec's folder, where
// the ignore file is always "<output>.dockerignore" next to the Dockerfile
// (BuildKit reads .dockerignore only at the context's root).
func IgnorePath(s *spec.Spec) string {
	if s.SpecDir != "" && s.SpecDir != "." {
		return s.Output + ".dockerignore"
	}
	return DockerignorePath(s.Output)
}

// The functions templates call, for the compiled blocks.
var (
	Quote      = quote
	ExecForm   = execForm
	ShellQuote = shellQuote
	ShellJoin  = shellJoin
	LocalPath  = localPath
)

var funcs = template.FuncMap{
	"quote":     quote,
	"exec":      execForm,
	"shell":     shellQuote,
	"shellJoin": shellJoin,
	"join":      strings.Join,
	"joinPath":  path.Join,
	"localPath": localPath,
}

// bareByte marks the bytes a value may hold and still be written bare, in
// ENV, ARG and LABEL values and in shell words: [A-Za-z0-9_./:@%+,-].
var bareByte = func() (t [256]bool) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:@%+,-" {
		t[c] = true
	}
	return t
}()

// isBare reports whether v is non-empty and needs no quoting.
func isBare(v string) bool {
	for i := 0; i < len(v); i++ {
		if !bareByte[v[i]] {
			return false
		}
	}
	return v != ""
}

// valueEscaper escapes what BuildKit's word expansion reads inside double
// quotes. Built once: a Replacer is costly to build.
var valueEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`)

// quote renders a value for ENV, ARG and LABEL so that BuildKit reads back
// exactly the value: bare when it holds nothing special, else double-quoted
// with '\', '"' and '$' escaped.
func quote(v string) string {
	if isBare(v) {
		return v
	}
	return `"` + valueEscaper.Replace(v) + `"`
}

// execForm renders arguments as a JSON list, the exec form of CMD,
// ENTRYPOINT and HEALTHCHECK.
func execForm(args []string) string {
	if n, ok := plainArgsLen(args); ok {
		// The common case: JSON quotes each argument as it is.
		b := make([]byte, 0, n)
		b = append(b, '[')
		for i, a := range args {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(append(append(b, '"'), a...), '"')
		}
		return string(append(b, ']'))
	}
	return execFormJSON(args)
}

// execFormJSON is execForm through encoding/json, for arguments it escapes.
func execFormJSON(args []string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('[')
	for i, a := range args {
		if i > 0 {
			buf.WriteString(", ")
		}
		_ = enc.Encode(a)           // a string always encodes
		buf.Truncate(buf.Len() - 1) // Encode ends with a newline
	}
	buf.WriteByte(']')
	return buf.String()
}

// plainArgsLen reports whether every argument is printable ASCII without
// '"' or '\', which JSON writes unescaped, and if so the exec form's length.
func plainArgsLen(args []string) (int, bool) {
	n := 2
	for _, a := range args {
		for i := 0; i < len(a); i++ {
			if c := a[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
				return 0, false
			}
		}
		n += len(a) + 4
	}
	return n, true
}

// shellQuote renders one word for a POSIX shell.
func shellQuote(w string) string {
	if isBare(w) {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

// shellJoin renders words for a POSIX shell, each quoted as needed, so that
// a word such as an apk constraint "pkg>=1.2" is not read as a redirection.
func shellJoin(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = shellQuote(w)
	}
	return strings.Join(quoted, " ")
}

// localPath makes a relative path explicit, so pip reads it as a folder
// rather than a package name.
func localPath(p string) string {
	if p == "." || strings.HasPrefix(p, "./") {
		return p
	}
	return "./" + p
}

// layout returns the Dockerfile from rendered output: custom block markers
// removed, trailing spaces trimmed, blank lines laid out (see normalize).
// blocks holds the custom block that wrote each line, or is nil when no
// custom block wrote any.
func layout(raw []byte) (out []byte, blocks []string) {
	if bytes.IndexByte(raw, 0) >= 0 {
		lines := normalize(splitBlocks(raw))
		blocks = make([]string, len(lines))
		for i, l := range lines {
			blocks[i] = l.block
		}
		return joinLines(lines), blocks
	}
	// No markers, so no custom blocks: normalize straight into the output,
	// with room for the blank lines that layout adds.
	out = make([]byte, 0, len(raw)+8)
	inHeader := true
	for len(raw) > 0 {
		text := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			text, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		text = bytes.TrimRight(text, " \t")
		if len(text) == 0 {
			continue
		}
		if inHeader && text[0] != '#' {
			inHeader = false
			if len(out) > 0 {
				out = append(out, '\n')
			}
		} else if bytes.HasPrefix(text, []byte("FROM ")) && len(out) > 0 {
			out = append(out, '\n')
		}
		out = append(append(out, text...), '\n')
	}
	return out, nil
}

// line is a line of the rendered Dockerfile, with the custom block that
// wrote it, if any.
type line struct {
	text  string
	block string
}

// splitBlocks splits rendered output into lines and removes the custom
// block markers, noting for each line the innermost custom block that
// wrote something other than spaces on it.
func splitBlocks(raw []byte) []line {
	lines := make([]line, 0, bytes.Count(raw, []byte{'\n'})+1)
	var cur strings.Builder
	var block string
	var stack []string
	text := string(raw)
	for len(text) > 0 {
		i := strings.IndexAny(text, "\x00\n")
		if i < 0 {
			i = len(text)
		}
		chunk := text[:i]
		if cur.Len() == 0 && i < len(text) && text[i] == '\n' && len(stack) == 0 {
			// The common case, a whole line outside custom blocks: keep a
			// substring rather than copy it.
			lines = append(lines, line{chunk, ""})
			block = ""
			text = text[i+1:]
			continue
		}
		if strings.TrimSpace(chunk) != "" && len(stack) > 0 {
			block = stack[len(stack)-1]
		}
		cur.WriteString(chunk)
		text = text[i:]
		switch {
		case text == "":
		case text[0] == '\n':
			lines = append(lines, line{cur.String(), block})
			cur.Reset()
			block = ""
			text = text[1:]
		case strings.HasPrefix(text, blockEnd):
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			text = text[len(blockEnd):]
		case strings.HasPrefix(text, blockStart):
			rest := text[len(blockStart):]
			j := strings.Index(rest, blockStartEnd)
			if j < 0 { // cannot happen: markers come in whole
				j = len(rest)
			}
			stack = append(stack, rest[:j])
			text = rest[min(j+len(blockStartEnd), len(rest)):]
		default:
			text = text[1:] // a stray NUL
		}
	}
	if cur.Len() > 0 {
		lines = append(lines, line{cur.String(), block})
	}
	return lines
}

// normalize trims trailing spaces and lays out blank lines: one after the
// leading comment block, one before each FROM, none elsewhere.
func normalize(raw []line) []line {
	out := make([]line, 0, len(raw))
	inHeader := true
	for _, l := range raw {
		l.text = strings.TrimRight(l.text, " \t")
		if l.text == "" {
			continue
		}
		if inHeader && !strings.HasPrefix(l.text, "#") {
			inHeader = false
			if len(out) > 0 {
				out = append(out, line{})
			}
		} else if strings.HasPrefix(l.text, "FROM ") && len(out) > 0 {
			out = append(out, line{})
		}
		out = append(out, l)
	}
	return out
}

func joinLines(lines []line) []byte {
	n := 0
	for _, l := range lines {
		n += len(l.text) + 1
	}
	out := bytes.NewBuffer(make([]byte, 0, n))
	for _, l := range lines {
		out.WriteString(l.text)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// instructions are the Dockerfile instructions BuildKit knows.
var instructions = map[string]bool{
	"ADD": true, "ARG": true, "CMD": true, "COPY": true, "ENTRYPOINT": true, "ENV": true,
	"EXPOSE": true, "FROM": true, "HEALTHCHECK": true, "LABEL": true, "MAINTAINER": true,
	"ONBUILD": true, "RUN": true, "SHELL": true, "STOPSIGNAL": true, "USER": true,
	"VOLUME": true, "WORKDIR": true,
}

// syntaxError is a line of output that is not a Dockerfile.
type syntaxError struct {
	line  int    // 1-based, in the generated Dockerfile
	block string // the custom block that wrote the line, if any
	msg   string
}

func (e *syntaxError) Error() string {
	if e.line == 0 {
		return e.msg
	}
	return fmt.Sprintf("line %d: %s", e.line, e.msg)
}

// checkSyntax catches output that is not a Dockerfile at all: each
// instruction must be a known one, continuations must end, and the file
// must have a stage. BuildKit's own parser and checks run in the e2e tests.
// blocks, when not nil, names the custom block that wrote each line.
func checkSyntax(out []byte, blocks []string) *syntaxError {
	block := func(i int) string {
		if blocks == nil {
			return ""
		}
		return blocks[i]
	}
	stages := 0
	continued := false
	last, i := 0, 0
	for text := out; len(text) > 0; i++ {
		l, rest, _ := bytes.Cut(text, []byte{'\n'})
		text = rest
		trimmed := bytes.TrimSpace(l)
		wasContinued := continued
		continued = bytes.HasSuffix(trimmed, []byte{'\\'})
		if wasContinued || len(trimmed) == 0 || trimmed[0] == '#' {
			continue
		}
		last = i
		word, _, _ := bytes.Cut(trimmed, []byte{' '})
		// The keys are upper case; string(word) in an index allocates nothing.
		if !instructions[string(word)] && !instructions[strings.ToUpper(string(word))] {
			return &syntaxError{line: i + 1, block: block(i), msg: fmt.Sprintf("%q is not a Dockerfile instruction", word)}
		}
		if bytes.EqualFold(word, []byte("FROM")) {
			stages++
		}
	}
	if continued {
		return &syntaxError{line: i, block: block(last), msg: "the last instruction ends with a line continuation"}
	}
	if stages == 0 {
		return &syntaxError{msg: "no FROM instruction"}
	}
	return nil
}
