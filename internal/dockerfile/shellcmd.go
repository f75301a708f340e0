package dockerfile

import (
	"strings"
)

// commands splits a shell script into its simple commands: at newlines,
// ";", "&&", "||" and "|", outside quotes. Line continuations are joined
// and comments dropped. It is a reader for the usual RUN lines, not a
// shell: anything it cannot follow stays in a command that maps to
// nothing, and is listed as such.
func commands(script string) []string {
	script = strings.ReplaceAll(script, "\\\r\n", " ")
	script = strings.ReplaceAll(script, "\\\n", " ")
	var (
		out   []string
		cur   strings.Builder
		quote rune
	)
	flush := func() {
		if c := strings.TrimSpace(cur.String()); c != "" {
			out = append(out, c)
		}
		cur.Reset()
	}
	rs := []rune(script)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' && i+1 < len(rs) {
				cur.WriteRune(r)
				i++
				r = rs[i]
			}
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote = r
			cur.WriteRune(r)
		case r == '\\' && i+1 < len(rs):
			cur.WriteRune(r)
			i++
			cur.WriteRune(rs[i])
		case r == '#' && strings.TrimSpace(cur.String()) == "":
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			flush()
		case r == '\n' || r == ';':
			flush()
		case (r == '&' || r == '|') && i+1 < len(rs) && rs[i+1] == r:
			flush()
			i++
		case r == '|':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}

// words splits a simple command into words, removing quotes. Words with
// shell expansions keep their "$".
func words(cmd string) []string {
	var (
		out    []string
		cur    strings.Builder
		quote  rune
		inWord bool
	)
	for _, r := range cmd {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// shellSyntax is what makes a command need a shell: expansions,
// redirections, globs, control operators, subshells.
const shellSyntax = "$`|&;<>()*?[]{}~!#\\\n"

// plainCommand splits a shell-form command into exec-form arguments when
// no shell is needed to run it, the way /bin/sh -c would; ok is false
// when it uses the shell (and names what, in why).
func plainCommand(cmd string) (args []string, why string, ok bool) {
	unquoted := stripQuoted(cmd)
	if i := strings.IndexAny(unquoted, shellSyntax); i >= 0 {
		return nil, "it uses the shell (" + describe(unquoted[i]) + ")", false
	}
	if strings.ContainsAny(cmd, "$`\\") {
		return nil, "it uses the shell (an expansion inside quotes)", false
	}
	args = words(cmd)
	if len(args) == 0 {
		return nil, "it is empty", false
	}
	if strings.Contains(args[0], "=") {
		return nil, "it sets a variable before the command", false
	}
	return args, "", true
}

// stripQuoted blanks out quoted text, so that only unquoted syntax counts.
func stripQuoted(cmd string) string {
	var b strings.Builder
	var quote rune
	for _, r := range cmd {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
			b.WriteRune('_')
		case r == '\'' || r == '"':
			quote = r
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func describe(c byte) string {
	switch c {
	case '$':
		return "a $ expansion"
	case '`':
		return "a command substitution"
	case '|':
		return "a pipe or ||"
	case '&':
		return "&& or a background job"
	case ';':
		return "a ;"
	case '<', '>':
		return "a redirection"
	case '*', '?', '[', ']', '{', '}', '~':
		return "a glob or brace expansion"
	case '(', ')':
		return "a subshell"
	case '\n':
		return "several lines"
	}
	return string(c)
}
