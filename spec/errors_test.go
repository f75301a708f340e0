package spec_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf/internal/golden"
	"github.com/wharf-dev/wharf/spec"
)

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
			golden.Check(t, wantFile, []byte(err.Error()+"\n"))
		})
	}
}
