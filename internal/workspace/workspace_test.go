package workspace

import (
	"errors"
	"fmt"
	"github.com/wharf-dev/wharf"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wharf-dev/wharf/spec"
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
		"a/b/.gitignore":                   "*\n", // a nested .gitignore excludes a/b's spec
		"services/api/config/wharf.yaml/x": "",    // a folder named wharf.yaml
	})
	got, err := Find(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"wharf.yaml", "a/wharf.yaml", "a-b/wharf.yaml", "keep/gen/wharf.yaml", "legacy/two/wharf.yaml"}
	if diff := cmp.Diff(want, rel(t, root, got)); diff != "" {
		t.Errorf("Find mismatch (-want +got):\n%s", diff)
	}
}

type findCase struct {
	name  string
	files []string // slash paths; a .gitignore is "path=patterns"
	want  []string
}

// findTests are layouts with .gitignore files below the root, and the
// specs Find returns, as git would list them.
var findTests = []findCase{{
	name: "nested excludes a folder and a spec",
	files: []string{
		"services/api/.gitignore=build/\ntesting/wharf.yaml",
		"services/api/wharf.yaml",
		"services/api/build/wharf.yaml",
		"services/api/x/build/wharf.yaml",
		"services/api/testing/wharf.yaml",
		"services/web/build/wharf.yaml",
		"services/web/testing/wharf.yaml",
	},
	want: []string{"services/api/wharf.yaml", "services/web/build/wharf.yaml", "services/web/testing/wharf.yaml"},
}, {
	name: "anchored pattern stays in its folder",
	files: []string{
		"services/.gitignore=/gen\napi/old/",
		"gen/wharf.yaml",
		"services/gen/wharf.yaml",
		"services/api/gen/wharf.yaml",
		"services/api/old/wharf.yaml",
		"services/web/api/old/wharf.yaml",
		"api/old/wharf.yaml",
	},
	want: []string{"api/old/wharf.yaml", "gen/wharf.yaml", "services/api/gen/wharf.yaml", "services/web/api/old/wharf.yaml"},
}, {
	name: "deeper re-includes what shallower excluded",
	files: []string{
		".gitignore=wharf.yaml\n",
		"services/api/.gitignore=!wharf.yaml",
		"wharf.yaml",
		"services/wharf.yaml",
		"services/api/wharf.yaml",
		"services/api/v2/wharf.yaml",
		"services/web/wharf.yaml",
	},
	want: []string{"services/api/wharf.yaml", "services/api/v2/wharf.yaml"},
}, {
	name: "shallower decides when deeper has no match",
	files: []string{
		".gitignore=tmp*/\n!tmp-keep/",
		"services/.gitignore=*.log",
		"services/tmp/wharf.yaml",
		"services/tmp-keep/wharf.yaml",
	},
	want: []string{"services/tmp-keep/wharf.yaml"},
}, {
	name: "deeper excludes what shallower re-included",
	files: []string{
		".gitignore=gen/\n!services/gen/",
		"services/.gitignore=gen/",
		"services/gen/wharf.yaml",
		"services/api/gen/wharf.yaml",
	},
	want: nil,
}, {
	name: "no re-include inside an excluded folder",
	files: []string{
		".gitignore=legacy/",
		"legacy/.gitignore=!wharf.yaml",
		"legacy/wharf.yaml",
		"services/.gitignore=old/\n!old/keep/",
		"services/old/keep/wharf.yaml",
	},
	want: nil,
}, {
	name: "last match in the deepest file",
	files: []string{
		"a/.gitignore=!b/\n*/\n!c/",
		"a/b/wharf.yaml",
		"a/c/wharf.yaml",
		"a/d/wharf.yaml",
	},
	want: []string{"a/c/wharf.yaml"},
}, {
	name: "three levels",
	files: []string{
		".gitignore=*.yaml",
		"a/.gitignore=!wharf.yaml",
		"a/b/.gitignore=c/wharf.yaml",
		"a/wharf.yaml",
		"a/b/wharf.yaml",
		"a/b/c/wharf.yaml",
		"a/b/d/c/wharf.yaml",
		"x/wharf.yaml",
	},
	want: []string{"a/wharf.yaml", "a/b/wharf.yaml", "a/b/d/c/wharf.yaml"},
}, {
	name: "double stars from a nested folder",
	files: []string{
		"a/.gitignore=**/gen/**\nx/**/y/\n!x/keep/**",
		"a/gen/wharf.yaml",
		"a/b/gen/c/wharf.yaml",
		"gen/wharf.yaml",
		"a/x/y/wharf.yaml",
		"a/x/1/2/y/wharf.yaml",
		"a/b/x/y/wharf.yaml",
		"a/x/keep/y/wharf.yaml",
	},
	want: []string{"a/b/x/y/wharf.yaml", "a/x/keep/y/wharf.yaml", "gen/wharf.yaml"},
}}

// write writes the files of a findTests layout below a new temp folder.
func (c findCase) write(t *testing.T) string {
	t.Helper()
	files := map[string]string{}
	for _, f := range c.files {
		name, data, _ := strings.Cut(f, "=")
		files[name] = data + "\n"
	}
	return tree(t, files)
}

// TestFindGit checks Find against git on the layouts of findTests: the
// specs it finds are those "git ls-files --others --exclude-standard"
// lists in a new repository. It is skipped without git.
func TestFindGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	home := t.TempDir()
	env := append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"HOME="+home, "XDG_CONFIG_HOME="+home)
	git := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	}
	for _, tt := range findTests {
		t.Run(tt.name, func(t *testing.T) {
			root := tt.write(t)
			git(root, "init", "--quiet")
			var want []string
			for _, f := range strings.Split(git(root, "ls-files", "--others", "--exclude-standard", "-z"), "\x00") {
				if path.Base(f) == spec.FileName {
					want = append(want, filepath.Join(root, filepath.FromSlash(f)))
				}
			}
			sortPaths(want)
			got, err := Find(root)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rel(t, root, want), rel(t, root, got)); diff != "" {
				t.Errorf("Find differs from git (-git +Find):\n%s", diff)
			}
		})
	}
}

// TestFindNested checks that Find honours the .gitignore of every folder
// it enters, as git does.
func TestFindNested(t *testing.T) {
	for _, tt := range findTests {
		t.Run(tt.name, func(t *testing.T) {
			root := tt.write(t)
			got, err := Find(root)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rel(t, root, got), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Find mismatch (-want +got):\n%s", diff)
			}
		})
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
	if r := Generate(dir, GenerateOptions{Force: true, Prune: true}); r.Err != nil {
		t.Fatal(r.Err)
	}
	if _, err := os.Stat(filepath.Join(dir, "Dockerfile.old")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Generate with Prune left the orphaned Dockerfile.old (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "Dockerfile.other")); err != nil {
		t.Errorf("Generate with Prune removed another spec's file: %v", err)
	}
	if r := Check(dir, CheckOptions{}); r.Err != nil || !r.Fresh() {
		t.Errorf("Check after Generate with Prune: err %v, files %+v; want fresh", r.Err, r.Files)
	}
}

// TestGeneratePrune checks that Generate removes orphaned files only with
// Prune, and only after writing the spec's files.
func TestGeneratePrune(t *testing.T) {
	const header = "# Code generated by wharf from wharf.yaml. DO NOT EDIT.\n"
	root := tree(t, map[string]string{
		"app/wharf.yaml":          "version: 1\nname: hello\nlanguage: go\ngo: {main: ./cmd/hello}\noutput: docker/Dockerfile\n",
		"app/Dockerfile":          header + "FROM old\n",
		"app/.dockerignore":       header,
		"app/prod.Dockerfile":     "# a hand-written Dockerfile\nFROM scratch\n",
		"app/docker/README.md":    header,
		"app/docker/x.Dockerfile": strings.Replace(header, "from wharf.yaml", "from ../wharf.yaml", 1),
		// Its header names app/docker/wharf.yaml: not this spec's file.
		"app/docker/y.Dockerfile": header,
	})
	dir := filepath.Join(root, "app")
	status := func() []string {
		var got []string
		for _, f := range Check(dir, CheckOptions{}).Files {
			rel, _ := filepath.Rel(dir, f.Path)
			got = append(got, filepath.ToSlash(rel)+" "+string(f.Status))
		}
		return got
	}
	r := Generate(dir, GenerateOptions{})
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	for _, f := range r.Files {
		if f.Removed {
			t.Errorf("Generate without Prune removed %s", f.Path)
		}
	}
	want := []string{"docker/Dockerfile fresh", "docker/Dockerfile.dockerignore fresh",
		".dockerignore orphaned", "Dockerfile orphaned", "docker/x.Dockerfile orphaned"}
	if diff := cmp.Diff(want, status()); diff != "" {
		t.Errorf("after Generate (-want +got):\n%s", diff)
	}
	r = Generate(dir, GenerateOptions{Prune: true})
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	var removed []string
	for _, f := range r.Files {
		if f.Removed {
			rel, _ := filepath.Rel(dir, f.Path)
			removed = append(removed, filepath.ToSlash(rel))
		}
	}
	if diff := cmp.Diff([]string{".dockerignore", "Dockerfile", "docker/x.Dockerfile"}, removed); diff != "" {
		t.Errorf("removed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[:2], status()); diff != "" {
		t.Errorf("after Generate with Prune (-want +got):\n%s", diff)
	}
	for _, kept := range []string{"prod.Dockerfile", "docker/README.md", "docker/y.Dockerfile", "wharf.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, kept)); err != nil {
			t.Errorf("Generate with Prune removed %s: %v", kept, err)
		}
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
	specs, listings, _, err := ExpandListings([]string{filepath.Join(root, "...")})
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
	specs, listings, _, err = ExpandListings([]string{filepath.Join(root, "...")})
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

// TestCache checks that a Cache reads a spec's base file and templates
// folder once, and that without one Check reads them afresh.
func TestCache(t *testing.T) {
	root := tree(t, map[string]string{
		"base.yaml":           "version: 1\nlanguage: go\ntemplates: tmpl\n",
		"tmpl/user.tmpl":      `{{define "create-user-debian"}}RUN useradd {{.Create}}{{end}}`,
		"app/wharf.yaml":      "version: 1\nname: app\nextends: ../base.yaml\ngo: {main: ./cmd/app}\nimages: {runner: debian:bookworm-slim}\n",
		"app/cmd/app/main.go": "package main\n",
	})
	dir := filepath.Join(root, "app")
	cache := &wharf.Cache{}
	if r := Generate(dir, GenerateOptions{Cache: cache}); r.Err != nil {
		t.Fatal(r.Err)
	}
	fresh := func(opts CheckOptions) bool {
		t.Helper()
		r := Check(dir, opts)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		return r.Fresh()
	}
	if !fresh(CheckOptions{Cache: cache}) || !fresh(CheckOptions{}) {
		t.Fatal("not fresh after Generate")
	}
	for name, data := range map[string]string{
		"tmpl/user.tmpl": `{{define "create-user-debian"}}RUN adduser {{.Create}}{{end}}`,
		"base.yaml":      "version: 1\nlanguage: go\ntemplates: tmpl\nruntime: {user: bob}\n",
	} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if !fresh(CheckOptions{Cache: cache}) {
			t.Errorf("after changing %s, Check with the run's Cache read it again", name)
		}
		if fresh(CheckOptions{}) {
			t.Errorf("after changing %s, Check without a Cache did not see the change", name)
		}
		if fresh(CheckOptions{Cache: &wharf.Cache{}}) {
			t.Errorf("after changing %s, Check with a new Cache did not see the change", name)
		}
	}
}

// TestFindSkipsUnreadableFolder: a folder the walk may not read is skipped
// and reported, and the specs elsewhere are found (issue 17, item 6); the
// root itself unreadable is still an error.
func TestFindSkipsUnreadableFolder(t *testing.T) {
	root := tree(t, map[string]string{"app/wharf.yaml": "", "db/data/pg_hba.conf": "", "z/wharf.yaml": ""})
	denied := filepath.Join(root, "db", "data")
	defer func(f func(string) ([]fs.DirEntry, error)) { readDir = f }(readDir)
	readDir = func(dir string) ([]fs.DirEntry, error) {
		if dir == denied {
			return nil, &fs.PathError{Op: "open", Path: dir, Err: fs.ErrPermission}
		}
		return os.ReadDir(dir)
	}
	specs, _, skipped, err := ExpandListings([]string{filepath.Join(root, "...")})
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 2 {
		t.Errorf("found %v, want app and z", specs)
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0].Error(), "skipped "+denied+": permission denied") {
		t.Errorf("skipped = %v, want db/data", skipped)
	}
	denied = root
	if _, _, _, err := ExpandListings([]string{filepath.Join(root, "...")}); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("unreadable root: %v, want a permission error", err)
	}
}

// TestFindParallelIsOrdered: folders are walked in parallel, yet the specs,
// the skipped folders and the error reported are those of a walk in name
// order, on every run.
func TestFindParallelIsOrdered(t *testing.T) {
	files := map[string]string{}
	for _, d := range []string{"a", "a/b", "a/b/c", "a-b", "ab", "b", "b/x", "c"} {
		for i := range 20 {
			files[fmt.Sprintf("%s/s%02d/wharf.yaml", d, i)] = ""
		}
	}
	root := tree(t, files)
	defer func(f func(string) ([]fs.DirEntry, error)) { readDir = f }(readDir)
	var fail map[string]error
	readDir = func(dir string) ([]fs.DirEntry, error) {
		if rel, _ := filepath.Rel(root, dir); fail[filepath.ToSlash(rel)] != nil {
			return nil, &fs.PathError{Op: "open", Path: dir, Err: fail[filepath.ToSlash(rel)]}
		}
		return os.ReadDir(dir)
	}
	pattern := []string{filepath.Join(root, "...")}
	want, err := Expand(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(want, comparePaths) || len(want) != 160 {
		t.Fatalf("found %d specs, not in path order: %v", len(want), want)
	}
	fail = map[string]error{"c/s03": fs.ErrPermission, "a/b/s07": fs.ErrPermission, "b/x/s01": syscall.EIO, "b/s19": syscall.EIO, "c": syscall.EIO}
	for range 30 {
		_, _, _, err := ExpandListings(pattern)
		if err == nil || !strings.Contains(err.Error(), filepath.Join(root, "b", "s19")) {
			t.Fatalf("error %v, want the one at b/s19, the first a walk in order meets", err)
		}
	}
	delete(fail, "b/s19")
	delete(fail, "b/x/s01")
	delete(fail, "c")
	for range 30 {
		got, _, skipped, err := ExpandListings(pattern)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 158 || len(skipped) != 2 || !strings.Contains(skipped[0].Error(), filepath.Join("a", "b", "s07")) || !strings.Contains(skipped[1].Error(), filepath.Join("c", "s03")) {
			t.Fatalf("found %d specs, skipped %v; want 158, a/b/s07 then c/s03", len(got), skipped)
		}
	}
}
