package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesAndLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "sub", "Dockerfile")
	for _, content := range []string{"first\n", "second\n"} {
		if err := Write(name, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil || string(got) != content {
			t.Fatalf("read %q, %v; want %q", got, err, content)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the file (no temporary left)", len(entries))
	}
	if info, _ := os.Stat(name); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
}

func TestCreateNeverReplaces(t *testing.T) {
	name := filepath.Join(t.TempDir(), "wharf.yaml")
	if err := Create(name, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	err := Create(name, []byte("other\n"))
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second Create: %v, want fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(name); string(got) != "new\n" {
		t.Errorf("file holds %q after a refused Create", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want 1", len(entries))
	}
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores folder permissions")
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(name, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	if err := Write(name, []byte("new\n")); err == nil {
		t.Fatal("Write into a read-only folder succeeded")
	}
	if got, _ := os.ReadFile(name); string(got) != "old\n" {
		t.Errorf("old file now holds %q", got)
	}
}
