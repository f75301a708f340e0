package lang_test

import (
	"bytes"
	"fmt"
	"github.com/wharf-dev/wharf/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/lang"
	"github.com/wharf-dev/wharf/spec"
)

// TestCompiledBlocksFresh fails when render_gen.go is not what the
// built-in blocks compile to: run go generate ./lang.
func TestCompiledBlocksFresh(t *testing.T) {
	want, err := lang.CompileBlocks()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("render_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("render_gen.go is stale; run go generate ./lang (-file +blocks):\n%s", cmp.Diff(string(got), string(want)))
	}
}

// specPaths lists every golden spec and example.
func specPaths(t *testing.T) []string {
	t.Helper()
	paths := golden.Specs("..")
	for _, pattern := range []string{"../examples/*/wharf.yaml", "../examples/monorepo/services/*/wharf.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	return paths
}

// TestCompiledMatchesTemplates renders every golden spec and example with
// the compiled blocks and with text/template, and compares the bytes.
func TestCompiledMatchesTemplates(t *testing.T) {
	paths := specPaths(t)
	if len(paths) < 30 {
		t.Fatalf("found only %d specs", len(paths))
	}
	g, err := generate.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	interpreted := g.Interpreted()
	for _, p := range paths {
		s, err := spec.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		if s.Templates != "" {
			continue // custom blocks: text/template either way
		}
		pins := generate.Pins{s.Images.Builder.Ref: s.Images.Builder.Ref + "@sha256:" + strings.Repeat("ab", 32)}
		fast, err := g.Files(s, pins)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := interpreted.Files(s, pins)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(slow[0].Data), string(fast[0].Data)); diff != "" {
			t.Errorf("%s: compiled blocks differ from text/template (-template +compiled):\n%s", p, diff)
		}
	}
}

// TestCompiledIsUsed checks that the compiled blocks are registered, and
// that they are what renders: a Dockerfile rendered with them off differs
// from one with them on only if they disagree, so turn them off and on.
func TestCompiledIsUsed(t *testing.T) {
	s, err := spec.Parse("wharf.yaml", []byte("version: 1\nname: x\nlanguage: go\n"))
	if err != nil {
		t.Fatal(err)
	}
	var calls int
	var buf bytes.Buffer
	g, err := generate.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	d, err := generate.Data(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	lang.Render(&buf, d, nil)
	generate.SetCompiled(func(b *bytes.Buffer, d *generate.Dockerfile, c generate.CustomBlocks) { calls++; lang.Render(b, d, c) }, lang.BlockNames())
	defer generate.SetCompiled(lang.Render, lang.BlockNames())
	files, err := g.Files(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("the compiled blocks ran %d times, want 1", calls)
	}
	if !strings.Contains(buf.String(), "go build") || !strings.Contains(string(files[0].Data), "go build") {
		t.Errorf("unexpected output:\n%s", buf.String())
	}
}

// TestCustomBlocksCompiledMatchesTemplates renders every golden spec and
// example with sets of custom blocks twice: with the compiled blocks,
// which hand the overridden blocks to text/template, and with
// text/template alone. The files, or the errors, must be the same, and
// the compiled blocks must render exactly when no custom block calls a
// built-in one.
func TestCustomBlocksCompiledMatchesTemplates(t *testing.T) {
	sets := []struct {
		name, text string
		compiled   bool
	}{
		{"users", `{{define "create-user-debian"}}
RUN useradd --uid {{.ID}} {{.Create}}
{{end}}{{define "create-user-alpine"}}
RUN adduser -D -u {{.ID}} {{.Create}}
{{end}}`, true},
		// "builder" gets the root: the spec's map, and each stage's.
		{"root-blocks", `{{define "builder"}}
FROM {{.Builder.Image}} AS {{.Builder.Name}}
{{template "note" .}}RUN echo {{.Language}}{{if .Python}} python{{end}}{{if .Go}} go{{end}}{{if .Node}} node{{end}}{{range .Stages}} {{.Builder.Name}}{{end}}
{{end}}{{define "note"}}LABEL spec={{.Spec.Name}} file={{.SpecFile}}
{{end}}{{define "artifacts"}}
{{range .Artifacts}}COPY --from=builder {{.From}} {{.To}}
{{end}}{{end}}`, true},
		{"stage-data", `{{define "env"}}
{{range .}}ENV {{.Key}}={{.Quoted}}
{{end}}{{end}}{{define "runner-config"}}
USER {{.User.Directive}}
{{if .Cmd}}CMD {{exec .Cmd}}
{{end}}{{end}}`, true},
		{"calls-builtin", `{{define "create-user-debian"}}
{{template "create-user-alpine" .}}{{end}}`, false},
		{"missing-key", `{{define "artifacts"}}{{.Nope}}{{end}}`, true},
		{"missing-field", `{{define "runner-config"}}USER {{.Nope}}{{end}}`, true},
		{"invalid", "{{define \"header\"}}\nnot an instruction\n{{end}}", true},
		{"too-large", "{{define \"header\"}}{{range 2000}}# " + strings.Repeat("x", 600) + "\n{{end}}{{end}}", true},
	}
	paths := specPaths(t)
	var specs []*spec.Spec
	for _, p := range paths {
		s, err := spec.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, s)
	}
	// No render may run out of time, which would refuse the later specs
	// unrendered: the race detector slows the large blocks a lot.
	timeout := generate.RenderTimeout
	generate.RenderTimeout = time.Minute
	defer func() { generate.RenderTimeout = timeout }()
	var calls int
	generate.SetCompiled(func(b *bytes.Buffer, d *generate.Dockerfile, c generate.CustomBlocks) { calls++; lang.Render(b, d, c) }, lang.BlockNames())
	defer generate.SetCompiled(lang.Render, lang.BlockNames())
	outcomes := map[bool]int{}
	for _, set := range sets {
		g, err := generate.New(fstest.MapFS{set.name + ".tmpl": {Data: []byte(set.text)}})
		if err != nil {
			t.Fatalf("%s: %v", set.name, err)
		}
		interpreted := g.Interpreted()
		for i, s := range specs {
			calls = 0
			fast, fastErr := g.Files(s, nil)
			if got := calls > 0; got != set.compiled {
				t.Fatalf("%s, %s: compiled blocks used: %v, want %v", set.name, paths[i], got, set.compiled)
			}
			slow, slowErr := interpreted.Files(s, nil)
			outcomes[fastErr == nil]++
			if fastErr != nil || slowErr != nil {
				if fmt.Sprint(fastErr) != fmt.Sprint(slowErr) {
					t.Errorf("%s, %s: errors differ:\ncompiled:      %v\ntext/template: %v", set.name, paths[i], fastErr, slowErr)
				}
				continue
			}
			for j := range slow {
				if diff := cmp.Diff(string(slow[j].Data), string(fast[j].Data)); diff != "" {
					t.Errorf("%s, %s: %s differs (-text/template +compiled):\n%s", set.name, paths[i], slow[j].Path, diff)
				}
			}
		}
	}
	// Both outcomes must have been compared.
	if outcomes[true] < len(specs) || outcomes[false] < len(specs) {
		t.Errorf("rendered %d and refused %d, want each at least %d", outcomes[true], outcomes[false], len(specs))
	}
}
