package workspace

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckDiffPatch checks that check's diff of a stale file is a unified
// diff that the real patch command applies: patch -p1 turns the file on
// disk into what the spec generates, for several kinds of staleness,
// without fuzz or offsets.
func TestCheckDiffPatch(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("patch is not installed")
	}
	root := t.TempDir()
	for _, unit := range []string{"golang", "python", "node"} {
		golden, err := filepath.Abs("../../lang/" + unit + "/testdata/golden")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(root, os.DirFS(golden)); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(root) // relative spec paths give the a/ and b/ paths patch reads
	// Generated afresh, whatever the state of the golden files (which
	// go test ./... -update may be rewriting meanwhile).
	for _, dir := range []string{"go-minimal", "python-full", "node-npm", "go-alpine", "python-debian", "go-distroless", "node-pnpm", "python-alpine"} {
		if r := Generate(dir, GenerateOptions{Force: true}); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	read := func(name string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.FromSlash(name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	tests := []struct {
		name, dir string
		stale     func(want string) string
	}{
		{"one line changed", "go-minimal", func(want string) string {
			return strings.Replace(want, "USER 10001:10001", "USER root", 1)
		}},
		{"lines removed at both ends", "python-full", func(want string) string {
			lines := strings.SplitAfter(want, "\n")
			return strings.Join(lines[:2], "") + strings.Join(lines[5:len(lines)-4], "") // keeps the header
		}},
		{"lines added", "node-npm", func(want string) string {
			return strings.Replace(want, "\n\n", "\n\nRUN echo one\nRUN echo two\n\n", 2) + "# trailing\n"
		}},
		{"no newline at end", "go-alpine", func(want string) string {
			return strings.TrimSuffix(strings.Replace(want, "FROM ", "FROM  ", 1), "\n")
		}},
		{"another spec's Dockerfile", "python-debian", func(string) string {
			return read("go-distroless/Dockerfile")
		}},
		{"another language's Dockerfile", "node-pnpm", func(string) string {
			return read("python-alpine/Dockerfile")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(tt.dir, "Dockerfile")
			want := read(name)
			stale := tt.stale(want)
			if stale == want {
				t.Fatal("the stale Dockerfile equals the generated one")
			}
			if err := os.WriteFile(name, []byte(stale), 0o644); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(name, []byte(want), 0o644)
			r := Check(tt.dir, CheckOptions{Diff: true})
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			var d []byte
			for _, f := range r.Files {
				if f.Path == name && f.Status == Stale {
					d = f.Diff
				}
			}
			if d == nil {
				t.Fatalf("Check gave no diff for a stale %s", name)
			}
			cmd := exec.Command("patch", "-p1", "--batch", "--fuzz=0", "--no-backup-if-mismatch")
			cmd.Stdin = bytes.NewReader(d)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("patch -p1: %v\n%s\ndiff:\n%s", err, out, d)
			}
			if bytes.Contains(out, []byte("offset")) {
				t.Errorf("patch -p1 needed an offset, so a hunk header is wrong:\n%s\ndiff:\n%s", out, d)
			}
			if got := read(name); got != want {
				t.Errorf("patch -p1 did not give the generated Dockerfile\ndiff:\n%s\ngot:\n%s", d, got)
			}
		})
	}
}
