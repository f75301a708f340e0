package detect_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/internal/golden"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

// TestInitGolden runs detection over the real projects of the repository
// (the e2e cases and the examples, whose own wharf.yaml it does not read)
// and compares the proposed wharf.yaml and the files generated from it
// with testdata/init/<project>. The e2e module lints those Dockerfiles with
// BuildKit's checks, as it does every Dockerfile under testdata.
func TestInitGolden(t *testing.T) {
	projects, _ := filepath.Glob("../../e2e/cases/*/wharf.yaml")
	examples, _ := filepath.Glob("../../examples/*/wharf.yaml")
	projects = append(projects, examples...)
	if len(projects) < 8 {
		t.Fatalf("found %d projects, want at least 8", len(projects))
	}
	for _, p := range projects {
		dir := filepath.Dir(p)
		name := filepath.Base(filepath.Dir(dir)) + "-" + filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			proposal, err := detect.Detect(os.DirFS(dir), filepath.Base(dir), "")
			if err != nil {
				t.Fatal(err)
			}
			data := proposal.YAML()
			s, err := spec.Parse("wharf.yaml", data)
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			files, err := generate.Files(s)
			if err != nil {
				t.Fatal(err)
			}
			files = append([]generate.File{{Path: "wharf.yaml", Data: data}}, files...)
			for _, f := range files {
				golden.Check(t, filepath.Join("../../testdata/init", name, filepath.FromSlash(f.Path)), f.Data)
			}
		})
	}
}
