package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestREADMEProgram checks that the README's library program is this
// file's, and that it prints what wharf generate -o - prints for every
// spec under examples/, custom templates and locks included.
func TestREADMEProgram(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, []byte("```go\n"+string(src)+"```\n")) {
		t.Fatal("README.md's library section does not hold examples/library/main.go as it is; copy the file into the README")
	}
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	bin := t.TempDir()
	for _, pkg := range []string{".", "../../cmd/wharf"} {
		out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	specs, err := filepath.Glob("../*/wharf.yaml")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../*/services/*/wharf.yaml")
	specs = append(specs, more...)
	// A copy of the Go example with a wharf.lock that pins its builder.
	locked := filepath.Join(t.TempDir(), "wharf.yaml")
	data, err := os.ReadFile("../go/wharf.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lock := "version: 1\nimages:\n  golang:1.26-trixie:\n    digest: sha256:" + strings.Repeat("ab", 32) + "\n    resolved: 2026-11-26T18:00:00Z\n"
	if err := os.WriteFile(locked, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(locked), "wharf.lock"), []byte(lock), 0o644); err != nil {
		t.Fatal(err)
	}
	specs = append(specs, locked)
	if len(specs) < 6 {
		t.Fatalf("found only %d example specs", len(specs))
	}
	for _, s := range specs {
		want, err := exec.Command(filepath.Join(bin, "wharf"), "generate", "-o", "-", s).Output()
		if err != nil {
			t.Fatalf("wharf generate -o - %s: %v", s, err)
		}
		got, err := exec.Command(filepath.Join(bin, "library"), s).Output()
		if err != nil {
			t.Fatalf("library %s: %v", s, err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s: the library program differs from the CLI (-cli +library):\n%s", s, diff)
		}
		if s == locked && !strings.Contains(string(got), "golang:1.26-trixie@sha256:abab") {
			t.Errorf("%s: the lock's pin is not in the Dockerfile:\n%s", s, got)
		}
		if !strings.HasPrefix(string(got), "# syntax=") {
			t.Errorf("%s: not a Dockerfile:\n%s", s, got)
		}
	}
}
