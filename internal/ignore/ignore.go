// Package ignore matches slash-separated paths against .gitignore-style
// patterns.
//
// It supports the subset of gitignore(5) that ignore files at one root use:
// blank lines and "#" comments; "!" to re-include; a trailing "/" to match
// only folders; a pattern holding a "/" anywhere but at its end is anchored
// at the root, any other matches a name at any depth; "*", "?" and
// "[...]" (with "!" or "^" to negate) never match "/"; "**/" at the start,
// "/**" at the end and "/**/" in the middle match any number of folders;
// "\" escapes the next character, including a trailing space. The last
// matching pattern wins. Patterns from nested ignore files are not read.
package ignore

import (
	"regexp"
	"strings"
)

// Matcher holds patterns in the order they apply.
type Matcher struct {
	patterns []pattern
}

type pattern struct {
	re      *regexp.Regexp
	negate  bool
	dirOnly bool
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
	for _, line := range strings.Split(string(data), "\n") {
		if p, ok := compile(line); ok {
			m.patterns = append(m.patterns, p)
		}
	}
}

// Match reports whether the patterns exclude path, a slash-separated path
// relative to the root; isDir says whether it names a folder. It looks at
// path alone: a caller walking down skips an excluded folder's contents
// (which, as in git, a later "!" cannot re-include).
func (m *Matcher) Match(path string, isDir bool) bool {
	if m == nil {
		return false
	}
	for i := len(m.patterns) - 1; i >= 0; i-- {
		p := m.patterns[i]
		if p.dirOnly && !isDir {
			continue
		}
		if p.re.MatchString(path) {
			return !p.negate
		}
	}
	return false
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
