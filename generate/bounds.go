package generate

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"time"
)

// Bounds on custom template blocks, which a platform team writes and any
// spec may name: a block that loops, or writes without end, must fail with
// an error naming it, not hang wharf or exhaust memory.
const (
	// MaxBlockOutput is the most a custom block may write for one spec,
	// and the longest string its functions may return.
	MaxBlockOutput = 1 << 20
	// maxFormatWidth is the widest width or precision printf may pad to.
	maxFormatWidth = 4096
	// maxOutput bounds the whole Dockerfile rendered with custom blocks,
	// however many times they are called.
	maxOutput = 4 * MaxBlockOutput
)

// RenderTimeout bounds the time the custom blocks may take to render one
// spec. Every range of a custom block checks it on each turn (see
// budgetFunc), so a block that loops stops with an error naming it; a
// Generator whose blocks ran out of time refuses every later spec with the
// same error rather than spend the time again.
var RenderTimeout = 500 * time.Millisecond

// budgetFunc names the function called at the start of every turn of a
// range in a custom block: it fails once the render is out of time.
const budgetFunc = "wharfBudget"

// errOutOfTime is budgetFunc's error.
var errOutOfTime = errors.New("out of time")

// errBlockTooLarge is a custom block's output over MaxBlockOutput.
var errBlockTooLarge = errors.New("writes more than the limit")

// blockWriter collects the rendered Dockerfile, counting what each custom
// block writes by the markers around its output (see blockStart), and
// fails once a block writes more than MaxBlockOutput or the render was
// given up.
type blockWriter struct {
	buf bytes.Buffer
	mu  sync.Mutex
	// stack holds the custom blocks being written, innermost last, and
	// wrote what each has written.
	stack []string
	wrote []int
	// over names the block that went over the limit.
	over string
}

func (w *blockWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch s := string(p); {
	case s == blockEnd:
		if n := len(w.stack); n > 0 {
			w.stack, w.wrote = w.stack[:n-1], w.wrote[:n-1]
		}
	case strings.HasPrefix(s, blockStart) && strings.HasSuffix(s, blockStartEnd) && len(s) > len(blockStart):
		w.stack = append(w.stack, s[len(blockStart):len(s)-len(blockStartEnd)])
		w.wrote = append(w.wrote, 0)
	default:
		// What a block writes counts for the blocks that called it too,
		// so that calling a block in a loop is bounded as well.
		for i := range w.wrote {
			if w.wrote[i] += len(p); w.wrote[i] > MaxBlockOutput {
				w.over = w.stack[i]
				return 0, errBlockTooLarge
			}
		}
		if w.buf.Len()+len(p) > maxOutput {
			w.over = w.blockLocked()
			return 0, errBlockTooLarge
		}
	}
	return w.buf.Write(p)
}

// block returns the innermost custom block being written, or "".
func (w *blockWriter) block() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.blockLocked()
}

func (w *blockWriter) blockLocked() string {
	if len(w.stack) == 0 {
		return ""
	}
	return w.stack[len(w.stack)-1]
}

// executeCustom renders the Dockerfile with the custom blocks of g within
// the bounds above: run renders it with a copy of set, whose custom blocks
// write into w.
func (g *Generator) executeCustom(set *template.Template, specFile string, run func(tmpl *template.Template, w *blockWriter) error) ([]byte, error) {
	if err := g.gaveUp.Load(); err != nil {
		return nil, *err
	}
	// Each render has its own deadline, so its own budget function, on a
	// copy of the template set (a few microseconds).
	deadline := time.Now().Add(RenderTimeout)
	tmpl, err := set.Clone()
	if err != nil {
		return nil, err
	}
	tmpl.Funcs(template.FuncMap{budgetFunc: func() (string, error) {
		if time.Now().After(deadline) {
			return "", errOutOfTime
		}
		return "", nil
	}})
	w := &blockWriter{}
	err = run(tmpl, w)
	switch {
	case errors.Is(err, errOutOfTime):
		where := fmt.Sprintf("the custom templates (%s)", strings.Join(g.customFiles(), ", "))
		if b := w.block(); b != "" {
			where = fmt.Sprintf("template %s: block %q", g.custom[b], b)
		}
		err := fmt.Errorf("%s did not finish rendering %s within %v; look for a range that does not end (such as {{range 2000000000}}); these templates render nothing more in this run", where, specFile, RenderTimeout)
		g.gaveUp.CompareAndSwap(nil, &err)
		return nil, err
	case errors.Is(err, errBlockTooLarge) && w.over == "":
		return nil, fmt.Errorf("the custom templates (%s) write more than %d bytes for %s; a Dockerfile is a few lines", strings.Join(g.customFiles(), ", "), maxOutput, specFile)
	case errors.Is(err, errBlockTooLarge):
		return nil, fmt.Errorf("template %s: block %q writes more than %d bytes for %s; a block writes a few Dockerfile lines", g.custom[w.over], w.over, MaxBlockOutput, specFile)
	case err != nil:
		return nil, fmt.Errorf("render Dockerfile for %s: %w", specFile, err)
	}
	return w.buf.Bytes(), nil
}

// addBudget makes every range under n call budgetFunc first on each turn.
func addBudget(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			addBudget(c)
		}
	case *parse.IfNode:
		addBudget(n.List)
		addBudget(n.ElseList)
	case *parse.WithNode:
		addBudget(n.List)
		addBudget(n.ElseList)
	case *parse.RangeNode:
		addBudget(n.List)
		addBudget(n.ElseList)
		call := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: n.Pos, Args: []parse.Node{parse.NewIdentifier(budgetFunc).SetPos(n.Pos)}}
		check := &parse.ActionNode{NodeType: parse.NodeAction, Pos: n.Pos, Line: n.Line, Pipe: &parse.PipeNode{NodeType: parse.NodePipe, Pos: n.Pos, Line: n.Line, Cmds: []*parse.CommandNode{call}}}
		n.List.Nodes = append([]parse.Node{check}, n.List.Nodes...)
	}
}

// boundedFuncs replace, for custom blocks, the functions that build
// strings (text/template's print, printf, println, html, js and urlquery,
// and wharf's), so that no string they return is longer than
// MaxBlockOutput and printf pads to no great width: a block could
// otherwise double a string in a loop, or pad one to gigabytes, before
// writing anything.
var boundedFuncs = func() template.FuncMap {
	m := template.FuncMap{
		"print":    bounded("print", fmt.Sprint),
		"println":  bounded("println", fmt.Sprintln),
		"html":     bounded("html", template.HTMLEscaper),
		"js":       bounded("js", template.JSEscaper),
		"urlquery": bounded("urlquery", template.URLQueryEscaper),
		"printf": func(format string, args ...any) (string, error) {
			if err := checkFormat(format); err != nil {
				return "", err
			}
			return limit("printf", fmt.Sprintf(format, args...))
		},
		"join": func(elems []string, sep string) (string, error) {
			n := len(sep) * max(len(elems)-1, 0)
			for _, e := range elems {
				n += len(e)
			}
			if n > MaxBlockOutput {
				return "", fmt.Errorf("join would return %d bytes, more than %d", n, MaxBlockOutput)
			}
			return strings.Join(elems, sep), nil
		},
	}
	return m
}()

// bounded wraps a string function so that it fails on a result over
// MaxBlockOutput, once it has one.
func bounded(name string, f func(...any) string) func(...any) (string, error) {
	return func(args ...any) (string, error) { return limit(name, f(args...)) }
}

func limit(name, s string) (string, error) {
	if len(s) > MaxBlockOutput {
		return "", fmt.Errorf("%s would return %d bytes, more than %d", name, len(s), MaxBlockOutput)
	}
	return s, nil
}

// checkFormat refuses a printf format with a width or precision over
// maxFormatWidth, or one taken from the arguments ('*').
func checkFormat(format string) error {
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '*' && strings.Contains(format[:i], "%") {
			return fmt.Errorf("printf %q takes a width from its arguments; write the width in the format", format)
		}
		if c < '0' || c > '9' {
			continue
		}
		n := 0
		for ; i < len(format) && format[i] >= '0' && format[i] <= '9'; i++ {
			if n = n*10 + int(format[i]-'0'); n > maxFormatWidth {
				return fmt.Errorf("printf %q pads to more than %d characters", format, maxFormatWidth)
			}
		}
	}
	return nil
}

// checkRecursion refuses custom blocks that call themselves, directly or
// through others: each call doubles, or nests until text/template's depth
// limit of 100,000 calls, far beyond any Dockerfile's need.
func (g *Generator) checkRecursion(tmpl *template.Template) error {
	calls := map[string]map[string]bool{}
	for _, t := range tmpl.Templates() {
		if t.Tree != nil {
			used := map[string]bool{}
			templateCalls(t.Tree.Root, used)
			calls[t.Name()] = used
		}
	}
	const (
		visiting = 1
		done     = 2
	)
	state := map[string]int{}
	var visit func(name string, path []string) error
	visit = func(name string, path []string) error {
		switch state[name] {
		case visiting:
			return fmt.Errorf("template %s: block %q calls itself (%s); a block may not recurse", g.custom[name], name, strings.Join(append(path, name), " → "))
		case done:
			return nil
		}
		state[name] = visiting
		for _, callee := range sortedNames(calls[name]) {
			if err := visit(callee, append(path, name)); err != nil {
				return err
			}
		}
		state[name] = done
		return nil
	}
	for _, name := range sortedNames(g.custom) {
		if err := visit(name, nil); err != nil {
			return err
		}
	}
	return nil
}
