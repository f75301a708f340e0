package generate

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf/spec"
)

// equivalenceSpecs are the spec files both renderers must agree on: the
// golden cases and the examples.
func equivalenceSpecs(tb testing.TB) []string {
	var paths []string
	for _, pattern := range []string{
		"../testdata/golden/*/wharf.yaml",
		"../examples/*/wharf.yaml",
		"../examples/monorepo/services/*/wharf.yaml",
	} {
		p, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		paths = append(paths, p...)
	}
	if len(paths) < 15 {
		tb.Fatalf("found %d specs, want at least 15", len(paths))
	}
	return paths
}

// compareRenderers renders s with renderBuiltin and with the built-in
// templates and fails if the files or errors differ.
func compareRenderers(t *testing.T, s *spec.Spec) {
	t.Helper()
	native, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !native.builtinOnly {
		t.Fatal("New(nil) does not use renderBuiltin")
	}
	templated := *native
	templated.builtinOnly = false
	want, wantErr := templated.Files(s)
	got, gotErr := native.Files(s)
	if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
		t.Fatalf("templates: %v\nrenderBuiltin: %v", wantErr, gotErr)
	}
	for i := range want {
		if !bytes.Equal(want[i].Data, got[i].Data) {
			t.Errorf("%s differs between the templates and renderBuiltin (generate/render.go; change both):\ntemplates:\n%s\nrenderBuiltin:\n%s", want[i].Path, want[i].Data, got[i].Data)
		}
	}
}

// TestBuiltinRendererMatchesTemplates checks that renderBuiltin writes what
// the built-in templates write, on every golden spec and example (custom
// templates they name aside).
func TestBuiltinRendererMatchesTemplates(t *testing.T) {
	for _, path := range equivalenceSpecs(t) {
		t.Run(path, func(t *testing.T) {
			s, err := spec.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			compareRenderers(t, s)
		})
	}
}

// FuzzBuiltinRenderer is TestBuiltinRendererMatchesTemplates on mutants of
// the golden specs and examples.
func FuzzBuiltinRenderer(f *testing.F) {
	for _, path := range equivalenceSpecs(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := spec.Parse("wharf.yaml", data)
		if err != nil {
			return
		}
		compareRenderers(t, s)
	})
}

// TestExecFormFastPath checks that execForm's fast path writes what
// encoding/json writes, for every byte and a few whole arguments.
func TestExecFormFastPath(t *testing.T) {
	cases := [][]string{nil, {}, {""}, {"node", "dist/server.js"}, {"a b", "<&>", "x=$y", "'q'"}}
	for c := range 256 {
		cases = append(cases, []string{"x" + string(rune(c)) + "y"}, []string{string([]byte{byte(c)})})
	}
	for _, args := range cases {
		if got, want := execForm(args), execFormJSON(args); got != want {
			t.Errorf("execForm(%q) = %s, encoding/json gives %s", args, got, want)
		}
	}
}
