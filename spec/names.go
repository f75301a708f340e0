package spec

// The names and values a spec holds are checked by the small functions
// below rather than by regular expressions, which cost more than the rest
// of decoding a spec. Each has its pattern beside it, which the JSON
// schema publishes; TestNameChecks proves that each function accepts
// exactly what its pattern matches.

// charClass is a set of ASCII bytes, like [A-Za-z0-9] in a pattern. No
// byte of a multi-byte UTF-8 character is in a class, as no such
// character is in the patterns' classes.
type charClass [256]bool

const (
	lowerChars = "abcdefghijklmnopqrstuvwxyz"
	upperChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digitChars = "0123456789"
	alnumChars = lowerChars + upperChars + digitChars
)

// class returns the class of the bytes of chars.
func class(chars string) *charClass {
	var c charClass
	for i := 0; i < len(chars); i++ {
		c[chars[i]] = true
	}
	return &c
}

// span returns how many bytes at the start of s are in c.
func (c *charClass) span(s string) int {
	for i := 0; i < len(s); i++ {
		if !c[s[i]] {
			return i
		}
	}
	return len(s)
}

// word reports whether s is a byte of first followed by bytes of rest,
// at most maxLen bytes in all (no limit when maxLen is 0): the pattern
// ^[first][rest]*$ or ^[first][rest]{0,maxLen-1}$.
func word(s string, first, rest *charClass, maxLen int) bool {
	return s != "" && first[s[0]] && rest.span(s[1:]) == len(s)-1 && (maxLen == 0 || len(s) <= maxLen)
}

var (
	alnum      = class(alnumChars)
	lowerDigit = class(lowerChars + digitChars)
	digits     = class(digitChars)
)

const specNamePattern = `^[a-z0-9][a-z0-9._-]*$`

var specNameRest = class(lowerChars + digitChars + "._-")

// isSpecName reports whether s matches specNamePattern.
func isSpecName(s string) bool { return word(s, lowerDigit, specNameRest, 0) }

// secretIDPattern is what a BuildKit secret id may look like here: it
// lands in a --mount option, where ',' and '=' would start another option.
const secretIDPattern = `^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`

var secretIDRest = class(alnumChars + "_.-")

// isSecretID reports whether s matches secretIDPattern.
func isSecretID(s string) bool { return word(s, alnum, secretIDRest, 64) }

// pathCharsPattern is what a path in a spec may hold: it reaches COPY and
// WORKDIR instructions, where spaces, quotes and '$' would change their
// meaning.
const pathCharsPattern = `^[A-Za-z0-9._/@+*-]+$`

var pathChars = class(alnumChars + "._/@+*-")

// isPathChars reports whether s matches pathCharsPattern.
func isPathChars(s string) bool { return s != "" && pathChars.span(s) == len(s) }

// keyNamePattern is what ENV and ARG names may look like.
const keyNamePattern = `^[A-Za-z_][A-Za-z0-9_]*$`

var (
	keyNameFirst = class(lowerChars + upperChars + "_")
	keyNameRest  = class(alnumChars + "_")
)

// isKeyName reports whether s matches keyNamePattern.
func isKeyName(s string) bool { return word(s, keyNameFirst, keyNameRest, 0) }

// labelKeyPattern is what LABEL keys may look like (reverse-DNS and
// friends).
const labelKeyPattern = `^[A-Za-z0-9][A-Za-z0-9._/-]*$`

var labelKeyRest = class(alnumChars + "._/-")

// isLabelKey reports whether s matches labelKeyPattern.
func isLabelKey(s string) bool { return word(s, alnum, labelKeyRest, 0) }

// A runtime user is a name or a numeric uid, optionally with a gid.
const (
	userNamePattern    = `^[a-z_][a-z0-9_-]{0,31}$`
	numericUserPattern = `^[0-9]{1,10}(:[0-9]{1,10})?$`
)

var (
	userNameFirst = class(lowerChars + "_")
	userNameRest  = class(lowerChars + digitChars + "_-")
)

// isUserName reports whether s matches userNamePattern.
func isUserName(s string) bool { return word(s, userNameFirst, userNameRest, 32) }

// isNumericUser reports whether s matches numericUserPattern.
func isNumericUser(s string) bool {
	n := digits.span(s)
	if n < 1 || n > 10 {
		return false
	}
	if s = s[n:]; s == "" {
		return true
	}
	if s[0] != ':' {
		return false
	}
	s = s[1:]
	n = digits.span(s)
	return n >= 1 && n <= 10 && n == len(s)
}

// healthDurationPattern is a Go duration as Docker takes it.
const healthDurationPattern = `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`

// isHealthDuration reports whether s matches healthDurationPattern: one
// or more numbers, each with a unit. A number starts with a digit, which
// no unit holds, so "ms" is always milliseconds, never minutes then
// seconds.
func isHealthDuration(s string) bool {
	if s == "" {
		return false
	}
	for s != "" {
		n := digits.span(s)
		if n == 0 {
			return false
		}
		s = s[n:]
		if s != "" && s[0] == '.' {
			n = digits.span(s[1:])
			if n == 0 {
				return false
			}
			s = s[1+n:]
		}
		switch {
		case len(s) >= 2 && (s[:2] == "ns" || s[:2] == "us" || s[:2] == "ms"):
			s = s[2:]
		case len(s) >= 3 && s[:3] == "µs":
			s = s[3:]
		case s != "" && (s[0] == 's' || s[0] == 'm' || s[0] == 'h'):
			s = s[1:]
		default:
			return false
		}
	}
	return true
}
