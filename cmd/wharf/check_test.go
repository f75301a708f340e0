package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf/cmd/wharf/internal/cli"
	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// TestCheckAfterGenerate checks a property over every golden spec and
// example: check right after generate exits 0, and exits 1 once any byte of
// any generated file changes.
func TestCheckAfterGenerate(t *testing.T) {
	specs, _ := filepath.Glob("../../testdata/golden/*/wharf.yaml")
	examples, _ := filepath.Glob("../../examples/*/wharf.yaml")
	specs = append(specs, examples...)
	if len(specs) < 15 {
		t.Fatalf("found %d specs, want at least 15", len(specs))
	}
	for _, src := range specs {
		name := filepath.Base(filepath.Dir(filepath.Dir(src))) + "/" + filepath.Base(filepath.Dir(src))
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			specFile := filepath.Join(dir, spec.FileName)
			if err := os.WriteFile(specFile, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if code, out := run("generate", dir); code != 0 {
				t.Fatalf("generate exited %d:\n%s", code, out)
			}
			if code, out := run("check", dir); code != 0 {
				t.Fatalf("check after generate exited %d, want 0:\n%s", code, out)
			}
			s, err := spec.Load(specFile)
			if err != nil {
				t.Fatal(err)
			}
			files, err := generate.Files(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				path := filepath.Join(dir, filepath.FromSlash(f.Path))
				// Flip a byte past the header, and one inside it.
				for _, at := range []int{len(f.Data) * 2 / 3, 3} {
					mutated := bytes.Clone(f.Data)
					mutated[at] ^= 0x20
					if err := os.WriteFile(path, mutated, 0o644); err != nil {
						t.Fatal(err)
					}
					if code, out := run("check", dir); code != 1 {
						t.Errorf("check with byte %d of %s changed exited %d, want 1:\n%s", at, f.Path, code, out)
					}
				}
				if err := os.WriteFile(path, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if code, out := run("check", dir); code != 0 {
				t.Fatalf("check after restoring exited %d, want 0:\n%s", code, out)
			}
		})
	}
}

// run runs wharf in-process and returns its exit code and output.
func run(args ...string) (int, string) {
	var out bytes.Buffer
	code := cli.Run(args, nil, &out, &out)
	return code, out.String()
}
