// Package ignore matches slash-separated paths against .gitignore-style
// patterns.
//
// It supports this subset of gitignore(5): blank lines and "#" comments;
// "!" to re-include; a trailing "/" to match only folders; a pattern
// holding a "/" anywhere but at its end is anchored at the folder of its
// ignore file, any other matches a name at any depth below it; "*", "?"
// and "[...]" (with "!" or "^" to negate) never match "/"; "**/" at the
// start, "/**" at the end and "/**/" in the middle match any number of
// folders; "\" escapes the next character, including a trailing space.
//
// Precedence is git's: a nested ignore file (see [Matcher.Nested]) decides
// over those of the folders above it, and within one file the last
// matching pattern wins. The caller reads the files; a walk that skips an
// excluded folder's contents matches git, where a "!" cannot re-include
// a path below an excluded folder.
package ignore

import (
	"regexp"
	"strings"
	"sync"
)

// Matcher holds the patterns of the ignore files of one folder, in the
// order they apply, and the Matcher of the folders above it.
type Matcher struct {
	patterns []pattern
	base     string   // the folder, relative to the root; "" for the root
	parent   *Matcher // patterns that apply when none of these match
	compiled *cache   // shared with the Matchers nested in this one
}

type pattern struct {
	re      *regexp.Regexp
	negate  bool
	dirOnly bool
}

// A cache holds compiled lines, so that the ignore files of a tree, which
// often repeat the same lines in every folder, compile each line once.
type cache struct {
	mu    sync.Mutex
	lines map[string]cachedLine
}

type cachedLine struct {
	p  pattern
	ok bool // false for blank lines and comments
}

// compile is compile, once for each distinct line.
func (c *cache) compile(s string) (pattern, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, found := c.lines[s]
	if !found {
		l.p, l.ok = compile(s)
		c.lines[s] = l
	}
	return l.p, l.ok
}

// Parse reads the patterns of an ignore file, one a line.
func Parse(data []byte) *Matcher {
	m := &Matcher{}
	m.Add(data)
	return m
}

// Add appends the patterns of another ignore file; they take precedence
// over those added before.
func (m *Matcher) Add(data []byte) {
	if m.compiled == nil {
		m.compiled = &cache{lines: map[string]cachedLine{}}
	}
	for _, line := range strings.Split(string(data), "\n") {
		if p, ok := m.compiled.compile(line); ok {
			m.patterns = append(m.patterns, p)
		}
	}
}

// Nested returns a Matcher for the folder base, a slash-separated path
// relative to m's root, holding the patterns of the ignore file there.
// They apply to paths below base, relative to it, and decide before m's,
// as those of a .gitignore in a subfolder do in git. With no patterns in
// data, Nested returns m.
func (m *Matcher) Nested(base string, data []byte) *Matcher {
	n := &Matcher{base: base, parent: m}
	if m != nil {
		n.compiled = m.compiled
	}
	n.Add(data)
	if len(n.patterns) == 0 {
		return m
	}
	return n
}

// Match reports whether the patterns exclude path, a slash-separated path
// relative to the root; isDir says whether it names a folder. The deepest
// ignore file with a pattern matching path decides, by its last such
// pattern. Match looks at path alone: a caller walking down skips an
// excluded folder's contents (which, as in git, a later "!" cannot
// re-include).
func (m *Matcher) Match(path string, isDir bool) bool {
	for ; m != nil; m = m.parent {
		rel, ok := m.below(path)
		if !ok {
			continue
		}
		for i := len(m.patterns) - 1; i >= 0; i-- {
			p := m.patterns[i]
			if p.dirOnly && !isDir {
				continue
			}
			if p.re.MatchString(rel) {
				return !p.negate
			}
		}
	}
	return false
}

// below returns path relative to m's folder, and whether it lies below it.
func (m *Matcher) below(path string) (string, bool) {
	if m.base == "" {
		return path, true
	}
	n := len(m.base)
	if len(path) <= n+1 || path[n] != '/' || path[:n] != m.base {
		return "", false
	}
	return path[n+1:], true
}

// compile turns one line into a pattern; ok is false for blank lines and
// comments.
func compile(line string) (p pattern, ok bool) {
	line = strings.TrimSuffix(line, "\r")
	if line == "" || strings.HasPrefix(line, "#") {
		return p, false
	}
	if strings.HasPrefix(line, "!") {
		p.negate = true
		line = line[1:]
	}
	line = trimTrailingSpaces(line)
	if strings.HasSuffix(line, "/") {
		p.dirOnly = true
		line = strings.TrimRight(line, "/")
	}
	if line == "" {
		return p, false
	}
	anchored := strings.Contains(line, "/")
	line = strings.TrimPrefix(line, "/")

	var re strings.Builder
	re.WriteString("^")
	if !anchored {
		re.WriteString("(?:.*/)?")
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '*' && strings.HasPrefix(line[i:], "**"):
			atStart := i == 0 || line[i-1] == '/'
			rest := line[i+2:]
			switch {
			case atStart && strings.HasPrefix(rest, "/"):
				re.WriteString("(?:.*/)?") // "**/": any folders, or none
				i += 2
			case atStart && rest == "":
				re.WriteString(".*") // "/**": everything inside
				i++
			default:
				re.WriteString("[^/]*") // other "**" are plain "*"
				i++
			}
		case c == '*':
			re.WriteString("[^/]*")
		case c == '?':
			re.WriteString("[^/]")
		case c == '[':
			class, n := bracket(line[i:])
			if n == 0 {
				re.WriteString(`\[`)
				continue
			}
			re.WriteString(class)
			i += n - 1
		case c == '\\' && i+1 < len(line):
			i++
			re.WriteString(regexp.QuoteMeta(line[i : i+1]))
		default:
			re.WriteString(regexp.QuoteMeta(line[i : i+1]))
		}
	}
	re.WriteString("$")
	compiled, err := regexp.Compile(re.String())
	if err != nil {
		return p, false // cannot happen: every piece is quoted or a fixed class
	}
	p.re = compiled
	return p, true
}

// bracket converts the character class at the start of s into a regexp
// class and returns its length in s, or 0 when the class is not closed.
func bracket(s string) (string, int) {
	i := 1
	negate := false
	if i < len(s) && (s[i] == '!' || s[i] == '^') {
		negate = true
		i++
	}
	var body strings.Builder
	first := true
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ']' && !first:
			if negate {
				return "[^/" + body.String() + "]", i + 1
			}
			return "[" + body.String() + "]", i + 1
		case c == '\\' && i+1 < len(s):
			i++
			body.WriteString(classChar(s[i]))
		case c == '-' && !first && i+1 < len(s) && s[i+1] != ']':
			body.WriteByte('-') // a range
		case c == '/':
			// A folder separator never matches; drop it from the class.
		default:
			body.WriteString(classChar(c))
		}
		first = false
	}
	return "", 0
}

// classChar quotes c for use as a literal inside a regexp class.
func classChar(c byte) string {
	if c == '-' {
		return `\-`
	}
	return regexp.QuoteMeta(string(c))
}

// trimTrailingSpaces removes trailing spaces that are not escaped with "\".
func trimTrailingSpaces(s string) string {
	for strings.HasSuffix(s, " ") && !strings.HasSuffix(s, `\ `) {
		s = s[:len(s)-1]
	}
	return s
}
