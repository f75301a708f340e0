package detect

import (
	"strconv"
	"strings"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
)

// version is a release number: major, minor, patch.
type Version [3]int

func (v Version) less(w Version) bool {
	for i := range v {
		if v[i] != w[i] {
			return v[i] < w[i]
		}
	}
	return false
}

// comparator is one condition of a version constraint, such as ">=3.9" or
// "<23". parts is how many numbers were written: "3.9" has 2, so "==3.9"
// means 3.9.0 in Python but "3.9" alone means 3.9.x in npm.
type comparator struct {
	op    string // one of < <= > >= == !=
	v     Version
	parts int
}

func (c comparator) allows(v Version) bool {
	switch c.op {
	case "<":
		return v.less(c.v)
	case "<=":
		return !c.v.less(v)
	case ">":
		return c.v.less(v)
	case ">=":
		return !v.less(c.v)
	case "==":
		return v == c.v
	case "!=":
		return v != c.v
	}
	return false
}

// constraint is a union of intersections of comparators: any one group
// must allow a version, all comparators of that group at once.
type Constraint [][]comparator

// AllowsSeries reports whether the constraint allows some release of the
// series that the first depth numbers of s name (depth 1: a Node major like
// 22; depth 2: a Python minor like 3.12). The allowed part of a series is
// an interval whose ends are the series' ends or the comparators' bounds,
// so checking those points and their successors decides it.
func (c Constraint) AllowsSeries(s Version, depth int) bool {
	first := s
	for i := depth; i < len(first); i++ {
		first[i] = 0
	}
	last := first
	for i := depth; i < len(last); i++ {
		last[i] = 1 << 20
	}
	inSeries := func(v Version) bool {
		return !v.less(first) && !last.less(v)
	}
	for _, group := range c {
		probes := []Version{first, last}
		for _, cmp := range group {
			next := cmp.v
			next[2]++
			probes = append(probes, cmp.v, next)
		}
		for _, p := range probes {
			if !inSeries(p) {
				continue
			}
			ok := true
			for _, cmp := range group {
				ok = ok && cmp.allows(p)
			}
			if ok {
				return true
			}
		}
	}
	return false
}

var versionText = lazyregexp.New(`^v?([0-9]+)(?:\.([0-9]+|[xX*]))?(?:\.([0-9]+|[xX*]))?`)

// parseVersion reads the leading numbers of text, like "3.12" or "20.x",
// ignoring what follows (pre-release tags). It returns the version and
// how many numbers were written before a wildcard or the end.
func parseVersion(text string) (Version, int, bool) {
	m := versionText.FindStringSubmatch(text)
	if m == nil {
		return Version{}, 0, false
	}
	var v Version
	parts := 0
	for i, s := range m[1:] {
		n, err := strconv.Atoi(s)
		if err != nil {
			break
		}
		v[i] = n
		parts++
	}
	return v, parts, true
}

// bump returns the first version after every version that starts with the
// first parts numbers of v: bump(3.9, 2) is 3.10.0.
func bump(v Version, parts int) Version {
	if parts == 0 {
		return Version{1 << 20}
	}
	var out Version
	copy(out[:parts], v[:parts])
	out[parts-1]++
	return out
}

// prefix returns the comparators that allow exactly the versions starting
// with the first parts numbers of v.
func prefix(v Version, parts int) []comparator {
	if parts == 0 {
		return nil // anything
	}
	return []comparator{{op: ">=", v: v, parts: parts}, {op: "<", v: bump(v, parts), parts: parts}}
}

// ParseNodeRange reads an npm semver range, as package.json's engines.node
// holds it: "||" between alternatives, spaces between comparators, and
// ^ ~ x-ranges and hyphen ranges.
func ParseNodeRange(text string) (Constraint, bool) {
	var c Constraint
	for _, alt := range strings.Split(text, "||") {
		fields := strings.Fields(alt)
		// Join operators written apart from their version: ">= 18".
		var words []string
		for i := 0; i < len(fields); i++ {
			w := fields[i]
			if strings.Trim(w, "<>=~^") == "" && i+1 < len(fields) && w != "-" {
				w += fields[i+1]
				i++
			}
			words = append(words, w)
		}
		var group []comparator
		for i := 0; i < len(words); i++ {
			if i+2 < len(words) && words[i+1] == "-" {
				lo, lp, ok1 := parseVersion(words[i])
				hi, hp, ok2 := parseVersion(words[i+2])
				if !ok1 || !ok2 {
					return nil, false
				}
				group = append(group, comparator{op: ">=", v: lo, parts: lp})
				if hp == 3 {
					group = append(group, comparator{op: "<=", v: hi, parts: hp})
				} else {
					group = append(group, comparator{op: "<", v: bump(hi, hp), parts: hp})
				}
				i += 2
				continue
			}
			cmps, ok := nodeComparator(words[i])
			if !ok {
				return nil, false
			}
			group = append(group, cmps...)
		}
		c = append(c, group)
	}
	return c, len(c) > 0
}

func nodeComparator(w string) ([]comparator, bool) {
	if w == "*" || w == "x" || w == "X" {
		return nil, true
	}
	op := w[:len(w)-len(strings.TrimLeft(w, "<>=~^"))]
	v, parts, ok := parseVersion(w[len(op):])
	if !ok {
		return nil, false
	}
	switch op {
	case "", "=":
		return prefix(v, parts), true
	case "^":
		// ^1.2.3 allows up to the next major; ^0.x stays within the minor.
		keep := 1
		if v[0] == 0 && parts > 1 {
			keep = 2
		}
		return []comparator{{op: ">=", v: v, parts: parts}, {op: "<", v: bump(v, min(keep, parts)), parts: parts}}, true
	case "~":
		keep := 2
		if parts < 2 {
			keep = parts
		}
		return []comparator{{op: ">=", v: v, parts: parts}, {op: "<", v: bump(v, keep), parts: parts}}, true
	case ">=", "<":
		return []comparator{{op: op, v: v, parts: parts}}, true
	case ">":
		if parts < 3 {
			return []comparator{{op: ">=", v: bump(v, parts), parts: parts}}, true
		}
		return []comparator{{op: op, v: v, parts: parts}}, true
	case "<=":
		if parts < 3 {
			return []comparator{{op: "<", v: bump(v, parts), parts: parts}}, true
		}
		return []comparator{{op: op, v: v, parts: parts}}, true
	}
	return nil, false
}

// ParsePythonRange reads a PEP 440 specifier set such as ">=3.9,<3.13",
// as pyproject's requires-python holds it. Poetry's ^ and ~ forms and "||"
// are read too, for [tool.poetry.dependencies] python.
func ParsePythonRange(text string) (Constraint, bool) {
	var c Constraint
	for _, alt := range strings.Split(text, "||") {
		var group []comparator
		for _, spec := range strings.FieldsFunc(alt, func(r rune) bool { return r == ',' }) {
			spec = strings.ReplaceAll(spec, " ", "")
			if spec == "" || spec == "*" {
				continue
			}
			op := spec[:len(spec)-len(strings.TrimLeft(spec, "<>=!~^"))]
			rest := spec[len(op):]
			v, parts, ok := parseVersion(rest)
			if !ok {
				return nil, false
			}
			wildcard := strings.HasSuffix(rest, ".*")
			switch op {
			case "==", "===", "":
				if wildcard || op == "" {
					group = append(group, prefix(v, parts)...)
				} else {
					group = append(group, comparator{op: "==", v: v, parts: parts})
				}
			case "!=":
				if wildcard {
					// Excluding a whole series: allowed below it or above it.
					// Only a union can say that; keep the group as is, which
					// may propose an excluded series (rare in requires-python).
					continue
				}
				group = append(group, comparator{op: "!=", v: v, parts: parts})
			case "~=":
				// ~=3.9 means >=3.9,<4; ~=3.9.2 means >=3.9.2,<3.10.
				group = append(group, comparator{op: ">=", v: v, parts: parts}, comparator{op: "<", v: bump(v, max(parts-1, 1)), parts: parts})
			case "^":
				group = append(group, comparator{op: ">=", v: v, parts: parts}, comparator{op: "<", v: bump(v, 1), parts: parts})
			case "~":
				group = append(group, comparator{op: ">=", v: v, parts: parts}, comparator{op: "<", v: bump(v, min(2, parts)), parts: parts})
			case "<", "<=", ">", ">=":
				group = append(group, comparator{op: op, v: v, parts: parts})
			default:
				return nil, false
			}
		}
		c = append(c, group)
	}
	return c, len(c) > 0
}

// AllowsFrom reports whether the constraint allows some version at or
// above v, such as a release of a package that supports a newer Python.
func (c Constraint) AllowsFrom(v Version) bool {
	top := Version{1 << 20, 0, 0}
	for _, group := range c {
		probes := []Version{v, top}
		for _, cmp := range group {
			next := cmp.v
			next[2]++
			probes = append(probes, cmp.v, next)
		}
		for _, p := range probes {
			if p.less(v) {
				continue
			}
			ok := true
			for _, cmp := range group {
				ok = ok && cmp.allows(p)
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// ParseVersion reads a release number such as "4.2.8" (up to three
// numbers; what follows them is ignored).
func ParseVersion(text string) (Version, bool) {
	v, _, ok := parseVersion(text)
	return v, ok
}
