package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/wharf-dev/wharf/e2e/lint"
	"github.com/wharf-dev/wharf/generate"
	_ "github.com/wharf-dev/wharf/lang" // registers the languages
	"github.com/wharf-dev/wharf/spec"
)

// FuzzGenerate mutates valid specs (the golden cases and examples are the
// seeds, plus testdata/fuzz/FuzzGenerate). Whenever a mutant loads, its
// Dockerfile must generate, the same through text/template as through the
// Go rendering of the built-in blocks, parse with BuildKit's parser, read
// back with no variable reference and no heredoc, and pass BuildKit's
// checks with no warning but SecretsUsedInArgOrEnv, which wharf must have
// warned about itself.
func FuzzGenerate(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/golden/*/wharf.yaml")
	units, _ := filepath.Glob("../lang/*/testdata/golden/*/wharf.yaml")
	seeds = append(seeds, units...)
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
		if err != nil {
			return
		}
		files, err := generate.Files(s)
		if err != nil {
			t.Fatalf("spec loads but does not generate: %v", err)
		}
		sameThroughTemplates(t, s, files)
		dockerfile := files[0].Data
		rb, err := readback(dockerfile)
		if err != nil {
			t.Fatalf("%v\n%s", err, dockerfile)
		}
		stages := 2 + len(s.Stages)
		if s.StaticTini() {
			stages++
		}
		missing := rb["builder"] == nil || rb["runner"] == nil || (s.StaticTini() && rb["tini"] == nil)
		for _, st := range s.Stages {
			missing = missing || rb[st.Name] == nil
		}
		if missing || len(rb) != stages {
			t.Fatalf("stages %v, want builder and runner (and tini for a static tini, and the spec's stages)\n%s", sortedStageNames(rb), dockerfile)
		}
		res, err := lint.Dockerfile(context.Background(), "Dockerfile", dockerfile)
		if err != nil {
			t.Fatal(err)
		}
		if res.BuildError != "" {
			t.Fatalf("BuildKit cannot convert the Dockerfile: %s\n%s", res.BuildError, dockerfile)
		}
		for _, w := range res.Warnings {
			if w.Rule == "SecretsUsedInArgOrEnv" && warnedSecret(s, w.Detail) {
				continue
			}
			t.Errorf("line %d: %s: %s\n%s", w.Line, w.Rule, w.Detail, dockerfile)
		}
	})
}

// templated renders with a custom "dockerfile" block, a copy of the
// built-in one, which sends the output through the custom-block path
// (markers, then layout) rather than the plain one.
var templated = sync.OnceValues(func() (*generate.Generator, error) {
	return generate.New(fstest.MapFS{"dockerfile.tmpl": {Data: []byte(`{{define "dockerfile"}}
{{template "header" .}}
{{template "builder" .}}
{{range .Stages}}{{template "builder" .}}{{end}}
{{template "runner" .}}
{{end}}`)}})
})

// sameThroughTemplates fails unless rendering s with text/template gives
// files, which generate.Files gave.
func sameThroughTemplates(t *testing.T, s *spec.Spec, files []generate.File) {
	t.Helper()
	g, err := templated()
	if err != nil {
		t.Fatal(err)
	}
	want, err := g.Files(s, nil)
	if err != nil {
		t.Fatalf("generates, but not through text/template: %v", err)
	}
	for i, f := range files {
		if !bytes.Equal(f.Data, want[i].Data) {
			t.Fatalf("%s differs from the text/template rendering:\n%s", f.Path, cmp.Diff(string(want[i].Data), string(f.Data)))
		}
	}
}

// warnedSecret reports whether wharf warned about the variable that
// BuildKit's detail message names, e.g. `ENV "API_TOKEN"`.
func warnedSecret(s *spec.Spec, detail string) bool {
	for _, w := range s.Warnings {
		if !errors.Is(w, spec.ErrSecret) {
			continue
		}
		name, _, _ := strings.Cut(w.Msg, " ")
		if i := strings.LastIndex(name, "."); i >= 0 && strings.Contains(detail, `"`+name[i+1:]+`"`) {
			return true
		}
	}
	return false
}

func sortedStageNames(rb map[string]*stageReadback) []string {
	names := make([]string, 0, len(rb))
	for n := range rb {
		names = append(names, n)
	}
	return names
}

// FuzzHostileValue is TestHostileValues with the fuzzer choosing the value:
// field picks one of hostileFields, value is put in it. The spec must be
// refused at the value's line or read back by BuildKit as intended, with
// the same instructions as a benign value gives.
func FuzzHostileValue(f *testing.F) {
	for i, field := range hostileFields {
		f.Add(uint8(i), field.benign)
	}
	for i, v := range hostileValues {
		f.Add(uint8(i), v)
	}
	f.Fuzz(func(t *testing.T, field uint8, value string) {
		tryHostile(t, hostileFields[int(field)%len(hostileFields)], value)
	})
}
