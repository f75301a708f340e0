package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// tree writes files (slash paths to contents) below a new temp folder.
func tree(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func rel(t *testing.T, root string, paths []string) []string {
	t.Helper()
	out := make([]string, len(paths))
	for i, p := range paths {
		r, err := filepath.Rel(root, p)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = filepath.ToSlash(r)
	}
	return out
}

func TestFind(t *testing.T) {
	root := tree(t, map[string]string{
		"wharf.yaml":                       "",
		"a/wharf.yaml":                     "",
		"a/b/wharf.yaml":                   "",
		"a-b/wharf.yaml":                   "",
		"a/node_modules/x/wharf.yaml":      "",
		"vendor/x/wharf.yaml":              "",
		".git/wharf.yaml":                  "",
		".cache/wharf.yaml":                "",
		"gen/wharf.yaml":                   "",
		"keep/gen/wharf.yaml":              "",
		"legacy/one/wharf.yaml":            "",
		"legacy/two/wharf.yaml":            "",
		"docs/wharf.yaml":                  "",
		"other/wharf.yml":                  "",
		".gitignore":                       "/gen/\ndocs/wharf.yaml\n",
		IgnoreFile:                         "legacy/*\n!legacy/two\n",
		"a/b/.gitignore":                   "*\n", // nested ignore files are not read
		"services/api/config/wharf.yaml/x": "",    // a folder named wharf.yaml
	})
	got, err := Find(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"wharf.yaml", "a/wharf.yaml", "a/b/wharf.yaml", "a-b/wharf.yaml", "keep/gen/wharf.yaml", "legacy/two/wharf.yaml"}
	if diff := cmp.Diff(want, rel(t, root, got)); diff != "" {
		t.Errorf("Find mismatch (-want +got):\n%s", diff)
	}
}

func TestFindErrors(t *testing.T) {
	root := tree(t, map[string]string{"file": ""})
	if _, err := Find(filepath.Join(root, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Find(missing) = %v, want a not-exist error", err)
	}
	if _, err := Find(filepath.Join(root, "file")); err == nil {
		t.Error("Find(file) succeeded, want an error")
	}
}

func TestExpand(t *testing.T) {
	root := tree(t, map[string]string{
		"b/wharf.yaml":      "",
		"a/x/wharf.yaml":    "",
		"a/wharf.yaml":      "",
		"c/custom.yaml":     "",
		"empty/placeholder": "",
	})
	t.Chdir(root)
	got, err := Expand([]string{"b", "a/...", "a/x", "c/custom.yaml", "./b/wharf.yaml", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"missing", "a/wharf.yaml", "a/x/wharf.yaml", "b/wharf.yaml", "c/custom.yaml"}
	if diff := cmp.Diff(want, slash(got)); diff != "" {
		t.Errorf("Expand mismatch (-want +got):\n%s", diff)
	}
	if got, err := Expand(nil); err != nil || len(got) != 1 || got[0] != "wharf.yaml" {
		t.Errorf("Expand(nil) = %q, %v; want [wharf.yaml]", got, err)
	}
	if got, err := Expand([]string{"..."}); err != nil || len(got) != 3 {
		t.Errorf(`Expand("...") = %q, %v; want 3 specs`, got, err)
	}
	if _, err := Expand([]string{"empty/..."}); err == nil {
		t.Error("a pattern matching no spec succeeded, want an error")
	}
}

func slash(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.ToSlash(p)
	}
	return out
}

// TestEach checks that results come out in order however the work is
// scheduled, and that no more than GOMAXPROCS run at once.
func TestEach(t *testing.T) {
	const n = 200
	var running, peak atomic.Int64
	var got []int
	Each(n, func(i int) int {
		now := running.Add(1)
		for {
			p := peak.Load()
			if now <= p || peak.CompareAndSwap(p, now) {
				break
			}
		}
		if i%7 == 0 {
			time.Sleep(time.Millisecond) // finish out of order
		}
		running.Add(-1)
		return i * i
	}, func(i, r int) {
		if r != i*i {
			t.Errorf("emit(%d, %d): want %d", i, r, i*i)
		}
		got = append(got, i)
	})
	for i, v := range got {
		if v != i {
			t.Fatalf("emitted %v, want 0..%d in order", got, n-1)
		}
	}
	if len(got) != n {
		t.Fatalf("emitted %d results, want %d", len(got), n)
	}
	if p := peak.Load(); p > int64(runtime.GOMAXPROCS(0)) {
		t.Errorf("%d ran at once, want at most GOMAXPROCS=%d", p, runtime.GOMAXPROCS(0))
	}
	Each(0, func(int) int { t.Error("work called for n=0"); return 0 }, func(int, int) { t.Error("emit called for n=0") })
}

func TestCheckStatuses(t *testing.T) {
	root := tree(t, map[string]string{
		"app/wharf.yaml": "version: 1\nname: hello\nlanguage: go\ngo: {main: ./cmd/hello}\n",
	})
	dir := filepath.Join(root, "app")
	if r := Generate(dir, GenerateOptions{}); r.Err != nil {
		t.Fatal(r.Err)
	}
	r := Check(dir, CheckOptions{Diff: true})
	if r.Err != nil || !r.Fresh() {
		t.Fatalf("Check after Generate: err %v, files %+v; want fresh", r.Err, r.Files)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, ".dockerignore")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile.old"), []byte("# Code generated by wharf from wharf.yaml. DO NOT EDIT.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Another spec's output is not this spec's orphan.
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile.other"), []byte("# Code generated by wharf from other.yaml. DO NOT EDIT.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = Check(dir, CheckOptions{})
	var got []string
	for _, f := range r.Files {
		got = append(got, filepath.Base(f.Path)+" "+string(f.Status))
	}
	want := []string{"Dockerfile hand-written", ".dockerignore missing", "Dockerfile.old orphaned"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses mismatch (-want +got):\n%s", diff)
	}
	if r := Generate(dir, GenerateOptions{}); !errors.Is(r.Err, ErrHandWritten) {
		t.Errorf("Generate over a hand-written file: %v, want ErrHandWritten", r.Err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".dockerignore")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Generate refused but wrote .dockerignore (%v)", err)
	}
}
