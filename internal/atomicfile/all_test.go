package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// files writes name: content under dir and returns WriteAll's input for
// the same names with new content.
func setupAll(t *testing.T, old map[string]string) (string, []File) {
	t.Helper()
	dir := t.TempDir()
	var files []File
	for _, name := range []string{"Dockerfile", ".dockerignore"} {
		p := filepath.Join(dir, name)
		if data, ok := old[name]; ok {
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		files = append(files, File{Name: p, Data: []byte("new " + name + "\n")})
	}
	return dir, files
}

// contents returns every file in dir by name.
func contents(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out[e.Name()] = string(data)
	}
	return out
}

func TestWriteAllReplacesBoth(t *testing.T) {
	dir, files := setupAll(t, map[string]string{"Dockerfile": "old\n"})
	if n, err := WriteAll(files); err != nil || n != 2 {
		t.Fatalf("WriteAll = %d, %v", n, err)
	}
	got := contents(t, dir)
	if len(got) != 2 || got["Dockerfile"] != "new Dockerfile\n" || got[".dockerignore"] != "new .dockerignore\n" {
		t.Errorf("folder holds %q", got)
	}
}

func TestWriteAllFailureBeforeRenamesChangesNothing(t *testing.T) {
	old := map[string]string{"Dockerfile": "old Dockerfile\n", ".dockerignore": "old ignore\n"}
	dir, files := setupAll(t, old)
	// The second file's folder cannot be created: a file is in the way.
	if err := os.WriteFile(filepath.Join(dir, "sub"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	old["sub"] = ""
	files[1].Name = filepath.Join(dir, "sub", ".dockerignore")
	n, err := WriteAll(files)
	if err == nil || n != 0 || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("WriteAll = %d, %v; want 0 and 'nothing was written'", n, err)
	}
	if got := contents(t, dir); !equal(got, old) {
		t.Errorf("folder holds %q, want %q (no temporary file left)", got, old)
	}
}

func TestWriteAllRefusesFolder(t *testing.T) {
	dir, files := setupAll(t, map[string]string{"Dockerfile": "old\n"})
	if err := os.Mkdir(files[1].Name, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteAll(files); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Fatalf("err = %v, want 'is a folder'", err)
	}
	if got := contents(t, dir); got["Dockerfile"] != "old\n" || len(got) != 2 {
		t.Errorf("folder holds %q", got)
	}
}

func TestWriteAllRenameFailure(t *testing.T) {
	for i, failOn := range []string{"Dockerfile", ".dockerignore"} {
		t.Run(failOn, func(t *testing.T) {
			old := map[string]string{"Dockerfile": "old Dockerfile\n", ".dockerignore": "old ignore\n"}
			dir, files := setupAll(t, old)
			defer func(r func(string, string) error) { rename = r }(rename)
			rename = func(from, to string) error {
				if filepath.Base(to) == failOn {
					return errors.New("disk on fire")
				}
				return os.Rename(from, to)
			}
			n, err := WriteAll(files)
			if err == nil || n != i || !strings.Contains(err.Error(), "disk on fire") {
				t.Fatalf("WriteAll = %d, %v; want %d and the rename error", n, err, i)
			}
			want := old
			if i == 1 {
				want = map[string]string{"Dockerfile": "new Dockerfile\n", ".dockerignore": "old ignore\n"}
				if !strings.Contains(err.Error(), "1 of 2 files were already replaced") {
					t.Errorf("err = %v, want it to say what was replaced", err)
				}
			}
			if got := contents(t, dir); !equal(got, want) {
				t.Errorf("folder holds %q, want %q (no temporary file left)", got, want)
			}
		})
	}
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
