package spec_test

import (
	"errors"
	"fmt"

	"github.com/wharf-dev/wharf/spec"
)

// Every problem of a spec comes back at once, each with its position, and
// each can be told apart with errors.Is.
func ExampleParse_errors() {
	_, err := spec.Parse("wharf.yaml", []byte(`version: 1
name: api
language: python
images:
  builder: python:3.11-slim
  runner: python:3.12-alpine
runtime:
  comand: ["api"]
`))
	fmt.Println(err)
	fmt.Println(errors.Is(err, spec.ErrLibcMismatch), errors.Is(err, spec.ErrUnknownKey))
	// Output:
	// wharf.yaml:6:11: the builder python:3.11-slim (debian, glibc) and the runner python:3.12-alpine (alpine, musl) use different C libraries, and Python wheels are native code built against the builder's: they would fail to load at run time; use the same family for both images
	// wharf.yaml:6:11: the builder python:3.11-slim has Python 3.11 but the runner python:3.12-alpine has Python 3.12: wheels built for one do not install on the other; use the same Python version in both images
	// wharf.yaml:8:3: unknown key "comand" under runtime (did you mean "cmd"?)
	// wharf.yaml:8:3: runtime.cmd is required for python: say how the container starts, e.g. cmd: ["python", "-m", "api"]
	// true true
}
