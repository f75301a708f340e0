package spec_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wharf-dev/wharf/spec"
)

var update = flag.Bool("update", false, "rewrite the expected messages in testdata/errors")

// TestErrorCases parses every spec under testdata/errors and compares all
// the problems reported with the expected messages in want.txt. Each spec
// is parsed from its own folder, so that the files it extends resolve.
func TestErrorCases(t *testing.T) {
	specs, err := filepath.Glob("../testdata/errors/*/wharf.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) < 12 {
		t.Fatalf("found %d error cases, want at least 12", len(specs))
	}
	for _, path := range specs {
		dir := filepath.Dir(path)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			wantFile, err := filepath.Abs(filepath.Join(dir, "want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			_, err = spec.Parse("wharf.yaml", data)
			if err == nil {
				t.Fatal("spec parsed without error")
			}
			got := err.Error() + "\n"
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("%v (run go test ./spec -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("messages mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
