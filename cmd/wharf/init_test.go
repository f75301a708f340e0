package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf/cmd/wharf/internal/cli"
)

// TestInitThenCheck is a property over the repository's real projects (the
// e2e cases and the examples): in a copy without wharf's files, init
// succeeds, check then finds everything fresh, and a second init refuses
// to run and changes nothing.
func TestInitThenCheck(t *testing.T) {
	specs, _ := filepath.Glob("../../e2e/cases/*/wharf.yaml")
	examples, _ := filepath.Glob("../../examples/*/wharf.yaml")
	specs = append(specs, examples...)
	if len(specs) < 8 {
		t.Fatalf("found %d projects, want at least 8", len(specs))
	}
	for _, s := range specs {
		src := filepath.Dir(s)
		t.Run(filepath.Base(filepath.Dir(src))+"/"+filepath.Base(src), func(t *testing.T) {
			dir := t.TempDir()
			copyProject(t, src, dir)
			run := func(want int, args ...string) string {
				t.Helper()
				var stdout, stderr bytes.Buffer
				if code := cli.Run(args, nil, &stdout, &stderr); code != want {
					t.Fatalf("wharf %v exited %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, want, &stdout, &stderr)
				}
				return stdout.String()
			}
			run(0, "init", dir)
			run(0, "check", dir)
			before, err := os.ReadFile(filepath.Join(dir, "wharf.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			run(2, "init", dir)
			after, _ := os.ReadFile(filepath.Join(dir, "wharf.yaml"))
			if !bytes.Equal(before, after) {
				t.Error("a refused init changed wharf.yaml")
			}
		})
	}
}

// copyProject copies the project at src to dst, leaving out the files
// wharf writes.
func copyProject(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		switch rel {
		case "wharf.yaml", "wharf.lock", "Dockerfile", ".dockerignore":
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
