// Package shellarg writes paths as arguments of the commands wharf prints
// for the user to run ("run: wharf generate 'my app'"), so that pasting
// the command into a POSIX shell passes each path as one argument, and no
// control character from a file name reaches the terminal.
package shellarg

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Path returns path quoted for a shell when it needs it: as it is when it
// holds only characters no shell treats specially; with "./" before it
// when it starts with '-', which a command would take for a flag; in
// single quotes when it holds spaces or shell syntax; and in $'...' with
// escapes when it holds control, format or invalid characters, which
// must not be printed raw.
func Path(path string) string {
	if path == "" {
		return "''"
	}
	if strings.HasPrefix(path, "-") {
		path = "./" + path
	}
	plain, printable := true, utf8.ValidString(path)
	for _, r := range path {
		if !safe(r) {
			plain = false
		}
		if r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ' || unicode.Is(unicode.Cf, r) {
			printable = false
		}
	}
	switch {
	case plain:
		return path
	case printable:
		return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(path); {
		r, size := utf8.DecodeRuneInString(path[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, path[i])
		case r == '\'' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x80 && !unicode.IsPrint(r) && r != ' ':
			fmt.Fprintf(&b, `\x%02x`, r)
		case !unicode.IsPrint(r) && r != ' ' || unicode.Is(unicode.Cf, r):
			if r > 0xffff {
				fmt.Fprintf(&b, `\U%08x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('\'')
	return b.String()
}

// safe reports whether r means nothing to a shell anywhere in a word.
func safe(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./:@%+=,-", r))
}
