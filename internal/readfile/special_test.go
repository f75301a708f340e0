//go:build unix

package readfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
)

// TestReadNotRegular: a named pipe is refused without waiting for a
// writer, and a link to a device without reading it.
func TestReadNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{fifo: "named pipe", zero: "character device"} {
		_, err := Read(name, 0, 1<<30)
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), want) {
			t.Errorf("Read(%s) = %v, want ErrNotRegular naming it and %q", name, err, want)
		}
		if _, err := FS(dir, 100).(interface{ ReadFile(string) ([]byte, error) }).ReadFile(filepath.Base(name)); !errors.Is(err, ErrNotRegular) {
			t.Errorf("FS.ReadFile(%s) = %v, want ErrNotRegular", name, err)
		}
		if _, err := FS(dir, 100).Open(filepath.Base(name)); !errors.Is(err, ErrNotRegular) {
			t.Errorf("FS.Open(%s) = %v, want ErrNotRegular", name, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "big"), make([]byte, 101), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadAll(filepath.Join(dir, "big"), "a test file", 100); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadAll of 101 bytes with limit 100 = %v, want ErrTooLarge", err)
	}
	os.Remove(fifo)
	os.Remove(zero)
	if err := fstest.TestFS(FS(dir, 1000), "big"); err != nil {
		t.Error(err)
	}
}
