package spec_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wharf-dev/wharf/spec"
)

// inDir writes files (slash paths to contents) to a fresh folder and makes
// it the working directory, so that messages show short relative paths.
func inDir(t *testing.T, files map[string]string) {
	t.Helper()
	t.Chdir(t.TempDir())
	writeFiles(t, files)
}

// writeFiles writes files (slash paths to contents) under the
// working directory.
func writeFiles(t testing.TB, files map[string]string) {
	t.Helper()
	dir := "."
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const base = `version: 1
language: python
images:
  builder: python:3.12-slim
  runner: python:3.12-slim
build:
  packages: [gcc]
  env: {A: "1", B: "2"}
runtime:
  user: svc
  expose: [8000]
  labels: {org.example.team: platform}
  healthcheck: {cmd: ["python", "-m", "health"]}
  cmd: ["python", "-m", "app"]
ignore: ["*.log"]
`

func TestExtendsMerge(t *testing.T) {
	inDir(t, map[string]string{
		"base.yaml": base,
		"team.yaml": `extends: [base.yaml]
build:
  packages: {append: [libffi-dev]}
runtime:
  labels: {org.example.team: payments}
`,
		"svc/wharf.yaml": `version: 1
extends: [../base.yaml, ../team.yaml]
name: api
build:
  packages: {append: [libpq-dev]}
  env: {B: "3"}
runtime:
  expose: [9000]
  healthcheck: ~
`,
	})
	s, err := spec.Load("svc")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"gcc", "libffi-dev", "libpq-dev"}, s.Build.Packages); diff != "" {
		t.Errorf("packages: append should add to the inherited list (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"A": "1", "B": "3"}, s.Build.Env); diff != "" {
		t.Errorf("env: maps should merge key by key (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]spec.Port{{Number: 9000, Protocol: "tcp"}}, s.Runtime.Expose); diff != "" {
		t.Errorf("expose: a list should replace the inherited one (-want +got):\n%s", diff)
	}
	if got := s.Runtime.Labels["org.example.team"]; got != "payments" {
		t.Errorf("label = %q, want payments: a later extends entry overrides an earlier one", got)
	}
	if s.Runtime.Healthcheck != nil {
		t.Errorf("healthcheck = %+v, want none: null removes an inherited value", s.Runtime.Healthcheck)
	}
	if s.Name != "api" || s.Language != "python" || s.Runtime.User != "svc" {
		t.Errorf("name, language, user = %q, %q, %q; want api, python, svc", s.Name, s.Language, s.Runtime.User)
	}
	if diff := cmp.Diff([]string{"base.yaml", "team.yaml"}, s.Extends); diff != "" {
		t.Errorf("Extends (-want +got):\n%s", diff)
	}
	for path, want := range map[string]spec.Origin{
		"build.packages[0]":               {File: "base.yaml", Line: 7, Column: 14},
		"build.packages[1]":               {File: "team.yaml", Line: 3, Column: 23},
		"build.packages[2]":               {File: filepath.Join("svc", "wharf.yaml"), Line: 5, Column: 23},
		"build.env.A":                     {File: "base.yaml", Line: 8, Column: 12},
		"runtime.labels.org.example.team": {File: "team.yaml", Line: 5, Column: 30},
	} {
		got, ok := s.Origin(path)
		if !ok || got != want {
			t.Errorf("Origin(%q) = %+v, %v; want %+v", path, got, ok, want)
		}
	}
	if _, ok := s.Origin("runtime.workdir"); ok {
		t.Errorf("runtime.workdir has an origin; it is a default")
	}
}

func TestExtendsErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
		kind  error
	}{{
		name: "cycle",
		files: map[string]string{
			"wharf.yaml": "version: 1\nname: a\nextends: [b.yaml]\n",
			"b.yaml":     "extends: [c.yaml]\n",
			"c.yaml":     "extends:\n  - wharf.yaml\n",
		},
		want: "c.yaml:2:5: extends cycle: wharf.yaml -> b.yaml -> c.yaml -> wharf.yaml; a spec cannot inherit from itself, remove one of these extends",
		kind: spec.ErrExtends,
	}, {
		name:  "missing base",
		files: map[string]string{"svc/wharf.yaml": "version: 1\nextends: [../nope.yaml]\n"},
		want:  "svc/wharf.yaml:2:11: extends ../nope.yaml: no such file (looked for nope.yaml); paths in extends are relative to the file that names them",
		kind:  spec.ErrExtends,
	}, {
		name: "problem in base",
		files: map[string]string{
			"base.yaml":  base + "runtime:\n  user: Bad User\n",
			"wharf.yaml": "version: 1\nname: a\nextends: [base.yaml]\n",
		},
		want: "base.yaml:16:1: key \"runtime\" appears twice at the top level; keep one",
		kind: spec.ErrInvalid,
	}, {
		name: "value in base",
		files: map[string]string{
			"base.yaml":  strings.Replace(base, "user: svc", "user: Bad User", 1),
			"wharf.yaml": "version: 1\nname: a\nextends: [base.yaml]\n",
		},
		want: `base.yaml:10:9: runtime.user "Bad User" is not valid`,
		kind: spec.ErrInvalid,
	}, {
		name: "syntax in base",
		files: map[string]string{
			"base.yaml":  "build:\n  packages: [gcc]\n\tenv: {}\n",
			"wharf.yaml": "version: 1\nname: a\nextends: [base.yaml]\n",
		},
		want: "base.yaml:3:1: found character that cannot start any token (the spec is not valid YAML)",
		kind: spec.ErrSyntax,
	}, {
		name: "append to a string",
		files: map[string]string{
			"base.yaml":  base,
			"wharf.yaml": "version: 1\nname: a\nextends: [base.yaml]\nruntime:\n  user: {append: [x]}\n",
		},
		want: "wharf.yaml:5:10: append adds to an inherited list, but base.yaml:10 sets this to a string; replace the value instead (drop the append)",
		kind: spec.ErrType,
	}, {
		name:  "extends not paths",
		files: map[string]string{"wharf.yaml": "version: 1\nname: a\nextends: {file: base.yaml}\n"},
		want:  "wharf.yaml:3:10: extends must be a list of spec files, e.g. [../base.yaml], not a mapping",
		kind:  spec.ErrExtends,
	}, {
		name: "base version",
		files: map[string]string{
			"base.yaml":  "version: 2\n",
			"wharf.yaml": "version: 1\nname: a\nlanguage: go\nextends: [base.yaml]\n",
		},
		want: "base.yaml:1:10: base spec version 2 is not supported: this wharf reads version 1",
		kind: spec.ErrVersion,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			inDir(t, tc.files)
			path := "wharf.yaml"
			if _, ok := tc.files["svc/wharf.yaml"]; ok {
				path = "svc/wharf.yaml"
			}
			_, err := spec.Load(filepath.FromSlash(path))
			if err == nil {
				t.Fatal("no error")
			}
			if got := filepath.ToSlash(err.Error()); !strings.HasPrefix(got, tc.want) {
				t.Errorf("error:\n%s\nwant it to start with:\n%s", got, tc.want)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("errors.Is(err, %v) = false", tc.kind)
			}
		})
	}
}

// TestExtendsWithoutBase checks that the append form and null work in a
// spec that extends nothing: append gives the list, null stays an error.
func TestExtendsWithoutBase(t *testing.T) {
	s, err := spec.Parse("wharf.yaml", []byte("version: 1\nname: a\nlanguage: go\nbuild:\n  packages: {append: [git]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"git"}, s.Build.Packages); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	_, err = spec.Parse("wharf.yaml", []byte("version: 1\nname: a\nlanguage: go\nbuild:\n  packages: ~\n"))
	if want := "wharf.yaml:5:13: build.packages must be a list"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %v, want it to start with %q", err, want)
	}
}

// TestExtendsTemplatesPath checks that templates is relative to the file
// that names it, like extends.
func TestExtendsTemplatesPath(t *testing.T) {
	inDir(t, map[string]string{
		"platform/base.yaml": "templates: tmpl\n",
		"svc/wharf.yaml":     "version: 1\nname: a\nlanguage: go\nextends: [../platform/base.yaml]\n",
	})
	s, err := spec.Load("svc")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join("platform", "tmpl"); s.Templates != want {
		t.Errorf("Templates = %q, want %q", s.Templates, want)
	}
}

// TestExtendsReadOnce loads many specs that extend one base, in parallel
// with one Loader, and checks that the base is read from disk once and
// merged correctly every time (the shared tree must not be modified by
// merging).
func TestExtendsReadOnce(t *testing.T) {
	inDir(t, map[string]string{"base.yaml": base, "team.yaml": "extends: [base.yaml]\nbuild: {packages: {append: [make]}}\n"})
	var loader spec.Loader
	before := spec.BaseReads()
	const n, workers = 10000, 8
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				data := fmt.Sprintf("version: 1\nname: s%d\nextends: [../team.yaml]\nbuild: {packages: {append: [pkg%d]}}\n", i, i)
				s, err := loader.Parse(filepath.Join(fmt.Sprintf("s%d", i), "wharf.yaml"), []byte(data))
				if err == nil && !cmp.Equal(s.Build.Packages, []string{"gcc", "make", fmt.Sprintf("pkg%d", i)}) {
					err = fmt.Errorf("packages = %v", s.Build.Packages)
				}
				errs[i] = err
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if got := spec.BaseReads() - before; got != 2 {
		t.Errorf("read %d base files for %d specs, want 2 (base.yaml and team.yaml, once each)", got, n)
	}
}

// TestExtendsShared checks that specs extending base files already
// resolved for other specs load exactly as when each resolves its bases
// itself: same spec, same origins, same errors in the same order.
func TestExtendsShared(t *testing.T) {
	inDir(t, map[string]string{
		"base.yaml": "version: 1\nruntime:\n  user: svc\n  expose: [8000]\n  labels: {org.example.team: platform}\nignore: [\"*.log\"]\n",
		"platform/go.yaml": "extends: ../base.yaml\nlanguage: go\n" +
			"images: {builder: golang:1.23-bookworm, runner: gcr.io/distroless/static-debian12}\ngo: {main: ./cmd/app}\n",
		"platform/py.yaml": "extends: [../base.yaml]\nlanguage: python\n" +
			"images: {builder: python:3.12-slim, runner: python:3.12-slim}\nruntime: {expose: {append: [9000]}}\n",
		"platform/both.yaml": "extends: [py.yaml, go.yaml]\nruntime: {user: null}\n",
		"bad/version.yaml":   "version: 2\nextends: ../base.yaml\n",
		"bad/cyc1.yaml":      "extends: cyc2.yaml\n",
		"bad/cyc2.yaml":      "extends: [cyc1.yaml]\nlanguage: go\n",
		"bad/type.yaml":      "extends: ../platform/go.yaml\nruntime: {user: [x]}\n",
		"svc/a/wharf.yaml":   "version: 1\nname: a\nextends: ../../platform/go.yaml\n",
		"svc/b/wharf.yaml":   "version: 1\nname: b\nextends: [../../platform/both.yaml]\n",
		"svc/c/wharf.yaml":   "version: 1\nname: c\nextends: [../../platform/go.yaml, ../../platform/py.yaml]\nlanguage: python\n",
		"svc/d/wharf.yaml":   "version: 1\nname: d\nextends: ../../bad/version.yaml\n",
		"svc/e/wharf.yaml":   "version: 1\nname: e\nextends: ../../bad/cyc1.yaml\n",
		"svc/f/wharf.yaml":   "version: 1\nname: f\nextends: ../../bad/type.yaml\n",
		"svc/h/wharf.yaml":   "version: 1\nname: h\nextends: ../../platform/py.yaml\nruntime: {expose: {append: [9]}}\n",
	})
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	// The same base by another name: origins and messages use that name.
	abs := filepath.ToSlash(filepath.Join(wd, "platform", "go.yaml"))
	writeFiles(t, map[string]string{
		"svc/g/wharf.yaml": "version: 1\nname: g\nextends: " + abs + "\n",
		// Both names in one spec: the later one is where the values were
		// written, as far as Explain tells.
		"svc/i/wharf.yaml": "version: 1\nname: i\nextends: [../../platform/go.yaml, " + abs + "]\n",
	})
	loader := &spec.Loader{} // shared by the specs of one run of results
	load := func(file string, data []byte) string {
		t.Helper()
		if data == nil {
			var err error
			if data, err = os.ReadFile(file); err != nil {
				t.Fatal(err)
			}
		}
		s, err := loader.Parse(file, data)
		if err != nil {
			return "error: " + err.Error()
		}
		out, err := spec.Explain(s)
		if err != nil {
			t.Fatal(err)
		}
		// Explain shows files relative to the spec; show them as recorded.
		var origins []string
		for _, path := range []string{"language", "images.builder", "go", "go.main", "runtime.user", "runtime.expose[0]", "ignore[0]"} {
			o, ok := s.Origin(path)
			origins = append(origins, fmt.Sprintf("%s %v %v", path, o, ok))
		}
		return fmt.Sprintf("extends %q\n%s\n%s", s.Extends, origins, out)
	}
	specs := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}
	// Parsing base files as specs, with other bytes than on disk: z
	// extending a file that extends z is a cycle even when that file was
	// resolved before, without the cycle, for another spec.
	extra := map[string][]byte{
		"platform/go.yaml": []byte("version: 1\nname: go\nextends: ../svc/a/wharf.yaml\n"),
		"base.yaml":        []byte("version: 1\nname: base\nextends: [platform/both.yaml]\n"),
	}
	results := func() map[string]string {
		out := map[string]string{}
		for _, name := range specs {
			file := filepath.Join("svc", name, "wharf.yaml")
			out[file] = load(file, nil)
		}
		for file, data := range extra {
			out[file] = load(filepath.FromSlash(file), data)
		}
		return out
	}
	was := spec.ShareResolvedBases(false)
	defer spec.ShareResolvedBases(was)
	want := results()
	for file, got := range want {
		if _, ok := extra[filepath.ToSlash(file)]; ok && !strings.Contains(got, "extends cycle") {
			t.Errorf("%s: %s\nwant an extends cycle", file, got)
		}
	}
	spec.ShareResolvedBases(true)
	for i := range 2 { // the first run fills the Loader, the second uses it
		if diff := cmp.Diff(want, results()); diff != "" {
			t.Errorf("run %d with shared bases differs (-unshared +shared):\n%s", i+1, diff)
		}
	}
}

// TestLoaderRereads checks that Load reads base files afresh each time,
// and that a new Loader does, while one Loader keeps what it read.
func TestLoaderRereads(t *testing.T) {
	inDir(t, map[string]string{
		"base.yaml":      "version: 1\nlanguage: go\nruntime: {user: alice}\n",
		"svc/wharf.yaml": "version: 1\nname: a\nextends: ../base.yaml\ngo: {main: ./cmd/a}\n",
	})
	user := func(l *spec.Loader) string {
		t.Helper()
		load := spec.Load
		if l != nil {
			load = l.Load
		}
		s, err := load("svc")
		if err != nil {
			t.Fatal(err)
		}
		return s.Runtime.User
	}
	var loader spec.Loader
	if got := user(&loader); got != "alice" {
		t.Fatalf("user = %q, want alice", got)
	}
	writeFiles(t, map[string]string{"base.yaml": "version: 1\nlanguage: go\nruntime: {user: bob}\n"})
	if got := user(nil); got != "bob" {
		t.Errorf("Load after the base changed: user = %q, want bob", got)
	}
	if got := user(&spec.Loader{}); got != "bob" {
		t.Errorf("a new Loader after the base changed: user = %q, want bob", got)
	}
	if got := user(&loader); got != "alice" {
		t.Errorf("the first Loader after the base changed: user = %q, want alice (read once)", got)
	}
}
