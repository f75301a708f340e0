package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf/internal/golden"
	"github.com/wharf-dev/wharf/spec"
)

// TestCorpusGolden runs init over every app of corpus/ (small projects
// shaped like real ones, each README naming the project it follows) and
// compares the proposed wharf.yaml and the files generated from it with
// testdata/corpus/<app>/. Beside a hand-written Dockerfile, init reads it
// and writes Dockerfile.wharf, as it does on a real project. Each
// proposal must also load from the app's folder (spec.Load, which checks
// the start command against the files). The e2e module lints the
// Dockerfiles with BuildKit's checks, as it does every Dockerfile under
// testdata.
func TestCorpusGolden(t *testing.T) {
	apps, _ := filepath.Glob("../../../../corpus/*/README.md")
	if len(apps) < 20 {
		t.Fatalf("found %d corpus apps, want at least 20", len(apps))
	}
	for _, readme := range apps {
		dir := filepath.Dir(readme)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			output := "Dockerfile"
			df, err := readDockerfile(filepath.Join(dir, "Dockerfile"))
			switch {
			case err == nil:
				output = besideOutput
			case !os.IsNotExist(err):
				t.Fatal(err)
			}
			p, err := propose(dir, "", df, output)
			if err != nil {
				t.Fatal(err)
			}
			data, files, err := render(nil, filepath.Join(dir, spec.FileName), p)
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			golden.Check(t, filepath.Join("../../../../testdata/corpus", name, spec.FileName), data)
			for _, f := range files {
				golden.Check(t, filepath.Join("../../../../testdata/corpus", name, filepath.FromSlash(f.Path)), f.Data)
			}

			// The proposal loads from a copy of the app's folder.
			tmp := t.TempDir()
			if err := os.CopyFS(tmp, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(tmp, spec.FileName), data, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := spec.Load(tmp); err != nil {
				t.Fatalf("the proposal does not load beside the app: %v", err)
			}
		})
	}
}
