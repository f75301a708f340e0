package main

import (
	"bytes"
	"github.com/wharf-dev/wharf/internal/golden"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf"
	"github.com/wharf-dev/wharf/cmd/wharf/internal/cli"
	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// TestCheckAfterGenerate checks a property over every golden spec and
// example: check right after generate exits 0, and exits 1 once any byte of
// any generated file changes.
func TestCheckAfterGenerate(t *testing.T) {
	specs := golden.Specs("../..")
	examples, _ := filepath.Glob("../../examples/*/wharf.yaml")
	specs = append(specs, examples...)
	monorepo, _ := filepath.Glob("../../examples/monorepo/services/*/wharf.yaml")
	specs = append(specs, monorepo...)
	if len(specs) < 15 {
		t.Fatalf("found %d specs, want at least 15", len(specs))
	}
	for _, src := range specs {
		name := filepath.Base(filepath.Dir(filepath.Dir(src))) + "/" + filepath.Base(filepath.Dir(src))
		t.Run(name, func(t *testing.T) {
			// Copy the spec's folder, or the whole monorepo, so that the
			// files it extends and its templates come along; the
			// generated files are removed.
			root := filepath.Dir(src)
			if filepath.Base(filepath.Dir(root)) == "services" {
				root = filepath.Dir(filepath.Dir(root))
			}
			rel, err := filepath.Rel(root, filepath.Dir(src))
			if err != nil {
				t.Fatal(err)
			}
			tmp := t.TempDir()
			copySources(t, root, tmp)
			dir := filepath.Join(tmp, rel)
			specFile := filepath.Join(dir, spec.FileName)
			if code, out := run("generate", dir); code != 0 {
				t.Fatalf("generate exited %d:\n%s", code, out)
			}
			if code, out := run("check", dir); code != 0 {
				t.Fatalf("check after generate exited %d, want 0:\n%s", code, out)
			}
			r, err := wharf.Generate(specFile, wharf.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range r.Files {
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

// copySources copies the tree at src to dst, without the files wharf
// generates (those with its header).
func copySources(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil || generate.IsGenerated(data) {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// run runs wharf in-process and returns its exit code and output.
func run(args ...string) (int, string) {
	var out bytes.Buffer
	code := cli.Run(args, nil, &out, &out)
	return code, out.String()
}
