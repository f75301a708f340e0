package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/cleanpath"
	"github.com/wharf-dev/wharf/internal/readfile"
)

// extends is implemented here; the rules are in the package doc (spec.go).
// The effective spec is built by merging YAML trees before decoding, so the
// decoder is the same for every spec and every value keeps its file, line
// and column (merger.origin maps inherited nodes to their file).

// extendsKey and appendKey are the keys the merge itself reads.
const (
	extendsKey = "extends"
	appendKey  = "append"
)

// baseFile is a parsed base spec, read once per Loader and shared, read
// only, by every spec that extends it.
type baseFile struct {
	once sync.Once
	root *yaml.Node // nil when the file has problems
	// err is why the file could not be read (fs.ErrNotExist, ...).
	err error
	// problems are the file's YAML problems, with File left empty: the
	// name to show depends on the spec that extends it.
	problems ErrorList
	// values is how many values root holds, aliases expanded: what the
	// file adds to the merged size of a spec that extends it.
	values int
}

// baseReads counts base files read from disk, for tests.
var baseReads atomic.Int64

// readBase returns the parsed base file at the absolute path abs, reading
// it on first use.
func (l *Loader) readBase(abs string) *baseFile {
	l.mu.Lock()
	if l.files == nil {
		l.files = map[string]*baseFile{}
	}
	b := l.files[abs]
	if b == nil {
		b = &baseFile{}
		l.files[abs] = b
	}
	l.mu.Unlock()
	b.once.Do(func() {
		baseReads.Add(1)
		data, err := readLimited(abs)
		if err != nil {
			b.err = err
			return
		}
		b.parse(data)
	})
	return b
}

// parse sets b from the base file's bytes.
func (b *baseFile) parse(data []byte) {
	if len(data) > MaxSize {
		b.err = fmt.Errorf("it is larger than %d bytes; a spec is a short file, check that this is the right one", MaxSize)
		return
	}
	b.root, b.problems = parseDocument("", data, true)
	if b.root != nil {
		b.values = countValues(b.root)
	}
}

// SetBase makes l read data as the base spec at path instead of the file
// there, if any: wharf init checks the specs it proposes, which extend a
// base, before it writes the base.
func (l *Loader) SetBase(path string, data []byte) error {
	abs, err := newMerger(l, "").abs(path)
	if err != nil {
		return err
	}
	b := &baseFile{}
	b.once.Do(func() { b.parse(data) })
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.files == nil {
		l.files = map[string]*baseFile{}
	}
	l.files[abs] = b
	return nil
}

// readLimited reads a spec file, up to one byte more than MaxSize so
// that callers can tell a file that is too large.
func readLimited(path string) ([]byte, error) {
	return readfile.Read(path, 0, MaxSize+1)
}

// merger builds the effective tree of one spec from its own tree and the
// trees of the files it extends.
type merger struct {
	loader *Loader
	// top is the spec's own file: nodes not in origin come from it.
	top string
	// origin maps each node that does not come from top to its file.
	origin *origins
	errs   ErrorList
	// bases are the files inherited from, in the order first met.
	bases    []string
	reported map[string]bool
	// reports, when not nil, records every base file met, in the order
	// first met, once each (see resolvedBase).
	reports []frame
	// values is how many values the bases in reported hold in all.
	values int
	// done holds the bases this merger has resolved itself, so that a base
	// met again (extends form a DAG, not a tree) is merged, not expanded
	// again.
	done map[frame]doneBase
	// deepest is the longest chain of extends met so far, in files.
	deepest int
	// building are the base files whose shared trees are being built by
	// the mergers this one was started from (see resolvedBase). A base
	// among them is resolved here, where its cycle shows, rather than
	// shared.
	building []frame
	// stopped is set once a bound on extends is crossed: one message is
	// enough, and going on would cost what the bound is there to save.
	stopped bool
}

// doneBase is a base this merger resolved: its tree (nil when it has
// problems, already reported) and the length of the longest chain of
// extends from it, itself included.
type doneBase struct {
	tree   *yaml.Node
	height int
}

// origins maps YAML nodes to the file each was read from. It is a stack
// of maps, newest last, so that the shared origins of a resolved base file
// join a spec's without being copied; a node's file is the one most
// recently set.
type origins struct {
	layers []map[*yaml.Node]string
	// own says that the newest layer is this spec's, to set entries in;
	// the others may be shared.
	own bool
}

func (o *origins) get(n *yaml.Node) (string, bool) {
	if o == nil {
		return "", false
	}
	for i := len(o.layers) - 1; i >= 0; i-- {
		if f, ok := o.layers[i][n]; ok {
			return f, true
		}
	}
	return "", false
}

func (o *origins) set(n *yaml.Node, file string) {
	if !o.own {
		o.layers = append(o.layers, map[*yaml.Node]string{})
		o.own = true
	}
	o.layers[len(o.layers)-1][n] = file
}

// adopt adds shared, read only, as if each of its entries were set now.
func (o *origins) adopt(shared map[*yaml.Node]string) {
	o.layers = append(o.layers, shared)
	o.own = false
}

// flatten returns all entries in one new map.
func (o *origins) flatten() map[*yaml.Node]string {
	n := 0
	for _, l := range o.layers {
		n += len(l)
	}
	out := make(map[*yaml.Node]string, n)
	for _, l := range o.layers {
		maps.Copy(out, l)
	}
	return out
}

// frame is one file being resolved, for cycle detection.
type frame struct{ abs, name string }

func newMerger(l *Loader, top string) *merger {
	return &merger{loader: l, top: top, origin: &origins{}, reported: map[string]bool{}, done: map[frame]doneBase{}}
}

// abs is filepath.Abs, but asks the system for the working folder once
// per Loader rather than once per file.
func (m *merger) abs(name string) (string, error) {
	if runtime.GOOS == "windows" {
		return filepath.Abs(name)
	}
	if filepath.IsAbs(name) {
		return cleanpath.Clean(name), nil
	}
	l := m.loader
	l.wdOnce.Do(func() { l.wd, l.wdErr = os.Getwd() })
	if l.wdErr != nil {
		return "", l.wdErr
	}
	return cleanpath.Join(l.wd, name), nil
}

// fileOf returns the file node n came from.
func (m *merger) fileOf(n *yaml.Node) string {
	if f, ok := m.origin.get(n); ok {
		return f
	}
	return m.top
}

func (m *merger) errorf(n *yaml.Node, kind error, format string, args ...any) {
	e := &Error{File: m.fileOf(n), Msg: fmt.Sprintf(format, args...), Kind: kind}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	m.errs = append(m.errs, e)
}

// resolve returns the effective tree of the file name, whose own tree is
// root: its bases merged in order, then its own keys over them. stack
// holds the files whose extends led here.
func (m *merger) resolve(root *yaml.Node, name, abs string, stack []frame) *yaml.Node {
	root = resolve(root)
	if root.Kind != yaml.MappingNode {
		if len(stack) > 0 {
			m.errorf(root, ErrType, "a base spec must be a mapping of keys to values, like a wharf.yaml; found %s", kindName(root))
			return nil
		}
		return root // the decoder explains what a spec must look like
	}
	own := &yaml.Node{}
	*own = *root
	own.Content = nil
	var entries *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case k.Value == extendsKey && entries == nil:
			entries = resolve(v)
			continue
		case k.Value == extendsKey:
			m.errorf(k, ErrExtends, "key %q appears twice at the top level; keep one", extendsKey)
			continue
		case k.Value == "version" && len(stack) > 0:
			if v := resolve(v); v.Kind != yaml.ScalarNode || v.Value != fmt.Sprint(CurrentVersion) {
				m.errorf(v, ErrVersion, "base spec version %s is not supported: this wharf reads version %d", v.Value, CurrentVersion)
			}
		}
		own.Content = append(own.Content, k, v)
	}
	if len(own.Content) != len(root.Content) {
		m.origin.set(own, m.fileOf(root))
	}
	var inherited *yaml.Node
	stack = append(stack, frame{abs, name})
	for _, entry := range m.distinct(m.extendsEntries(entries), name) {
		if base := m.base(entry, name, stack); base != nil {
			inherited = m.merge(inherited, base)
		}
	}
	if inherited == nil {
		return m.merge(nil, own)
	}
	return m.merge(inherited, own)
}

// extendsEntries checks the value of extends: a path or a list of paths.
func (m *merger) extendsEntries(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []*yaml.Node
	for _, item := range items {
		item = resolve(item)
		switch {
		case item.Kind != yaml.ScalarNode || item.Tag == "!!null":
			m.errorf(item, ErrExtends, "extends must be a list of spec files, e.g. [../base.yaml], not %s", kindName(item))
		case strings.TrimSpace(item.Value) == "":
			m.errorf(item, ErrExtends, "extends names an empty path; name a spec file, e.g. ../base.yaml")
		case strings.ContainsAny(item.Value, "\n\r\x00"):
			m.errorf(item, ErrExtends, "extends entries must be a single-line path")
		default:
			out = append(out, item)
		}
	}
	return out
}

// distinct returns the entries of the extends list of the file from,
// reporting and dropping those that name a file an earlier entry names:
// merging a base twice is at best no change, and costs each time.
func (m *merger) distinct(entries []*yaml.Node, from string) []*yaml.Node {
	out := entries[:0:0]
	listed := map[string]*yaml.Node{}
	again := map[string]bool{} // one message for each file listed again
	for _, entry := range entries {
		_, name := baseName(entry.Value, from)
		if prev := listed[name]; prev != nil {
			if !again[name] {
				again[name] = true
				m.errorf(entry, ErrExtends, "extends lists %s more than once (first at line %d, column %d); keep one", entry.Value, prev.Line, prev.Column)
			}
			continue
		}
		listed[name] = entry
		out = append(out, entry)
	}
	return out
}

// baseName returns the path that an extends entry in the file from
// holds, and the name of the file it names: rel joined to from's folder.
func baseName(entry, from string) (rel, name string) {
	rel = filepath.FromSlash(entry)
	name = rel
	if !filepath.IsAbs(rel) {
		name = cleanpath.Join(cleanpath.Dir(from), rel)
	}
	return rel, name
}

// base reads, resolves and returns the tree of the base file that entry
// names, or nil after reporting why it cannot.
//
// Each base is resolved once per merger, and once per Loader when it can
// be shared, however many paths of extends lead to it; the length of the
// chains, the number of bases and the values they hold are bounded (see
// limits.go), so a hostile graph of extends costs little.
func (m *merger) base(entry *yaml.Node, from string, stack []frame) *yaml.Node {
	if m.stopped {
		return nil
	}
	rel, name := baseName(entry.Value, from)
	abs, err := m.abs(name)
	if err != nil {
		m.errorf(entry, ErrExtends, "extends %s: %v", entry.Value, err)
		return nil
	}
	for i, f := range stack {
		if f.abs == abs {
			chain := make([]string, 0, len(stack)-i+1)
			for _, g := range stack[i:] {
				chain = append(chain, g.name)
			}
			chain = append(chain, name)
			m.errorf(entry, ErrExtends, "extends cycle: %s; a spec cannot inherit from itself, remove one of these extends", strings.Join(chain, " -> "))
			return nil
		}
	}
	key := frame{abs, name}
	// depth is how many files of extends lead from the spec to this one.
	depth := len(stack)
	if depth > MaxExtendsDepth {
		m.bound(entry, "extends %s: the chain of extends is more than %d files deep here (%s); a spec inherits from a few shared files, so merge some of these into one",
			entry.Value, MaxExtendsDepth, chainNames(stack, name))
		return nil
	}
	if d, ok := m.done[key]; ok && depth-1+d.height <= MaxExtendsDepth {
		m.deepest = max(m.deepest, depth-1+d.height)
		return d.tree
	}
	if !m.reported[abs] && len(m.reported) >= MaxBases {
		m.bound(entry, "extends %s: the spec inherits from more than %d files; merge some of the bases into one", entry.Value, MaxBases)
		return nil
	}
	b := m.loader.readBase(abs)
	switch {
	case errors.Is(b.err, fs.ErrNotExist):
		looked := ""
		if name != rel {
			looked = " (looked for " + name + ")"
		}
		m.errorf(entry, ErrExtends, "extends %s: no such file%s; paths in extends are relative to the file that names them", entry.Value, looked)
		return nil
	case b.err != nil:
		m.errorf(entry, ErrExtends, "extends %s: cannot read %s: %v", entry.Value, name, b.err)
		return nil
	case b.problems != nil:
		if !m.reported[abs] {
			m.reported[abs] = true
			m.bases = append(m.bases, name)
			for _, p := range b.problems {
				e := *p
				e.File = name
				m.errs = append(m.errs, &e)
			}
		}
		return nil
	}
	m.report(abs, name)
	if m.values > MaxExtendsValues {
		m.bound(entry, "extends %s: the files the spec inherits from hold more than %d values in all; a base is a short file, check that these are the right ones", entry.Value, MaxExtendsValues)
		return nil
	}
	m.deepest = max(m.deepest, depth)
	// A tree is shared unless it is being built above, or the trees being
	// built above are already as many as a chain of extends may be long:
	// then it is resolved in place, which is where the bound shows.
	if shareResolved && len(m.building) < MaxExtendsDepth && !slices.ContainsFunc(m.building, func(f frame) bool { return f.abs == abs }) {
		r := m.loader.resolvedBase(b, abs, name, m.building)
		if r.tree != nil && !r.meets(stack) && depth-1+r.height <= MaxExtendsDepth && m.fits(r) {
			m.origin.adopt(r.origin)
			for _, f := range r.bases {
				m.report(f.abs, f.name)
			}
			m.deepest = max(m.deepest, depth-1+r.height)
			m.done[key] = doneBase{r.tree, r.height}
			return r.tree
		}
		// Resolve it here, to report its problems (or the bound it
		// crosses from here) as this spec's.
	}
	m.mark(b.root, name)
	saved := m.deepest
	m.deepest = depth
	tree := m.resolve(b.root, name, abs, stack)
	height := m.deepest - depth + 1
	m.deepest = max(saved, m.deepest)
	m.done[key] = doneBase{tree, height}
	return tree
}

// bound reports that a bound on extends is crossed at entry, and stops
// the merge.
func (m *merger) bound(entry *yaml.Node, format string, args ...any) {
	m.errorf(entry, ErrExtends, format, args...)
	m.stopped = true
}

// chainNames shows the files of stack and then name, as a chain of
// extends; a long chain shows its ends.
func chainNames(stack []frame, name string) string {
	var names []string
	for _, f := range stack {
		if f.abs != "" { // not resolvedBase's placeholder
			names = append(names, f.name)
		}
	}
	names = append(names, name)
	if len(names) > 6 {
		names = append(append(names[:3:3], fmt.Sprintf("... %d more ...", len(names)-6)), names[len(names)-3:]...)
	}
	return strings.Join(names, " -> ")
}

// fits reports whether the bases of r, added to those already met, stay
// within MaxBases and MaxExtendsValues.
func (m *merger) fits(r *resolved) bool {
	n, values := len(m.reported), m.values
	for _, f := range r.bases {
		if !m.reported[f.abs] {
			n++
			values += m.loader.values(f.abs)
		}
	}
	return n <= MaxBases && values <= MaxExtendsValues
}

// values returns how many values the base file read from abs holds.
func (l *Loader) values(abs string) int {
	l.mu.Lock()
	b := l.files[abs]
	l.mu.Unlock()
	if b == nil {
		return 0
	}
	return b.values
}

// report records that the spec inherits from the file name, once.
func (m *merger) report(abs, name string) {
	if m.reported[abs] {
		return
	}
	m.reported[abs] = true
	m.bases = append(m.bases, name)
	m.values += m.loader.values(abs)
	if m.reports != nil {
		m.reports = append(m.reports, frame{abs, name})
	}
}

// shareResolved turns on sharing resolved base files between specs; tests
// turn it off to compare.
var shareResolved = true

// resolved is the effective tree of a base file with its own bases merged
// in, built once per Loader for each way of naming the file and shared,
// read only, by every spec that extends it. It is built as if a spec
// extended the file directly, so it does not depend on which spec asked
// first; a problem is kept as well, so that a base with one is not
// resolved again for every file that extends it.
type resolved struct {
	// tree is nil when resolving found a problem: each spec that extends
	// the file then resolves it itself, to report the problem as its own.
	tree *yaml.Node
	// origin maps every node of tree, and below, to its file.
	origin map[*yaml.Node]string
	// bases are the files the tree inherits from, once each, in the order
	// first met.
	bases []frame
	// height is the length of the longest chain of extends from the
	// file, itself included.
	height int
}

// meets reports whether the files r was built from include one of stack:
// a cycle through the spec, which only resolving it anew reports.
func (r *resolved) meets(stack []frame) bool {
	for _, f := range stack {
		for _, b := range r.bases {
			if b.abs == f.abs {
				return true
			}
		}
	}
	return false
}

// resolvedBase returns the resolved tree of the base file b, read from abs
// and named name. The name is part of the key because the tree's origins,
// and the names of its own bases, are built from it.
//
// A tree is built without holding a lock, since building it may need the
// trees of its bases, which other goroutines may be building: two
// goroutines may build the same tree once each, and the first to finish
// stores it.
//
// building are the files whose trees are being built by the callers: a
// base among them is not shared but resolved in place (see merger.base),
// where the cycle through it shows. The tree is the same either way.
func (l *Loader) resolvedBase(b *baseFile, abs, name string, building []frame) *resolved {
	key := frame{abs, name}
	l.mu.Lock()
	r := l.resolved[key]
	l.mu.Unlock()
	if r != nil {
		return r
	}
	m := newMerger(l, name)
	m.reports = []frame{key}
	m.building = append(slices.Clip(building), key)
	m.deepest = 1
	m.mark(b.root, name)
	// The empty frame stands for the spec that extends the file, whichever
	// it is, so that the file is resolved as a base.
	tree := m.resolve(b.root, name, abs, []frame{{}})
	r = &resolved{bases: m.reports[1:], height: m.deepest}
	if len(m.errs) == 0 && tree != nil {
		r.tree, r.origin = tree, m.origin.flatten()
	}
	l.mu.Lock()
	if l.resolved == nil {
		l.resolved = map[frame]*resolved{}
	}
	if prev := l.resolved[key]; prev != nil {
		r = prev
	} else {
		l.resolved[key] = r
	}
	l.mu.Unlock()
	return r
}

// mark records that n and everything below it come from file.
func (m *merger) mark(n *yaml.Node, file string) {
	if n == nil {
		return
	}
	if f, done := m.origin.get(n); done && f == file {
		return
	}
	m.origin.set(n, file)
	for _, c := range n.Content {
		m.mark(c, file)
	}
}

// merge returns over merged onto base, which is nil when nothing is
// inherited. It never modifies either tree: base files are shared.
func (m *merger) merge(base, over *yaml.Node) *yaml.Node {
	base, over = resolve(base), resolve(over)
	if items, key, ok := appendForm(over); ok {
		out := m.derived(over)
		out.Kind, out.Tag, out.Style = yaml.SequenceNode, "!!seq", 0
		switch {
		case base == nil || isNull(base):
			out.Content = items
		case base.Kind == yaml.SequenceNode:
			out.Content = append(append([]*yaml.Node{}, base.Content...), items...)
		default:
			m.errorf(key, ErrType, "append adds to an inherited list, but %s:%d sets this to %s; replace the value instead (drop the append)", m.fileOf(base), base.Line, kindName(base))
			return base // one message is enough
		}
		return out
	}
	if over.Kind != yaml.MappingNode || base == nil || base.Kind != yaml.MappingNode {
		if over.Kind == yaml.MappingNode {
			return m.mergeMapping(nil, over)
		}
		return over
	}
	return m.mergeMapping(base, over)
}

// mergeMapping merges two mappings key by key; base may be nil. Keys
// only in base keep their place; the rest follow in over's order.
func (m *merger) mergeMapping(base, over *yaml.Node) *yaml.Node {
	inherited := map[string]*yaml.Node{}
	overKeys := map[string]bool{}
	for i := 0; i+1 < len(over.Content); i += 2 {
		overKeys[over.Content[i].Value] = true
	}
	content := make([]*yaml.Node, 0, len(over.Content)+len(baseContent(base)))
	changed := base != nil
	if base != nil {
		for i := 0; i+1 < len(base.Content); i += 2 {
			k, v := base.Content[i], base.Content[i+1]
			if _, dup := inherited[k.Value]; !dup {
				inherited[k.Value] = v
			}
			if !overKeys[k.Value] {
				content = append(content, k, v)
			}
		}
	}
	for i := 0; i+1 < len(over.Content); i += 2 {
		k, v := over.Content[i], over.Content[i+1]
		bv, has := inherited[k.Value]
		delete(inherited, k.Value) // a duplicate key merges with nothing
		if has && isNull(resolve(v)) {
			continue // null removes the inherited value
		}
		var mv *yaml.Node
		if has {
			mv = m.merge(bv, v)
		} else {
			mv = m.merge(nil, v)
		}
		if mv != v {
			changed = true
		}
		content = append(content, k, mv)
	}
	if !changed {
		return over
	}
	out := m.derived(over)
	out.Content = content
	return out
}

// baseContent returns the entries of base, which may be nil.
func baseContent(base *yaml.Node) []*yaml.Node {
	if base == nil {
		return nil
	}
	return base.Content
}

// derived returns a copy of n's header (kind, tag, position), from n's file.
func (m *merger) derived(n *yaml.Node) *yaml.Node {
	out := &yaml.Node{}
	*out = *n
	out.Content = nil
	if f, ok := m.origin.get(n); ok {
		m.origin.set(out, f)
	}
	return out
}

// appendForm recognises {append: [...]}: a mapping whose only key is
// append, holding a list. No spec field takes such a mapping.
func appendForm(n *yaml.Node) (items []*yaml.Node, key *yaml.Node, ok bool) {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 || n.Content[0].Value != appendKey {
		return nil, nil, false
	}
	v := resolve(n.Content[1])
	if v.Kind != yaml.SequenceNode {
		return nil, nil, false
	}
	return v.Content, n.Content[0], true
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}
