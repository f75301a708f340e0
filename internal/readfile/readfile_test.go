package readfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	data := bytes.Repeat([]byte("0123456789"), 300) // 3000 bytes
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		size, limit, want int
	}{
		{0, 1 << 20, 3000},    // no hint: grows
		{3000, 1 << 20, 3000}, // exact hint
		{10, 1 << 20, 3000},   // hint too small
		{9000, 1 << 20, 3000}, // hint too large
		{0, 1001, 1001},       // cut at limit
		{3000, 3000, 3000},    // limit equal to the size
		{5000, 1, 1},
	} {
		got, err := Read(name, c.size, c.limit)
		if err != nil {
			t.Fatalf("Read(size %d, limit %d): %v", c.size, c.limit, err)
		}
		if !bytes.Equal(got, data[:c.want]) {
			t.Errorf("Read(size %d, limit %d) = %d bytes, want the first %d", c.size, c.limit, len(got), c.want)
		}
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Read(empty, 0, 100); err != nil || len(got) != 0 {
		t.Errorf("Read(empty) = %q, %v; want no bytes", got, err)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	_, err := Read(missing, 0, 100)
	_, osErr := os.ReadFile(missing)
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != osErr.Error() {
		t.Errorf("Read(missing) = %v, want %v", err, osErr)
	}
	if IsDir(err) {
		t.Errorf("IsDir(%v) = true", err)
	}
	_, err = Read(dir, 0, 100)
	if !IsDir(err) {
		t.Errorf("Read(folder) = %v, want an error IsDir reports", err)
	}
	if _, osErr := os.ReadFile(dir); err.Error() != osErr.Error() {
		t.Errorf("Read(folder) = %q, want os.ReadFile's %q", err, osErr)
	}
}
