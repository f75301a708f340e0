// Package lazyregexp is a regexp.Regexp compiled on first use, so that a
// package's expressions cost nothing at start-up in a process that never
// uses them. Test binaries compile them at once, so a bad expression still
// panics in every test run. MatchString remembers its answers (package
// memo): the specs of a monorepo check the same few values again and again.
package lazyregexp

import (
	"os"
	"regexp"
	"strings"
	"sync"

	"github.com/wharf-dev/wharf/internal/memo"
)

// Regexp is a regexp.Regexp compiled on first use.
type Regexp struct {
	expr string
	once sync.Once
	rx   *regexp.Regexp
	// matched holds MatchString's answers, each for a string of at most
	// maxRememberedLen bytes.
	matched *memo.Memo[bool]
}

const maxRememberedLen = 256

// New returns expr as a Regexp; like regexp.MustCompile, it panics on a
// bad expression, when first used.
func New(expr string) *Regexp {
	r := &Regexp{expr: expr}
	r.matched = memo.New(func(s string) bool { return r.re().MatchString(s) })
	if inTest {
		r.re()
	}
	return r
}

var inTest = strings.HasSuffix(os.Args[0], ".test")

func (r *Regexp) re() *regexp.Regexp {
	r.once.Do(func() { r.rx = regexp.MustCompile(r.expr) })
	return r.rx
}

// Regexp returns the compiled expression.
func (r *Regexp) Regexp() *regexp.Regexp { return r.re() }

func (r *Regexp) String() string { return r.expr }

func (r *Regexp) MatchString(s string) bool {
	if len(s) > maxRememberedLen {
		return r.re().MatchString(s)
	}
	return r.matched.Get(s)
}

func (r *Regexp) FindString(s string) string { return r.re().FindString(s) }

func (r *Regexp) FindStringIndex(s string) []int { return r.re().FindStringIndex(s) }

func (r *Regexp) FindStringSubmatch(s string) []string { return r.re().FindStringSubmatch(s) }

func (r *Regexp) FindStringSubmatchIndex(s string) []int { return r.re().FindStringSubmatchIndex(s) }

func (r *Regexp) FindAllString(s string, n int) []string { return r.re().FindAllString(s, n) }

func (r *Regexp) FindAllStringIndex(s string, n int) [][]int { return r.re().FindAllStringIndex(s, n) }

func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.re().FindAllStringSubmatch(s, n)
}

func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.re().FindAllStringSubmatchIndex(s, n)
}

func (r *Regexp) ReplaceAllString(src, repl string) string { return r.re().ReplaceAllString(src, repl) }

func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.re().ReplaceAllStringFunc(src, repl)
}

func (r *Regexp) SubexpNames() []string { return r.re().SubexpNames() }

func (r *Regexp) SubexpIndex(name string) int { return r.re().SubexpIndex(name) }

func (r *Regexp) Split(s string, n int) []string { return r.re().Split(s, n) }

func (r *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte { return r.re().FindAllSubmatch(b, n) }
