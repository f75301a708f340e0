package spec_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf/spec"
)

// FuzzLoad feeds arbitrary bytes to the spec loader. It must never panic,
// and every problem it reports must be a spec.ErrorList whose entries name
// the file and a line, except a spec refused for its size as a whole.
// The seed corpus is every spec in testdata plus testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/*/*/wharf.yaml")
	examples, _ := filepath.Glob("../examples/*/wharf.yaml")
	for _, path := range append(seeds, examples...) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := spec.Parse("wharf.yaml", data)
		if err == nil {
			if s == nil || s.File != "wharf.yaml" || s.Output == "" {
				t.Fatalf("Parse returned no error but spec %+v", s)
			}
			for _, w := range s.Warnings {
				if w.File != "wharf.yaml" || w.Line < 1 || w.Column < 1 {
					t.Errorf("warning without a position: %q", w.Error())
				}
			}
			return
		}
		var list spec.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error is not a non-empty spec.ErrorList: %#v", err)
		}
		for _, e := range list {
			if e.File != "wharf.yaml" || e.Msg == "" || e.Kind == nil {
				t.Errorf("incomplete error %#v", e)
			}
			if e.Line < 1 || e.Column < 1 {
				if errors.Is(e, spec.ErrTooLarge) && len(data) > spec.MaxSize {
					continue
				}
				t.Errorf("error without a position: %q", e.Error())
			}
		}
	})
}
