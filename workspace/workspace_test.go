package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// TestCheckListings checks that Check gives the same results with the
// folder listings of ExpandListings as when it reads the folders itself,
// and that it trusts them.
func TestCheckListings(t *testing.T) {
	const goSpec = "version: 1\nname: %s\nlanguage: go\ngo: {main: ./cmd/app}\n"
	root := tree(t, map[string]string{
		"fresh/wharf.yaml":    fmt.Sprintf(goSpec, "fresh"),
		"missing/wharf.yaml":  fmt.Sprintf(goSpec, "missing"),
		"orphan/wharf.yaml":   fmt.Sprintf(goSpec, "orphan"),
		"locked/wharf.yaml":   fmt.Sprintf(goSpec, "locked"),
		"out/wharf.yaml":      fmt.Sprintf(goSpec, "out") + "output: docker/Dockerfile\n",
		"out/docker/.keep":    "",
		"nested/a/wharf.yaml": fmt.Sprintf(goSpec, "a"),
	})
	specs, listings, err := ExpandListings([]string{filepath.Join(root, "...")})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		if r := Generate(s, GenerateOptions{}); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	write := func(name, data string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(root, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(root, "missing", "Dockerfile")); err != nil {
		t.Fatal(err)
	}
	write("orphan/Dockerfile.old", "# Code generated by wharf from wharf.yaml. DO NOT EDIT.\n")
	write("locked/wharf.lock", "not: [a lock\n")
	// The listings must describe the tree as it is now.
	specs, listings, err = ExpandListings([]string{filepath.Join(root, "...")})
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 6 {
		t.Fatalf("ExpandListings found %d specs, want 6", len(specs))
	}
	if entries, ok := listings[filepath.Join(root, "out", "docker")]; !ok || len(entries) != 3 {
		t.Errorf("listing of out/docker = %v, %v; want .keep, Dockerfile and Dockerfile.dockerignore", entries, ok)
	}
	summary := func(r *Result) string {
		s := fmt.Sprint(r.Err)
		for _, f := range r.Files {
			rel, _ := filepath.Rel(root, f.Path)
			s += fmt.Sprintf(" %s:%s", filepath.ToSlash(rel), f.Status)
		}
		return s
	}
	for _, s := range specs {
		want := summary(Check(s, CheckOptions{}))
		got := summary(Check(s, CheckOptions{Listings: listings}))
		if got != want {
			t.Errorf("Check(%s) with listings = %q, without = %q", s, got, want)
		}
		if strings.HasPrefix(s, filepath.Join(root, "locked")) && !strings.Contains(got, "wharf.lock") {
			t.Errorf("Check(%s) = %q, want the broken lock reported", s, got)
		}
	}
	// Check trusts the listings: a file written after the walk is not seen.
	fresh := filepath.Join(root, "fresh", "wharf.yaml")
	write("fresh/Dockerfile.new", "# Code generated by wharf from wharf.yaml. DO NOT EDIT.\n")
	if got := summary(Check(fresh, CheckOptions{Listings: listings})); strings.Contains(got, "Dockerfile.new") {
		t.Errorf("Check with listings = %q; it read the folder again", got)
	}
}
