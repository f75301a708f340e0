package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/internal/readfile"
)

// FileName is the spec's file name when Load is given a folder.
const FileName = "wharf.yaml"

// MaxSize is the largest spec wharf reads, in bytes.
const MaxSize = 1 << 20

// MaxProjectFile is the largest file of the project (a package.json, a
// requirements file) that a ContextChecker reads.
const MaxProjectFile = 4 << 20

// A Loader loads specs, sharing what they have in common: it reads each
// base file once, and merges each base file's own extends once, however
// many specs extend it. Use one Loader for a run over files that do not
// change meanwhile (as wharf's commands do); a new Loader reads them
// afresh. The zero value is ready to use, and a Loader is safe for
// concurrent use. A Loader resolves relative paths against the working
// folder of its first Load, so a run must not change folders meanwhile.
type Loader struct {
	mu sync.Mutex
	// wd is the working folder, asked of the system once per Loader.
	wd     string
	wdErr  error
	wdOnce sync.Once
	// files holds the base files read so far, by absolute path.
	files map[string]*baseFile
	// resolved holds the resolved trees of base files, by absolute path
	// and name (see resolvedBase).
	resolved map[frame]*resolved
}

// Load reads the spec at path, or path/wharf.yaml when path is a folder,
// and returns it validated, with defaults applied. A spec with problems
// returns an ErrorList holding all of them. It reads the files the spec
// extends afresh; a Loader shares them between specs.
func Load(path string) (*Spec, error) { return new(Loader).Load(path) }

// Parse parses and validates a spec's bytes. file names the spec in
// messages and becomes Spec.File; the files the spec extends are read
// relative to its folder, afresh (see Loader).
func Parse(file string, data []byte) (*Spec, error) { return new(Loader).Parse(file, data) }

// Load is Load with the base files of l.
func (l *Loader) Load(path string) (*Spec, error) {
	data, err := readLimited(path)
	if readfile.IsDir(err) {
		path = filepath.Join(path, FileName)
		data, err = readLimited(path)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s does not exist; pass a spec file or a folder holding %s (wharf init writes one): %w", path, FileName, err)
	} else if err != nil {
		return nil, fmt.Errorf("load spec %s: %w", path, err)
	}
	return l.parse(path, data, readfile.FS(filepath.Dir(path), MaxProjectFile), nil)
}

// LoadWithImages is Load with stages' base images replaced after the
// files are merged: images maps a stage, "builder" or "runner", to the
// reference to use instead of what the spec, its bases or the defaults
// say (a family written beside the image is kept). wharf outdated uses it
// to ask whether a newer tag passes every check of the spec.
func (l *Loader) LoadWithImages(path string, images map[string]string) (*Spec, error) {
	data, err := readLimited(path)
	if readfile.IsDir(err) {
		path = filepath.Join(path, FileName)
		data, err = readLimited(path)
	}
	if err != nil {
		return nil, fmt.Errorf("load spec %s: %w", path, err)
	}
	return l.parse(path, data, readfile.FS(filepath.Dir(path), MaxProjectFile), images)
}

// Parse is Parse with the base files of l.
func (l *Loader) Parse(file string, data []byte) (*Spec, error) { return l.parse(file, data, nil, nil) }

// parse parses and validates a spec; with fsys, the spec's folder, a
// recipe that is a ContextChecker also checks the spec against its files.
func (l *Loader) parse(file string, data []byte, fsys fs.FS, images map[string]string) (*Spec, error) {
	if len(data) > MaxSize {
		return nil, ErrorList{{File: file, Line: 1, Column: 1, Msg: fmt.Sprintf("the spec is larger than %d bytes; a spec is a short file, check that this is the right one", MaxSize), Kind: ErrTooLarge}}
	}
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	m := newMerger(l, file)
	abs, err := m.abs(file)
	if err != nil {
		return nil, fmt.Errorf("load spec %s: %w", file, err)
	}
	root = m.resolve(root, file, abs, nil)
	if len(images) > 0 && root != nil && root.Kind == yaml.MappingNode {
		root = replaceImages(root, images)
	}
	d := &decoder{file: file, abs: abs, specDir: ".", nodes: make(map[string]*yaml.Node, 32), origin: m.origin}
	d.errs = m.errs
	var s *Spec
	if !errors.Is(m.errs, ErrExtends) && !errors.Is(m.errs, ErrSyntax) { // the rest would mislead
		var ok bool
		s, ok = d.spec(root)
		if ok {
			d.check(s)
			d.checkOutputFiles(s, m.bases)
			if c, isChecker := s.Recipe.(ContextChecker); isChecker && fsys != nil && len(d.errs) == 0 {
				c.CheckContext(&Decoder{d}, s, fsys)
			}
			if fsys != nil && len(d.errs) == 0 {
				d.checkStageFolders(s, fsys)
			}
		}
	}
	if len(d.errs) > 0 {
		rank := map[string]int{file: 0}
		for i, b := range m.bases {
			if _, ok := rank[b]; !ok {
				rank[b] = i + 1
			}
		}
		slices.SortStableFunc(d.errs, func(a, b *Error) int {
			if a.File != b.File {
				return rank[a.File] - rank[b.File]
			}
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Column - b.Column
		})
		return nil, d.errs
	}
	s.File = file
	s.Extends = m.bases
	s.Warnings = d.warnings
	s.fields = &fieldNodes{file: file, nodes: d.nodes, origin: m.origin}
	return s, nil
}

// checkUTF8 reports the first byte that is not UTF-8, or the first
// character that YAML refuses (control characters other than tab and line
// breaks, surrogates, U+FFFE and U+FFFF), with its position: the YAML
// parser reports those without one.
func checkUTF8(file string, data []byte) ErrorList {
	line, col := 1, 1
	for i := 0; i < len(data); {
		if b := data[i]; b >= 0x20 && b < 0x7f { // printable ASCII, most of a spec
			col++
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return ErrorList{{File: file, Line: line, Column: col, Msg: fmt.Sprintf("byte 0x%02x is not UTF-8; save the spec as UTF-8", data[i]), Kind: ErrSyntax}}
		case !yamlPrintable(r):
			return ErrorList{{File: file, Line: line, Column: col, Msg: fmt.Sprintf("character %U is a control character, which YAML does not allow; remove it", r), Kind: ErrSyntax}}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return nil
}

// yamlPrintable reports whether YAML (and so yaml.v3's reader) allows r
// in a document.
func yamlPrintable(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0x7e) || r == 0x85 ||
		(r >= 0xa0 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) || (r >= 0x10000 && r <= 0x10ffff)
}

// yamlLine finds the line number in yaml.v3's error messages.
var yamlLine = lazyregexp.New(`^yaml: line ([0-9]+): (.*)$`)

// parseYAML parses exactly one YAML document into its root node.
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	root, errs := parseDocument(file, data, false)
	if errs != nil {
		return nil, errs
	}
	return root, nil
}

// yamlError splits a yaml.v3 syntax error into its line (1 when it has
// none) and message.
func yamlError(err error) (int, string) {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return max(line, 1), m[2]
	}
	return 1, strings.TrimPrefix(err.Error(), "yaml: ")
}

// syntaxPosition tries at most maxSyntaxSearch lines and parses at most
// syntaxSearchBytes in all, so that a large file fails fast.
const (
	maxSyntaxSearch   = 200
	syntaxSearchBytes = 4 << 20
)

// syntaxPosition finds where in data the YAML syntax error msg, reported
// by yaml.v3 at line, arises. yaml.v3 gives no column, and its line is
// often the line before the start of the enclosing list or mapping. The
// error arises at the first line, from line-1 on, where the document cut
// after that line fails with the same message; its column is where the
// shortest cut of that line fails so, or the bracket left open there.
// ok is false when no cut fails so.
func syntaxPosition(data []byte, line int, msg string) (int, int, bool) {
	// try reports whether the document cut to prefix fails with msg. It
	// stops trying after parsing syntaxSearchBytes in all: a spec is short.
	budget := syntaxSearchBytes
	try := func(prefix []byte) bool {
		if budget -= len(prefix); budget < 0 {
			return false
		}
		var n yaml.Node
		err := yaml.NewDecoder(bytes.NewReader(prefix)).Decode(&n)
		if err == nil || errors.Is(err, io.EOF) {
			return false
		}
		_, m := yamlError(err)
		return m == msg
	}
	// start[i] is the offset of line i+1.
	start := []int{0}
	for i, c := range data {
		if c == '\n' {
			start = append(start, i+1)
		}
	}
	end := func(i int) int { // the offset after line i+1, without its newline
		if i+1 < len(start) {
			return start[i+1] - 1
		}
		return len(data)
	}
	first := max(line-2, 0)
	for i := first; i < len(start) && i < first+maxSyntaxSearch; i++ {
		if !try(data[:end(i)]) {
			continue
		}
		text := data[start[i]:end(i)]
		col := 0
		for j, r := range string(text) {
			col++
			if try(data[:start[i]+j+utf8.RuneLen(r)]) {
				return i + 1, unclosedAt(text, col, msg), true
			}
		}
		return i + 1, 1, true
	}
	return 0, 0, false
}

// unclosedAt returns the column of the "[" or "{" that msg says is not
// closed, when one is open on line before column col; else col.
func unclosedAt(line []byte, col int, msg string) int {
	var want rune
	switch {
	case strings.HasSuffix(msg, "or ']'"):
		want = '['
	case strings.HasSuffix(msg, "or '}'"):
		want = '{'
	default:
		return col
	}
	type bracket struct {
		r   rune
		col int
	}
	var open []bracket // the brackets open so far
	var quote rune
	c := 0
	for _, r := range string(line) {
		if c++; c >= col {
			break
		}
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[' || r == '{':
			open = append(open, bracket{r, c})
		case (r == ']' || r == '}') && len(open) > 0:
			open = open[:len(open)-1]
		}
	}
	for k := len(open) - 1; k >= 0; k-- {
		if open[k].r == want {
			return open[k].col
		}
	}
	return col
}

// parseDocument parses exactly one YAML document into its root node. An
// empty document is a problem unless allowEmpty, when it is an empty
// mapping (a base spec with nothing in it yet).
//
// Bytes that are not UTF-8, and files too big or too deeply nested to be a
// spec, are refused here, for specs and base files alike, before anything
// walks the tree (see limits.go).
func parseDocument(file string, data []byte, allowEmpty bool) (*yaml.Node, ErrorList) {
	if errs := checkUTF8(file, data); errs != nil {
		return nil, errs
	}
	if errs := checkItems(file, data); errs != nil {
		return nil, errs
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			if allowEmpty {
				return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}, nil
			}
			return nil, ErrorList{{File: file, Line: 1, Column: 1, Msg: "the spec is empty; start with \"version: 1\"", Kind: ErrRequired}}
		}
		e := &Error{File: file, Line: 1, Column: 1, Kind: ErrSyntax}
		e.Line, e.Msg = yamlError(err)
		if line, col, ok := syntaxPosition(data, e.Line, e.Msg); ok {
			e.Line, e.Column = line, col
		}
		e.Msg += " (the spec is not valid YAML)"
		return nil, ErrorList{e}
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		line := next.Line
		if line == 0 {
			line = 1
		}
		return nil, ErrorList{{File: file, Line: line, Column: 1, Msg: "a spec holds one YAML document; remove the \"---\" and what follows, or split it into another file", Kind: ErrSyntax}}
	}
	if errs := checkShape(file, doc.Content[0]); errs != nil {
		return nil, errs
	}
	return doc.Content[0], nil
}

// decoder walks a YAML node tree into a Spec, collecting every problem.
type decoder struct {
	file string
	abs  string // file's absolute path
	// specDir is the spec's folder as seen from the build context: "."
	// unless the spec names a context above its folder.
	specDir  string
	errs     ErrorList
	warnings []*Error
	// nodes maps a field's path ("runtime.user") to its value node, so
	// checks after decoding can point at it.
	nodes map[string]*yaml.Node
	// known, when not nil, records the keys accepted at each mapping path
	// decoded, so tests can compare them with the schema.
	known map[string][]string
	// origin maps nodes inherited through extends to their file; the
	// other nodes are from file.
	origin *origins
	// stageStates are the stages decoded, in the order of Spec.Stages.
	stageStates []stageState
}

func (d *decoder) errorf(n *yaml.Node, kind error, format string, args ...any) {
	d.errs = append(d.errs, d.newError(n, kind, format, args...))
}

func (d *decoder) warnf(n *yaml.Node, kind error, format string, args ...any) {
	d.warnings = append(d.warnings, d.newError(n, kind, format, args...))
}

func (d *decoder) newError(n *yaml.Node, kind error, format string, args ...any) *Error {
	e := &Error{File: d.fileOf(n), Msg: fmt.Sprintf(format, args...), Kind: kind}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

// fileOf returns the file that node n was read from.
func (d *decoder) fileOf(n *yaml.Node) string {
	if f, ok := d.origin.get(n); ok {
		return f
	}
	return d.file
}

// at returns the node decoded at path, or the closest decoded parent.
func (d *decoder) at(path string) *yaml.Node {
	for {
		if n, ok := d.nodes[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return d.nodes[""]
		}
		path = path[:i]
	}
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!null":
		return "empty"
	case "!!str":
		return "a string"
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	}
	return "a " + strings.TrimPrefix(n.Tag, "!!")
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// itemPath returns the path of item i of the list at path.
func itemPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

func where(path string) string {
	if path == "" {
		return "at the top level"
	}
	return "under " + path
}

// fields decodes the mapping n at path, calling field with each key, its
// value and its path. keys are the keys the mapping may hold: field must
// handle each of them. Unknown and duplicate keys are reported.
//
// Each caller switches on the key in a function literal that fields does
// not keep, so decoding a mapping allocates no table of handlers.
func (d *decoder) fields(n *yaml.Node, path string, keys []string, field func(key string, v *yaml.Node, path string)) bool {
	n = resolve(n)
	d.nodes[path] = n
	if n.Kind != yaml.MappingNode {
		d.errorf(n, ErrType, "%s must be a mapping of keys to values, not %s", describe(path), kindName(n))
		return false
	}
	if d.known != nil {
		d.known[path] = sortedCopy(keys)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Tag == "!!merge" {
			d.errorf(k, ErrUnknownKey, "YAML merge keys (<<) are not supported; use extends to share settings between specs")
			continue
		}
		if !slices.Contains(keys, k.Value) {
			known := sortedCopy(keys)
			msg := fmt.Sprintf("unknown key %q %s", k.Value, where(path))
			if s := suggest(k.Value, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += fmt.Sprintf(" (known keys: %s)", strings.Join(known, ", "))
			}
			d.errorf(k, ErrUnknownKey, "%s", msg)
			continue
		}
		if seenKey(n.Content[:i], k.Value) {
			d.errorf(k, ErrInvalid, "key %q appears twice %s; keep one", k.Value, where(path))
			continue
		}
		v = resolve(v)
		p := join(path, k.Value)
		d.nodes[p] = v
		field(k.Value, v, p)
	}
	return true
}

// sortedCopy returns keys sorted, leaving keys as they are.
func sortedCopy(keys []string) []string {
	out := slices.Clone(keys)
	slices.Sort(out)
	return out
}

// seenKey reports whether the mapping entries before holds key, other
// than as a merge key (which fields skips). A mapping has a few keys:
// searching them beats a map.
func seenKey(before []*yaml.Node, key string) bool {
	for i := 0; i+1 < len(before); i += 2 {
		if before[i].Value == key && before[i].Tag != "!!merge" {
			return true
		}
	}
	return false
}

func describe(path string) string {
	if path == "" {
		return "the spec"
	}
	return path
}

// str decodes a scalar. Numbers and booleans are taken as written.
func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, ErrType, "%s must be a string, not %s", path, kindName(n))
		return "", false
	}
	return n.Value, true
}

// text decodes a scalar that reaches the Dockerfile: it must be one line.
func (d *decoder) text(n *yaml.Node, path string) (string, bool) {
	s, ok := d.str(n, path)
	if ok && !d.oneLine(n, path, s) {
		return "", false
	}
	return s, ok
}

// MaxValueLen is the longest value, in bytes, that wharf puts on a
// Dockerfile line. BuildKit refuses lines over 64 KiB; a longer value
// belongs in a file of the project.
const MaxValueLen = 4096

// oneLine rejects values that a Dockerfile line cannot hold, or that would
// make the Dockerfile read differently to a person than to BuildKit.
func (d *decoder) oneLine(n *yaml.Node, path, s string) bool {
	switch {
	case strings.ContainsAny(s, "\n\r"):
		what := "the Dockerfile instruction"
		if path == "ignore" || strings.HasPrefix(path, "ignore[") {
			what = "the .dockerignore line, and start another"
		}
		d.errorf(n, ErrInvalid, "%s must be a single line; a line break would end %s", path, what)
		return false
	case strings.ContainsRune(s, 0):
		d.errorf(n, ErrInvalid, "%s contains a NUL byte; remove it", path)
		return false
	case len(s) > MaxValueLen:
		d.errorf(n, ErrInvalid, "%s is %d bytes long; values are at most %d bytes, so put long content in a file of the project", path, len(s), MaxValueLen)
		return false
	}
	if i, r := hiddenRune(s); i >= 0 {
		e := d.newError(n, ErrInvalid, "%s holds the invisible character %U at byte %d, which would make the Dockerfile read differently in an editor than in a build; remove it", path, r, i)
		if n != nil && n.Style == 0 && n.Line > 0 {
			// A plain scalar is written as its value: point at the character.
			e.Column += utf8.RuneCountInString(s[:i])
		}
		d.errs = append(d.errs, e)
		return false
	}
	return true
}

// hiddenRune finds the first character that a value must not hold although
// YAML allows it: control characters other than tab, Unicode line and
// paragraph separators, and every format character (Unicode category Cf):
// bidirectional marks, embeddings, overrides and isolates (which reorder
// how a line is displayed: U+061C, U+200E, U+200F, U+202A-U+202E,
// U+2066-U+2069), zero-width characters, tag characters and the
// byte-order mark. It returns -1 when there is none.
func hiddenRune(s string) (int, rune) {
	ascii := 0
	for ascii < len(s) && s[ascii] >= 0x20 && s[ascii] < 0x7f {
		ascii++ // printable ASCII: most values are nothing else
	}
	for j, r := range s[ascii:] {
		i := ascii + j
		switch {
		case r < 0x20 && r != '\t', r >= 0x7f && r <= 0x9f,
			r == '\u2028', r == '\u2029':
			return i, r
		case r >= 0xa0 && unicode.Is(unicode.Cf, r):
			return i, r
		}
	}
	return -1, 0
}

// nonEmpty decodes a one-line scalar that must not be blank.
func (d *decoder) nonEmpty(n *yaml.Node, path string) (string, bool) {
	s, ok := d.text(n, path)
	if ok && strings.TrimSpace(s) == "" {
		d.errorf(n, ErrRequired, "%s must not be empty", path)
		return "", false
	}
	return s, ok
}

func (d *decoder) boolean(n *yaml.Node, path string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.errorf(n, ErrType, "%s must be true or false, not %s", path, kindName(n))
		return false
	}
	var b bool
	_ = n.Decode(&b)
	return b
}

func (d *decoder) integer(n *yaml.Node, path string) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!float" {
			d.errorf(n, ErrType, "%s must be a whole number, not %s: write %s", path, n.Value, wholePart(n.Value))
		} else {
			d.errorf(n, ErrType, "%s must be a whole number, not %s", path, kindName(n))
		}
		return 0, false
	}
	i, err := strconv.Atoi(n.Value)
	if err != nil {
		d.errorf(n, ErrInvalid, "%s: %q is out of range", path, n.Value)
		return 0, false
	}
	return i, true
}

// wholePart returns the whole number a decimal like 1.0 stands for, or an
// example when it is not one.
func wholePart(decimal string) string {
	whole, frac, _ := strings.Cut(decimal, ".")
	if whole != "" && strings.Trim(frac, "0") == "" && digits.span(strings.TrimPrefix(whole, "-")) == len(strings.TrimPrefix(whole, "-")) {
		return whole
	}
	return "a number like 1"
}

// list decodes a sequence of one-line strings, none of them empty.
func (d *decoder) list(n *yaml.Node, path, example string) []string {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, ErrType, "%s must be a list, e.g. %s, not %s", path, example, kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for i, item := range n.Content {
		item = resolve(item)
		p := itemPath(path, i)
		d.nodes[p] = item
		if s, ok := d.nonEmpty(item, p); ok {
			out = append(out, s)
		}
	}
	return out
}

// dict decodes a mapping of names to one-line strings. valid says whether
// a name is one, and rule what a name must look like.
func (d *decoder) dict(n *yaml.Node, path string, valid func(string) bool, keyRule string) map[string]string {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, ErrType, "%s must be a mapping of names to values, e.g. {KEY: value}, not %s", path, kindName(n))
		return nil
	}
	out := make(map[string]string, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.Tag == "!!null" {
			d.str(k, path+" key") // reports it
			continue
		}
		name := k.Value
		p := path + "." + name
		d.nodes[p] = v
		if !valid(name) {
			d.errorf(k, ErrInvalid, "%s: %q is not a valid name; %s", path, name, keyRule)
			continue
		}
		if _, dup := out[name]; dup {
			d.errorf(k, ErrInvalid, "%s: %q appears twice; keep one", path, name)
			continue
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			// In env, null removes an inherited variable; with none inherited
			// there is nothing to set (an empty value is written ""). An
			// ARG or a LABEL with no value is still declared, empty.
			if !strings.HasSuffix(path, ".env") {
				out[name] = ""
			}
			continue
		}
		if s, ok := d.text(v, p); ok {
			out[name] = s
		}
	}
	return out
}

// replaceImages returns root with the stage images of images in place of
// those it names. It copies every node it changes: the nodes of base files
// are shared by the specs a Loader loads.
func replaceImages(root *yaml.Node, images map[string]string) *yaml.Node {
	ref := func(at *yaml.Node, v string) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Line: at.Line, Column: at.Column}
	}
	out := *root
	out.Content = slices.Clone(root.Content)
	var imgs *yaml.Node
	for i := 0; i+1 < len(out.Content); i += 2 {
		if out.Content[i].Value == "images" && out.Content[i+1].Kind == yaml.MappingNode {
			c := *out.Content[i+1]
			c.Content = slices.Clone(c.Content)
			imgs, out.Content[i+1] = &c, &c
		}
	}
	if imgs == nil {
		imgs = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: root.Line, Column: root.Column}
		out.Content = append(out.Content, ref(root, "images"), imgs)
	}
	for _, stage := range []string{"builder", "runner"} {
		v, ok := images[stage]
		if !ok {
			continue
		}
		found := false
		for i := 0; i+1 < len(imgs.Content); i += 2 {
			if imgs.Content[i].Value != stage {
				continue
			}
			found = true
			old := imgs.Content[i+1]
			if old.Kind != yaml.MappingNode {
				imgs.Content[i+1] = ref(old, v)
				continue
			}
			m := *old
			m.Content = slices.Clone(old.Content)
			for j := 0; j+1 < len(m.Content); j += 2 {
				if m.Content[j].Value == "image" {
					m.Content[j+1] = ref(m.Content[j+1], v)
				}
			}
			imgs.Content[i+1] = &m
		}
		if !found {
			imgs.Content = append(imgs.Content, ref(imgs, stage), ref(imgs, v))
		}
	}
	return &out
}
