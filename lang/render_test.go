package lang_test

import (
	"bytes"
	"github.com/wharf-dev/wharf/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

// TestCompiledMatchesTemplates renders every golden spec and example with
// the compiled blocks and with text/template, and compares the bytes.
func TestCompiledMatchesTemplates(t *testing.T) {
	paths := golden.Specs("..")
	for _, pattern := range []string{"../examples/*/wharf.yaml", "../examples/monorepo/services/*/wharf.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
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
	lang.Render(&buf, d)
	generate.SetCompiled(func(b *bytes.Buffer, d *generate.Dockerfile) { calls++; lang.Render(b, d) })
	defer generate.SetCompiled(lang.Render)
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
