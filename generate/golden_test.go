package generate_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/internal/golden"
	"github.com/wharf-dev/wharf/spec"
)

// TestGolden generates every spec under testdata/golden and examples
// (with the custom templates a spec names) and compares each file with the
// committed one, byte for byte.
func TestGolden(t *testing.T) {
	specs := golden.Specs("..")
	examples, _ := filepath.Glob("../examples/*/wharf.yaml")
	specs = append(specs, examples...)
	monorepo, _ := filepath.Glob("../examples/monorepo/services/*/wharf.yaml")
	if len(monorepo) < 5 {
		t.Errorf("found %d services in examples/monorepo, want at least 5", len(monorepo))
	}
	specs = append(specs, monorepo...)
	if len(specs) < 15 {
		t.Fatalf("found %d golden specs, want at least 15", len(specs))
	}
	for _, path := range specs {
		dir := filepath.Dir(path)
		t.Run(filepath.Base(filepath.Dir(dir))+"/"+filepath.Base(dir), func(t *testing.T) {
			s, err := spec.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			g, err := generate.New(nil)
			if s.Templates != "" {
				g, err = generate.NewDir(s.Templates)
			}
			if err != nil {
				t.Fatal(err)
			}
			files, err := g.Files(s, nil)
			if err != nil {
				t.Fatal(err)
			}
			again, err := g.Files(s, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, f := range files {
				if !bytes.Equal(f.Data, again[i].Data) {
					t.Errorf("%s differs between two runs", f.Path)
				}
				golden.Check(t, filepath.Join(dir, filepath.FromSlash(f.Path)), f.Data)
			}
		})
	}
}
