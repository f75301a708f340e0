package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/wharf-dev/wharf/e2e/harness"
)

// importVar turns on TestImportProposals, a measurement for issue 12 run
// on demand (not in CI): with WHARF_E2E=1 and WHARF_E2E_IMPORT=1.
const importVar = "WHARF_E2E_IMPORT"

// fromLine is a FROM instruction's image, after any flags.
var fromLine = regexp.MustCompile(`(?m)^FROM\s+(?:--\S+\s+)*(\S+)`)

// noDistribution is pip's error for a requirement no index serves.
var noDistribution = regexp.MustCompile(`No matching distribution found for (\S+)`)

// TestImportProposals takes each project of ../testdata/import, lets
// `wharf import` propose a spec from its hand-written Dockerfile, generates
// Dockerfile.wharf from it unedited and, when every image it names has a
// look-alike here, builds the runner and runs it: the image starts if its
// command exits 0 or still runs after startWait. A case whose images
// cannot be built here is skipped, naming them.
func TestImportProposals(t *testing.T) {
	e := requireE2E(t)
	if os.Getenv(importVar) != "1" {
		t.Skipf("a measurement run on demand: set %s=1 too", importVar)
	}
	t.Parallel()
	const startWait = 20 * time.Second
	have := map[string]bool{"scratch": true}
	for _, img := range harness.BaseImages {
		if img.Internal {
			continue
		}
		have[img.Ref] = true
		repo, _, _ := strings.Cut(img.Ref, ":")
		for _, tag := range img.Tags {
			have[repo+":"+tag] = true
		}
	}
	cases, _ := filepath.Glob("../testdata/import/*/project.txtar")
	if len(cases) == 0 {
		t.Fatal("no ../testdata/import/*/project.txtar")
	}
	for _, c := range cases {
		name := filepath.Base(filepath.Dir(c))
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(c)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), name)
			for _, f := range ar.Files {
				p := filepath.Join(dir, filepath.FromSlash(f.Name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, args := range [][]string{{"import", "-o", "wharf.yaml", "Dockerfile"}, {"generate", "."}} {
				cmd := exec.Command(e.wharf, args...)
				cmd.Dir = dir
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("wharf %s: %v\n%s", strings.Join(args, " "), err, out)
				}
			}
			dfPath := filepath.Join(dir, "Dockerfile.wharf")
			df, err := os.ReadFile(dfPath)
			if err != nil {
				t.Fatal(err)
			}
			var missing []string
			for _, m := range fromLine.FindAllStringSubmatch(string(df), -1) {
				if !have[m[1]] && !slices.Contains(missing, m[1]) {
					missing = append(missing, m[1])
				}
			}
			if len(missing) > 0 {
				t.Skipf("not buildable here: no look-alike of %s", strings.Join(missing, ", "))
			}
			lintFile(t, dfPath)
			work := t.TempDir()
			start := time.Now()
			log, err := e.daemon.Build(context.Background(), e.tools, harness.BuildRequest{
				ContextDir: dir, DockerfileDir: dir, Filename: "Dockerfile.wharf", Target: "runner",
				BuildArgs: map[string]string{harness.CheckErrorArg: "error=true"},
				OutputTar: filepath.Join(work, "image.tar"), Name: "wharf-e2e/import-" + name + ":latest",
			})
			if m := noDistribution.FindStringSubmatch(log); err != nil && m != nil {
				t.Skipf("not buildable here: %s is on no index here (PyPI is unreachable)", m[1])
			}
			if err != nil {
				t.Fatalf("build failed after %s: %v\nDockerfile.wharf:\n%s\nlog:\n%s", time.Since(start).Round(time.Second), err, df, log)
			}
			t.Logf("built in %s", time.Since(start).Round(time.Second))
			img, err := harness.Unpack(context.Background(), filepath.Join(work, "image.tar"), work)
			if err != nil {
				t.Fatal(err)
			}
			res, err := img.Run(context.Background(), startWait)
			switch {
			case err != nil && res != nil && strings.Contains(err.Error(), "timed out"):
				t.Logf("started: still running after %s", startWait)
			case err != nil:
				t.Fatalf("run: %v", err)
			case res.ExitCode == 0:
				t.Logf("started: exited 0, stdout %q", res.Stdout)
			default:
				t.Errorf("did not start: exit %d, stderr %q", res.ExitCode, res.Stderr)
			}
		})
	}
}
