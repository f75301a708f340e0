package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const goSpec = "version: 1\nname: hello\nlanguage: go\n"

// setup writes files (path: content) under a new folder and returns it.
func setup(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func run(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// assertFiles checks that dir holds exactly want (path: content), with no
// temporary file left behind.
func assertFiles(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range want {
		if got[name] != data {
			t.Errorf("%s = %.80q, want %.80q", name, got[name], data)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected file %s", name)
		}
	}
}

func TestGenerateErrorLeavesOldFiles(t *testing.T) {
	old := map[string]string{"wharf.yaml": goSpec + "build:\n  pakages: [gcc]\n", "Dockerfile": "old Dockerfile\n", ".dockerignore": "old ignore\n"}
	dir := setup(t, old)
	code, _, stderr := run("generate", dir)
	if code != ExitError || !strings.Contains(stderr, `unknown key "pakages"`) {
		t.Fatalf("code %d, stderr %q; want 2 and the spec error", code, stderr)
	}
	assertFiles(t, dir, old)
}

func TestGenerateTempFailureChangesNothing(t *testing.T) {
	// The output folder cannot be created (a file is in its way): the
	// run fails and changes nothing. atomicfile's tests cover a failure
	// between the two files.
	old := map[string]string{
		"wharf.yaml": goSpec + "output: docker/Dockerfile\n",
		"docker":     "a file where the output folder should be\n",
		"Dockerfile": "unrelated\n",
	}
	dir := setup(t, old)
	code, _, stderr := run("generate", dir)
	if code != ExitError || !strings.Contains(stderr, "docker") {
		t.Fatalf("code %d, stderr %q; want 2 and an error naming docker/", code, stderr)
	}
	assertFiles(t, dir, old)
}

func TestGenerateOutputIsAFolder(t *testing.T) {
	dir := setup(t, map[string]string{"wharf.yaml": goSpec, "Dockerfile/keep": "x"})
	code, _, stderr := run("generate", dir)
	if code != ExitError || !strings.Contains(stderr, "Dockerfile") {
		t.Fatalf("code %d, stderr %q; want 2 and an error naming the Dockerfile", code, stderr)
	}
	assertFiles(t, dir, map[string]string{"wharf.yaml": goSpec, "Dockerfile/keep": "x"})
}

// TestConcurrentGenerateNeverInterleaves runs generate from two specs that
// write the same Dockerfile with different content, many times at once,
// while readers check that every version they see is one of the two whole.
func TestConcurrentGenerateNeverInterleaves(t *testing.T) {
	dir := setup(t, map[string]string{
		"a.yaml": goSpec + "output: Dockerfile\nruntime:\n  env: {WHO: " + strings.Repeat("a", 3000) + "}\n",
		"b.yaml": goSpec + "output: Dockerfile\nruntime:\n  env: {WHO: " + strings.Repeat("b", 3000) + "}\n",
	})
	want := map[string]bool{}
	for _, s := range []string{"a.yaml", "b.yaml"} {
		code, stdout, stderr := run("generate", "-o", "-", filepath.Join(dir, s))
		if code != 0 {
			t.Fatal(stderr)
		}
		want[stdout] = true
	}
	target := filepath.Join(dir, "Dockerfile")
	done := make(chan struct{})
	var readers sync.WaitGroup
	var seen, bad sync.Map
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				data, err := os.ReadFile(target)
				if errors.Is(err, os.ErrNotExist) {
					continue
				}
				if err != nil {
					bad.Store(err.Error(), true)
					continue
				}
				if want[string(data)] {
					seen.Store(string(data), true)
				} else {
					bad.Store(fmt.Sprintf("%d bytes: %.60q", len(data), data), true)
				}
			}
		}()
	}
	var writers sync.WaitGroup
	for i := range 16 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for j := range 10 {
				s := []string{"a.yaml", "b.yaml"}[(i+j)%2]
				if code, _, stderr := run("generate", filepath.Join(dir, s)); code != 0 {
					bad.Store("generate: "+stderr, true)
				}
			}
		}()
	}
	writers.Wait()
	close(done)
	readers.Wait()
	bad.Range(func(k, _ any) bool {
		t.Errorf("observed %s", k)
		return true
	})
	var versions int
	seen.Range(func(any, any) bool { versions++; return true })
	if versions == 0 {
		t.Error("the readers saw no complete Dockerfile")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".wharf-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
