package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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

// TestRemoveTemps: on an interrupt, the temporary files of writes in
// progress are removed and no write starts afterwards (issue 17, item 11).
func TestRemoveTemps(t *testing.T) {
	defer func() { temps.closed = false }()
	dir := t.TempDir()
	name := filepath.Join(dir, "Dockerfile")
	tmp, err := temp(name, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if base := filepath.Base(tmp); !strings.HasPrefix(base, TempPrefix(name)) {
		t.Errorf("temporary file %s does not start with TempPrefix %s", base, TempPrefix(name))
	}
	RemoveTemps()
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("temporary file still there after RemoveTemps: %v", err)
	}
	if err := Write(name, []byte("y")); err == nil {
		t.Error("Write after RemoveTemps succeeded, want it refused")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("folder holds %d entries, want none", len(entries))
	}
}
