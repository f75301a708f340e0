// Package golden compares test output with committed golden files, and
// rewrites them instead when the tests run with -update:
//
//	go test ./... -update
//
// rewrites every golden corpus of the module, the testscript scripts
// included (cmd/wharf sets testscript's UpdateScripts to Update()). The
// -update flag is registered here, once; every package with tests links
// this package, so that go test ./... accepts the flag (TestEveryPackage
// checks it).
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files instead of comparing with them")

// Update reports whether the tests run with -update.
func Update() bool { return *update }

// Check compares got with the file at path byte for byte, reporting a
// mismatch or a missing file as an error of t, with a diff. With -update
// it writes got to path instead, creating its folder; a file that already
// holds got is not written, so that other packages' tests reading it
// meanwhile never see it half-written.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(path)
	if err == nil && bytes.Equal(want, got) {
		return
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Errorf("%v (go test -update creates it)", err)
		return
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch; go test -update rewrites it after a wanted change (-want +got):\n%s", path, diff)
	}
}

// Specs returns the golden specs of the module whose root is root: those
// of every language unit (lang/*/testdata/golden) and the ones that are
// no language's (testdata/golden), each a wharf.yaml in its case's folder
// or, for a build context above the spec, in its services/<name> folder.
func Specs(root string) []string {
	var specs []string
	for _, base := range []string{"testdata/golden", "lang/*/testdata/golden"} {
		for _, pattern := range []string{"*/wharf.yaml", "*/services/*/wharf.yaml"} {
			m, _ := filepath.Glob(filepath.Join(root, base, pattern))
			specs = append(specs, m...)
		}
	}
	sort.Strings(specs)
	return specs
}
