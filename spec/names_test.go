package spec

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// nameChecks pairs each check of names.go with its pattern, the oracle,
// and the characters its valid strings are made of, to generate strings
// that come near to matching.
var nameChecks = []struct {
	name    string
	pattern string
	check   func(string) bool
	pool    string
}{
	{"specName", specNamePattern, isSpecName, "az09._-A"},
	{"secretID", secretIDPattern, isSecretID, "aZ09_.-,="},
	{"pathChars", pathCharsPattern, isPathChars, "aZ09._/@+*- $"},
	{"keyName", keyNamePattern, isKeyName, "aZ09_-"},
	{"labelKey", labelKeyPattern, isLabelKey, "aZ09._/-:"},
	{"userName", userNamePattern, isUserName, "az09_-A:"},
	{"numericUser", numericUserPattern, isNumericUser, "0123456789::a"},
	{"healthDuration", healthDurationPattern, isHealthDuration, "0129.nsumhµ"},
}

// specialStrings are added to every check's inputs: non-ASCII, invalid
// UTF-8, line breaks around an otherwise valid string, and lengths at the
// patterns' limits.
var specialStrings = []string{
	"", "\n", "a\n", "\na", "1\n", "a\x00", "\x00", "\xff", "a\xff", "é", "aé", "µ", "1µs", "1\xc2s", "ａ",
	strings.Repeat("a", 32), strings.Repeat("a", 33), strings.Repeat("a", 64), strings.Repeat("a", 65),
	strings.Repeat("1", 10), strings.Repeat("1", 11), "1234567890:1234567890", "1234567890:12345678901",
	"libpq-dev", "curl=7.88.1-10", "libc6:amd64", "libc6:amd64=2.36-9", "a:=1", "aa:", "aa=",
	"openssl>=3.1", "musl@edge", "a@b~1", "a=~1", "a<~1", "a==1", "a>=", "1m30s", "500ms", "1.5h", "1.s", "1ms5s",
}

// TestNameChecks proves that each check accepts exactly what its pattern
// matches: on every string of up to three characters over an alphabet of
// the pattern's characters and others, and on random longer ones.
func TestNameChecks(t *testing.T) {
	const others = "aA0_.-/@+*:=~<> %,\"$\n\x00\xffµé"
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range nameChecks {
		t.Run(c.name, func(t *testing.T) {
			oracle := regexp.MustCompile(c.pattern)
			tried, bad := 0, 0
			try := func(s string) {
				tried++
				if got, want := c.check(s), oracle.MatchString(s); got != want && bad < 10 {
					bad++
					t.Errorf("%q: got %v, the pattern %s says %v", s, got, c.pattern, want)
				}
			}
			for _, s := range specialStrings {
				try(s)
			}
			alphabet := splitChars(c.pool + others)
			var gen func(prefix string, n int)
			gen = func(prefix string, n int) {
				try(prefix)
				if n == 0 {
					return
				}
				for _, ch := range alphabet {
					gen(prefix+ch, n-1)
				}
			}
			gen("", 3)
			pool := splitChars(c.pool)
			for range 50000 {
				var b strings.Builder
				for range rng.IntN(70) {
					if rng.IntN(50) == 0 {
						b.WriteString(alphabet[rng.IntN(len(alphabet))])
					} else {
						b.WriteString(pool[rng.IntN(len(pool))])
					}
				}
				try(b.String())
			}
			t.Logf("%d strings", tried)
		})
	}
}

// splitChars returns the characters of s, as strings, and its invalid
// bytes one by one.
func splitChars(s string) []string {
	var out []string
	for i, r := range s {
		if r == '\uFFFD' {
			out = append(out, s[i:i+1])
			continue
		}
		out = append(out, string(r))
	}
	return out
}

// TestPythonTagVersion compares pythonTagVersion with the pattern it
// stands for, on every tag of up to four characters over digits, '.' and
// others.
func TestPythonTagVersion(t *testing.T) {
	oracle := regexp.MustCompile(`^[0-9]+\.[0-9]+`)
	alphabet := splitChars("01.-as\xffµ")
	var gen func(tag string, n int)
	gen = func(tag string, n int) {
		if got, want := pythonTagVersion(tag), oracle.FindString(tag); got != want {
			t.Errorf("pythonTagVersion(%q) = %q, want %q", tag, got, want)
		}
		if n == 0 {
			return
		}
		for _, ch := range alphabet {
			gen(tag+ch, n-1)
		}
	}
	gen("", 4)
	for _, tag := range []string{"3.12-slim", "3.13", "312.1234-alpine", "3", "3.", ".12", "latest"} {
		gen(tag, 0)
	}
}
