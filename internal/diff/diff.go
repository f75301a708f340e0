// Package diff computes line-based unified diffs, as "diff -u" prints them.
//
// Lines are compared whole, including their newline, so a last line without
// one differs from the same text with one and is marked
// "\ No newline at end of file".
package diff

import (
	"bytes"
	"fmt"
	"strings"
)

// Context is the number of unchanged lines shown around each change.
const Context = 3

// maxEdits bounds the edit distance the Myers search explores. Beyond it the
// remaining middle of the files is shown as removed then added, which is a
// correct diff, if not a minimal one, and keeps time and memory bounded when
// a file was rewritten wholesale.
const maxEdits = 1000

// Unified returns the unified diff that turns old into new, with the
// headers "--- oldName" and "+++ newName", or nil when they are equal.
func Unified(oldName, newName string, old, new []byte) []byte {
	if bytes.Equal(old, new) {
		return nil
	}
	a, b := lines(old), lines(new)
	ops := Edits(a, b)
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks(ops) {
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", span(h.aStart, h.aCount), span(h.bStart, h.bCount))
		for _, op := range ops[h.from:h.to] {
			out.WriteByte(byte(op.Kind))
			out.WriteString(op.Line)
			if !strings.HasSuffix(op.Line, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
	}
	return out.Bytes()
}

// Kind says what an edit does to a line.
type Kind byte

// Kinds of edits; their values are the unified-diff line prefixes.
const (
	Equal  Kind = ' '
	Delete Kind = '-'
	Insert Kind = '+'
)

// Op is one line of an edit script.
type Op struct {
	Kind Kind
	Line string
}

// lines splits data after each newline; the last line may lack one.
func lines(data []byte) []string {
	var out []string
	s := string(data)
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// Edits returns a shortest edit script from a to b (Myers' algorithm),
// deletions before insertions within a change. Applying the Equal and
// Insert lines gives b; the Equal and Delete lines give a.
func Edits(a, b []string) []Op {
	// Common prefix and suffix need no search.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ops := make([]Op, 0, len(a)+len(b))
	for _, l := range a[:pre] {
		ops = append(ops, Op{Equal, l})
	}
	ops = append(ops, myers(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	for _, l := range a[len(a)-suf:] {
		ops = append(ops, Op{Equal, l})
	}
	return ops
}

// myers finds a shortest edit script with the greedy forward search of
// "An O(ND) Difference Algorithm and Its Variations" (Myers, 1986),
// keeping the frontier of each round to walk the path back.
func myers(a, b []string) []Op {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return replace(a, b)
	}
	offset := n + m
	v := make([]int, 2*offset+2) // v[offset+k]: furthest x on diagonal k
	var trace [][]int            // trace[d][d+k]: v after round d
	for d := 0; d <= n+m; d++ {
		if d > maxEdits {
			return replace(a, b)
		}
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				x = v[offset+k+1] // step down: insert b[y-1]
			} else {
				x = v[offset+k-1] + 1 // step right: delete a[x-1]
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[offset+k] = x
			if x >= n && y >= m {
				trace = append(trace, append([]int(nil), v[offset-d:offset+d+1]...))
				return backtrack(a, b, trace)
			}
		}
		trace = append(trace, append([]int(nil), v[offset-d:offset+d+1]...))
	}
	return replace(a, b) // unreachable: d = n+m always reaches the end
}

// backtrack walks the search's rounds from the end back to the start.
func backtrack(a, b []string, trace [][]int) []Op {
	var rev []Op
	x, y := len(a), len(b)
	for d := len(trace) - 1; d > 0; d-- {
		prev := trace[d-1] // prev[d-1+k] is round d-1's x on diagonal k
		at := func(k int) int { return prev[d-1+k] }
		k := x - y
		var pk int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := at(pk)
		py := px - pk
		// The step from (px, py), then a snake of equal lines to (x, y).
		sx, sy := px+1, py // a deletion
		if pk == k+1 {
			sx, sy = px, py+1 // an insertion
		}
		for x > sx {
			x--
			y--
			rev = append(rev, Op{Equal, a[x]})
		}
		if pk == k+1 {
			rev = append(rev, Op{Insert, b[sy-1]})
		} else {
			rev = append(rev, Op{Delete, a[sx-1]})
		}
		x, y = px, py
	}
	for x > 0 {
		x--
		rev = append(rev, Op{Equal, a[x]})
	}
	ops := make([]Op, len(rev))
	for i, op := range rev {
		ops[len(rev)-1-i] = op
	}
	return order(ops)
}

// order puts the deletions of each change before its insertions, as diff
// tools print them.
func order(ops []Op) []Op {
	for i := 0; i < len(ops); {
		if ops[i].Kind == Equal {
			i++
			continue
		}
		j := i
		for j < len(ops) && ops[j].Kind != Equal {
			j++
		}
		var del, ins []Op
		for _, op := range ops[i:j] {
			if op.Kind == Delete {
				del = append(del, op)
			} else {
				ins = append(ins, op)
			}
		}
		copy(ops[i:], del)
		copy(ops[i+len(del):], ins)
		i = j
	}
	return ops
}

// replace deletes all of a and inserts all of b.
func replace(a, b []string) []Op {
	ops := make([]Op, 0, len(a)+len(b))
	for _, l := range a {
		ops = append(ops, Op{Delete, l})
	}
	for _, l := range b {
		ops = append(ops, Op{Insert, l})
	}
	return ops
}

// hunk is a run of ops[from:to] shown together, covering aCount lines of
// the old file from aStart and bCount lines of the new one from bStart
// (both 0-based).
type hunk struct {
	from, to       int
	aStart, aCount int
	bStart, bCount int
}

// hunks groups the changes with Context lines around them, merging changes
// whose contexts touch or overlap.
func hunks(ops []Op) []hunk {
	// aAt[i], bAt[i]: lines of the old and new file before ops[i].
	aAt := make([]int, len(ops)+1)
	bAt := make([]int, len(ops)+1)
	for i, op := range ops {
		aAt[i+1], bAt[i+1] = aAt[i], bAt[i]
		if op.Kind != Insert {
			aAt[i+1]++
		}
		if op.Kind != Delete {
			bAt[i+1]++
		}
	}
	var out []hunk
	for i := 0; i < len(ops); i++ {
		if ops[i].Kind == Equal {
			continue
		}
		last := i // the last change in this hunk
		for j := i + 1; j < len(ops) && j-last-1 <= 2*Context; j++ {
			if ops[j].Kind != Equal {
				last = j
			}
		}
		from, to := max(0, i-Context), min(len(ops), last+Context+1)
		out = append(out, hunk{
			from: from, to: to,
			aStart: aAt[from], aCount: aAt[to] - aAt[from],
			bStart: bAt[from], bCount: bAt[to] - bAt[from],
		})
		i = last
	}
	return out
}

// span formats a hunk range as diff -u does: "start,count", with ",1"
// left out, and an empty range named by the line before it.
func span(start, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, count)
}
