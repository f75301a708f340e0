package spec_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wharf-dev/wharf/spec"
)

// extendsGraph builds a graph of extends from data: the spec and up to 40
// base files, each extending up to 4 files (the spec itself among them,
// making cycles), each adding a label, appending a package, removing an
// inherited value, or nothing. Every byte is used modulo what it picks
// from, so every input is a graph.
func extendsGraph(data []byte) map[string]string {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := int(data[0])
		data = data[1:]
		return b
	}
	n := 1 + next()%40
	name := func(i int) string {
		if i == n {
			return "../wharf.yaml" // the bases live in b/
		}
		return fmt.Sprintf("b%d.yaml", i)
	}
	files := map[string]string{}
	for i := -1; i < n; i++ {
		var b strings.Builder
		if i < 0 {
			b.WriteString("version: 1\nname: a\nlanguage: go\n")
		}
		var targets []string
		for range next() % 5 {
			t := name(next() % (n + 1))
			if i < 0 {
				t = "b/" + strings.TrimPrefix(t, "../")
			}
			targets = append(targets, t)
		}
		if len(targets) > 0 {
			fmt.Fprintf(&b, "extends: [%s]\n", strings.Join(targets, ", "))
		}
		switch next() % 4 {
		case 0:
			fmt.Fprintf(&b, "runtime: {labels: {k%d: v}}\n", i+1)
		case 1:
			fmt.Fprintf(&b, "build: {packages: {append: [p%d]}}\n", i+1)
		case 2:
			b.WriteString("runtime: {labels: ~}\n")
		}
		if i < 0 {
			files["wharf.yaml"] = b.String()
		} else {
			files[fmt.Sprintf("b/b%d.yaml", i)] = b.String()
		}
	}
	return files
}

// FuzzExtendsGraph loads random graphs of extends. Loading must never
// panic, must end quickly (the bounds in limits.go), must report every
// problem at a position, and must give the same spec or the same errors
// whether resolved base files are shared between specs or not.
func FuzzExtendsGraph(f *testing.F) {
	f.Add([]byte{3, 2, 0, 1, 0, 2, 1, 0, 1, 2, 1, 3, 1, 0, 0})
	f.Add([]byte{39, 4, 1, 2, 3, 4, 0})
	f.Add([]byte{20, 1, 0, 1, 1, 1, 1, 2, 1, 1, 3, 1, 1, 4, 1, 1, 5, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		files := extendsGraph(data)
		t.Chdir(t.TempDir())
		for name, body := range files {
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		load := func() string {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			s, err := new(spec.Loader).Load("wharf.yaml")
			runtime.ReadMemStats(&after)
			if n := after.TotalAlloc - before.TotalAlloc; n > 100<<20 {
				t.Errorf("allocated %d MB, want under 100 MB", n>>20)
			}
			if err != nil {
				var list spec.ErrorList
				if !errors.As(err, &list) {
					t.Fatalf("error %v is not a spec.ErrorList", err)
				}
				for _, e := range list {
					if e.Line == 0 || e.File == "" {
						t.Errorf("error without a position: %v", e)
					}
				}
				return "error: " + err.Error()
			}
			return fmt.Sprintf("extends %q\nlabels %q\npackages %q", s.Extends, s.Runtime.Labels, s.Build.Packages)
		}
		shared := load()
		was := spec.ShareResolvedBases(false)
		defer spec.ShareResolvedBases(was)
		if diff := cmp.Diff(load(), shared); diff != "" {
			t.Errorf("shared bases differ from unshared (-unshared +shared):\n%s\nfiles: %q", diff, files)
		}
	})
}
