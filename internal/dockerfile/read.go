// Package dockerfile reads a hand-written Dockerfile with BuildKit's own
// parser, and maps what it finds onto a proposed wharf spec: the final
// stage's ports, command, environment, user, healthcheck and labels, the
// packages each stage installs, the base images, and the files copied into
// the final stage. What does not map is listed with its line, never
// dropped. wharf init and wharf import use it.
package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
)

// Error is a Dockerfile that wharf cannot read, at a position.
type Error struct {
	File         string
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// File is a parsed Dockerfile.
type File struct {
	Name   string   // as given to Read, for positions
	lines  []string // source lines, for columns and quotes
	Stages []*Stage // in order; the last is the final stage
	// MetaArgs are the ARGs before the first FROM, with their defaults.
	MetaArgs []instructions.KeyValuePairOptional
	metaLine map[string]int
	escape   rune
}

// Stage is one FROM and its instructions.
type Stage struct {
	Index int
	Name  string // the AS name, lowercase; "" when unnamed
	// Image is the base image with ARGs substituted; for a stage built
	// FROM an earlier one, that stage's image.
	Image string
	// Parent is the earlier stage this one is built FROM, or nil.
	Parent   *Stage
	Line     int    // of the FROM
	From     string // the FROM line as written
	Platform string
	Commands []instructions.Command
}

// Final is the last stage, the image docker build produces by default.
func (f *File) Final() *Stage { return f.Stages[len(f.Stages)-1] }

// MaxSize is the largest hand-written Dockerfile init and import read.
const MaxSize = 4 << 20

// Read parses data, the Dockerfile called name (which positions name).
// A Dockerfile that BuildKit cannot parse, that has no FROM, or whose
// FROM uses an ARG with no default, is an *Error.
func Read(name string, data []byte) (*File, error) {
	f := &File{Name: name, lines: strings.Split(string(data), "\n"), metaLine: map[string]int{}}
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, f.locate(err, 0, "fix it so that docker build reads it")
	}
	f.escape = res.EscapeToken
	stages, meta, err := instructions.Parse(res.AST, linter.New(&linter.Config{SkipAll: true}))
	if err != nil {
		return nil, f.locate(err, 0, "fix it so that docker build reads it")
	}
	if len(stages) == 0 {
		line := 1
		if n := len(res.AST.Children); n > 0 {
			line = res.AST.Children[n-1].StartLine
		}
		return nil, &Error{File: name, Line: line, Column: 1, Msg: "the Dockerfile has no FROM, so no final stage to read; add a FROM line naming the base image"}
	}
	for _, a := range meta {
		for _, kv := range a.Args {
			f.MetaArgs = append(f.MetaArgs, kv)
			f.metaLine[kv.Key] = line(a.Location())
		}
	}
	lex := shell.NewLex(f.escape)
	byName := map[string]*Stage{}
	for i := range stages {
		st := &stages[i]
		s := &Stage{Index: i, Name: st.Name, Line: line(st.Location), From: st.SourceCode, Platform: st.Platform, Commands: st.Commands}
		res, err := lex.ProcessWordWithMatches(st.BaseName, metaEnv(f.MetaArgs))
		if err != nil {
			return nil, &Error{File: name, Line: s.Line, Column: f.column(s.Line, st.BaseName), Msg: fmt.Sprintf("FROM %s: %v; write the image name", st.BaseName, err)}
		}
		if len(res.Unmatched) > 0 || res.Result == "" {
			var missing []string
			for k := range res.Unmatched {
				missing = append(missing, k)
			}
			slices.Sort(missing)
			msg := fmt.Sprintf("FROM %s names no image: ", st.BaseName)
			switch {
			case len(missing) == 0:
				msg += "it is empty once the ARGs are substituted"
			case f.hasMeta(missing[0]):
				msg += fmt.Sprintf("ARG %s (line %d) has no default", missing[0], f.metaLine[missing[0]])
			default:
				msg += fmt.Sprintf("no ARG %s before the first FROM declares it", missing[0])
			}
			msg += "; give the ARG a default (ARG NAME=value before the first FROM) or write the image name"
			return nil, &Error{File: name, Line: s.Line, Column: f.column(s.Line, st.BaseName), Msg: msg}
		}
		s.Image = res.Result
		if p, ok := byName[strings.ToLower(s.Image)]; ok {
			s.Parent, s.Image = p, p.Image
		}
		if s.Name != "" {
			byName[s.Name] = s
		}
		f.Stages = append(f.Stages, s)
	}
	return f, nil
}

func (f *File) hasMeta(key string) bool {
	_, ok := f.metaLine[key]
	return ok
}

// metaEnv is the environment FROM lines are expanded with: the meta ARGs
// that have a default.
func metaEnv(args []instructions.KeyValuePairOptional) shell.EnvGetter {
	m := envMap{}
	for _, a := range args {
		if a.Value != nil {
			m.set(a.Key, *a.Value)
		} else {
			m.unset(a.Key)
		}
	}
	return m
}

// envMap is a shell.EnvGetter over ordered keys.
type envMap struct {
	keys []string
	vals map[string]string
}

func (m *envMap) set(k, v string) {
	if m.vals == nil {
		m.vals = map[string]string{}
	}
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
}

func (m *envMap) unset(k string) {
	if _, ok := m.vals[k]; ok {
		delete(m.vals, k)
		m.keys = slices.DeleteFunc(m.keys, func(s string) bool { return s == k })
	}
}

func (m envMap) Get(k string) (string, bool) {
	v, ok := m.vals[k]
	return v, ok
}

func (m envMap) Keys() []string { return m.keys }

// locate turns a BuildKit error into an *Error at its line, or at line
// fallback when it has none.
func (f *File) locate(err error, fallback int, fix string) error {
	ln := fallback
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		ln = le.Locations[0][0].Start.Line
	}
	var ue *instructions.UnknownInstructionError
	if errors.As(err, &ue) {
		ln = ue.Line
	}
	msg := parseErrorPrefix.ReplaceAllString(err.Error(), "")
	if strings.Contains(msg, "no build stage in current context") {
		return &Error{File: f.Name, Line: ln, Column: f.column(ln, ""), Msg: "an instruction before the first FROM: the Dockerfile has no stage to run it in; add a FROM line naming the base image above it"}
	}
	if ln <= 0 {
		ln = 1
	}
	return &Error{File: f.Name, Line: ln, Column: f.column(ln, ""), Msg: msg + "; " + fix}
}

// parseErrorPrefix is what BuildKit puts before an instruction's error;
// wharf gives the position its own way.
var parseErrorPrefix = lazyregexp.New(`^dockerfile parse error on line [0-9]+: `)

// column is the 1-based column of text in line ln, or of the line's first
// non-blank character when text is "" or not found.
func (f *File) column(ln int, text string) int {
	if ln < 1 || ln > len(f.lines) {
		return 1
	}
	l := f.lines[ln-1]
	if text != "" {
		if i := strings.Index(l, text); i >= 0 {
			return i + 1
		}
	}
	return len(l) - len(strings.TrimLeft(l, " \t")) + 1
}

// line is the first line of a location.
func line(loc []parser.Range) int {
	if len(loc) == 0 {
		return 0
	}
	return loc[0].Start.Line
}

// InstructionLines are the lines where the Dockerfile's instructions
// start, in order: the ARGs before the first FROM, each FROM and the
// instructions of its stage.
func (f *File) InstructionLines() []int {
	var out []int
	for _, a := range f.MetaArgs {
		out = append(out, f.metaLine[a.Key])
	}
	for _, s := range f.Stages {
		out = append(out, s.Line)
		for _, c := range s.Commands {
			out = append(out, line(c.Location()))
		}
	}
	return slices.Compact(out)
}
