package e2e

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wharf-dev/wharf/e2e/harness"
)

// The two SOURCE_DATE_EPOCH values of TestReproducible: the first is the
// one both cold builds use, the second the warm rebuild's (a new commit).
// Both lie in the past, as a commit's time does: rewrite-timestamp only
// lowers timestamps newer than the epoch to it.
const (
	reproEpoch     = "1767225600" // 2026-01-01T00:00:00Z
	reproEpochNext = "1767312000" // a day later
)

// The REVISION build argument of each build, with the epoch: the commit
// the OCI revision label names (issue 21's metadata, declared in the
// runner after its install steps where a tree has it; unused otherwise).
const (
	reproRevision     = "1111111111111111111111111111111111111111"
	reproRevisionNext = "2222222222222222222222222222222222222222"
)

// reproCases are TestReproducible's cases, issue 21's three (go-static, a
// Node and a Python case), with the steps that must stay CACHED on a warm
// rebuild where only SOURCE_DATE_EPOCH and REVISION change (each a
// substring of one step's instruction). The runner's package and user steps come before its
// ARG SOURCE_DATE_EPOCH, as the dependency steps do in the builder.
var reproCases = []reproCase{
	{"go-static", "", []string{"go mod download"}, nil},
	{"node-npm", "", []string{"npm ci", "apt-get install", "useradd"}, nil},
	{"python-reqs", "", []string{"-r requirements.txt", "apt-get install", "useradd"}, nil},
}

// reproCase is a cases/ folder TestReproducible builds: name, the folder
// of its spec inside it (as expect.yaml's spec), and the steps that must
// stay CACHED.
type reproCase struct {
	name, spec string
	cached     []string
	// secrets are expect.yaml's build secrets (id to content).
	secrets map[string]string
}

// reproCasesVar replaces reproCases with other cases/ folders (comma
// separated), for a measurement outside the suite: each must stay CACHED
// in its expect.yaml's rebuild.cached step, if it names one.
const reproCasesVar = "WHARF_E2E_REPRO_CASES"

// TestReproducible builds each of reproCases twice, each time on a
// buildkitd of its own with an empty state folder (a cold cache: no layer,
// no cache mount), with the same SOURCE_DATE_EPOCH and the exporter's
// rewrite-timestamp=true, and requires the two image manifests to have
// the same digest; when they differ it prints every file that differs
// between the two images' layers. Then it rebuilds on the first daemon
// (warm) with a new SOURCE_DATE_EPOCH and REVISION, as the next commit
// would: the dependency steps must be CACHED. The suite's shared
// buildkitd is not touched.
func TestReproducible(t *testing.T) {
	e := requireE2E(t)
	t.Parallel()
	cases := reproCases
	if v := os.Getenv(reproCasesVar); v != "" {
		cases = nil
		for _, name := range strings.Split(v, ",") {
			exp, err := harness.LoadExpect(filepath.Join("cases", name, "expect.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var cached []string
			if exp.Rebuild != nil {
				cached = []string{exp.Rebuild.Cached}
			}
			cases = append(cases, reproCase{name, exp.Spec, cached, exp.Secrets})
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			abs, err := filepath.Abs(filepath.Join("cases", c.name))
			if err != nil {
				t.Fatal(err)
			}
			gen := generateCaseAt(t, abs, c.spec, nil)
			dfDir := filepath.Join(gen, c.spec)
			work := t.TempDir()
			secrets, err := writeSecrets(work, c.secrets)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()

			// Two cold builds at once, on two fresh daemons.
			var wg sync.WaitGroup
			daemons := make([]*harness.Daemon, 2)
			logs := make([]string, 2)
			errs := make([]error, 2)
			tars := []string{filepath.Join(work, "a.tar"), filepath.Join(work, "b.tar")}
			for i := range daemons {
				wg.Add(1)
				go func() {
					defer wg.Done()
					d, err := harness.StartDaemon(context.Background(), e.tools, e.registry.Addr, e.snapshotter)
					if err != nil {
						errs[i] = err
						return
					}
					daemons[i] = d
					logs[i], errs[i] = reproBuild(e, d, gen, dfDir, tars[i], reproEpoch, reproRevision, secrets)
				}()
			}
			wg.Wait()
			defer func() {
				for _, d := range daemons {
					if d != nil {
						if err := d.Close(); err != nil {
							t.Logf("stop buildkitd: %v", err)
						}
					}
				}
			}()
			for i, err := range errs {
				if err != nil {
					df, _ := os.ReadFile(filepath.Join(dfDir, "Dockerfile"))
					t.Fatalf("cold build %d: %v\nDockerfile:\n%s\nbuild log:\n%s", i+1, err, df, logs[i])
				}
			}
			cold := time.Since(start).Round(time.Second)
			var digests [2]string
			for i, tb := range tars {
				if digests[i], err = harness.ManifestDigest(tb); err != nil {
					t.Fatal(err)
				}
			}
			if digests[0] == digests[1] {
				t.Logf("two cold builds (in parallel, %s): the same manifest digest %s", cold, digests[0])
			} else {
				diffs, err := harness.DiffImages(tars[0], tars[1], filepath.Join(work, "diff"))
				if err != nil {
					t.Fatal(err)
				}
				t.Errorf("two cold builds with SOURCE_DATE_EPOCH=%s and rewrite-timestamp=true: manifests %s and %s differ; %d differences:\n%s",
					reproEpoch, digests[0], digests[1], len(diffs), strings.Join(diffs, "\n"))
			}

			// A new commit: a new SOURCE_DATE_EPOCH and REVISION on the
			// warm daemon.
			t0 := time.Now()
			log, err := reproBuild(e, daemons[0], gen, dfDir, filepath.Join(work, "c.tar"), reproEpochNext, reproRevisionNext, secrets)
			if err != nil {
				t.Fatalf("warm rebuild: %v\n%s", err, log)
			}
			st := parseSteps(log)
			for _, sub := range c.cached {
				if !st.cached(sub) {
					t.Errorf("warm rebuild with SOURCE_DATE_EPOCH=%s and a new REVISION: the step %q was not CACHED (ran: %q)", reproEpochNext, sub, st.ran())
				}
			}
			t.Logf("warm rebuild with a new SOURCE_DATE_EPOCH and REVISION in %s: %s cached/run, ran %q", time.Since(t0).Round(time.Second), st.count(), st.ran())
			if d, err := harness.ManifestDigest(filepath.Join(work, "c.tar")); err == nil && d == digests[0] {
				t.Errorf("the rebuild with SOURCE_DATE_EPOCH=%s has the digest of the one with %s: the epoch reached nothing", reproEpochNext, reproEpoch)
			}
		})
	}
}

// reproBuild builds the runner of the generated case gen (its Dockerfile
// in dfDir) on d with
// SOURCE_DATE_EPOCH=epoch, REVISION=revision and rewrite-timestamp=true
// into the OCI tarball out, every check warning an error, and returns the
// plain progress log. secrets maps ids to files.
func reproBuild(e *e2eEnv, d *harness.Daemon, gen, dfDir, out, epoch, revision string, secrets map[string]string) (string, error) {
	log, err := d.Build(context.Background(), e.tools, harness.BuildRequest{
		ContextDir: gen, DockerfileDir: dfDir, Target: "runner",
		BuildArgs: map[string]string{
			harness.CheckErrorArg: "error=true",
			"SOURCE_DATE_EPOCH":   epoch,
			"REVISION":            revision,
		},
		OutputTar: out, Name: "wharf-e2e/" + filepath.Base(gen) + ":latest",
		Hosts: e.hosts(), Secrets: secrets, RewriteTimestamp: true,
	})
	if err != nil {
		return log, fmt.Errorf("%w (SOURCE_DATE_EPOCH=%s, REVISION=%s)", err, epoch, revision)
	}
	return log, nil
}

// baselineWharfVar names a wharf CLI built from an earlier commit, whose
// Dockerfile TestReproducibleCost builds as the plain arm.
const baselineWharfVar = "WHARF_E2E_BASELINE_WHARF"

// TestReproducibleCost measures what the reproducible settings cost in
// build time: the python-reqs case built cold (each build on a buildkitd
// of its own with an empty state folder), one build after the other,
// alternating two arms three times: this tree's Dockerfile with
// SOURCE_DATE_EPOCH and rewrite-timestamp=true, and a plain build without
// either of the Dockerfile that the wharf CLI named by
// WHARF_E2E_BASELINE_WHARF writes (unset: this tree's). Opt-in like
// TestImageQuality (WHARF_E2E_BENCH=1); BENCHMARKS.md records the table.
func TestReproducibleCost(t *testing.T) {
	e := requireE2E(t)
	if os.Getenv(benchVar) != "1" {
		t.Skipf("set %s=1 (with %s=1) to measure the reproducible settings' cost", benchVar, e2eVar)
	}
	abs, err := filepath.Abs(filepath.Join("cases", "python-reqs"))
	if err != nil {
		t.Fatal(err)
	}
	repro := generateCaseAt(t, abs, "", nil)
	plain := repro
	if bin := os.Getenv(baselineWharfVar); bin != "" {
		plain = filepath.Join(t.TempDir(), "python-reqs")
		if out, err := exec.Command("cp", "-a", repro, plain).CombinedOutput(); err != nil {
			t.Fatalf("copy: %v\n%s", err, out)
		}
		cmd := exec.Command(bin, "generate", "--force", ".")
		cmd.Dir = plain
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s generate: %v\n%s", bin, err, out)
		}
	}
	arms := []struct {
		name, dir string
		repro     bool
	}{
		{"reproducible (this tree, SOURCE_DATE_EPOCH, rewrite-timestamp=true)", repro, true},
		{"plain (" + cmp.Or(os.Getenv(baselineWharfVar), "this tree") + ", neither)", plain, false},
	}
	times := make([][]time.Duration, len(arms))
	work := t.TempDir()
	for round := range 3 {
		for i, arm := range arms {
			d, err := harness.StartDaemon(context.Background(), e.tools, e.registry.Addr, e.snapshotter)
			if err != nil {
				t.Fatal(err)
			}
			args := map[string]string{harness.CheckErrorArg: "error=true"}
			if arm.repro {
				args["SOURCE_DATE_EPOCH"] = reproEpoch
			}
			t0 := time.Now()
			log, err := d.Build(context.Background(), e.tools, harness.BuildRequest{
				ContextDir: arm.dir, DockerfileDir: arm.dir, Target: "runner", BuildArgs: args,
				OutputTar: filepath.Join(work, fmt.Sprintf("%d-%d.tar", round, i)), Hosts: e.hosts(),
				RewriteTimestamp: arm.repro,
			})
			took := time.Since(t0)
			if cerr := d.Close(); cerr != nil {
				t.Logf("stop buildkitd: %v", cerr)
			}
			if err != nil {
				t.Fatalf("%s: %v\n%s", arm.name, err, log)
			}
			times[i] = append(times[i], took)
			t.Logf("round %d, %s: %s", round+1, arm.name, secs(took))
		}
	}
	var table strings.Builder
	table.WriteString("| arm | cold builds (s) | median |\n| --- | --- | ---: |\n")
	for i, arm := range arms {
		var each []string
		for _, d := range times[i] {
			each = append(each, secs(d))
		}
		fmt.Fprintf(&table, "| %s | %s | %s |\n", arm.name, strings.Join(each, ", "), secs(median(times[i])))
	}
	t.Logf("reproducible settings, python-reqs cold:\n%s", table.String())
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
