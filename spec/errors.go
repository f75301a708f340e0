package spec

import (
	"errors"
	"fmt"
	suggestpkg "github.com/wharf-dev/wharf/internal/suggest"
	"strings"
)

// Kinds of problems, for errors.Is on an *Error or an ErrorList.
var (
	ErrSyntax       = errors.New("invalid YAML")
	ErrVersion      = errors.New("unsupported spec version")
	ErrUnknownKey   = errors.New("unknown key")
	ErrType         = errors.New("wrong type")
	ErrRequired     = errors.New("required value missing")
	ErrInvalid      = errors.New("invalid value")
	ErrPath         = errors.New("invalid path")
	ErrNoShell      = errors.New("stage has no shell")
	ErrLibcMismatch = errors.New("builder and runner use different C libraries")
	ErrPythonSkew   = errors.New("builder and runner use different Python versions")
	ErrTooLarge     = errors.New("spec too large")
	ErrSecret       = errors.New("value looks like a secret")
	ErrExtends      = errors.New("invalid extends")
)

// Error is one problem in a spec, at a position in a file.
type Error struct {
	File   string
	Line   int // 1-based; 0 when the problem has no position
	Column int // 1-based
	Msg    string
	Kind   error // one of the Err* values
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// Unwrap returns the kind of problem.
func (e *Error) Unwrap() error { return e.Kind }

// ErrorList is every problem found in one spec, in file order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the problems, so errors.Is and errors.As see each one.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// suggest returns the candidate closest to word, if it is a likely typo.
func suggest(word string, candidates []string) string { return suggestpkg.Closest(word, candidates) }
