package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wharf-dev/wharf/e2e/harness"
)

// TestHandoffs measures python.handoff: wheels against venv (the managers'
// default) on the manager cases, in one run: the runner's size, a cold
// build (buildkitd's cache pruned first) and the rebuild after the case's
// one-line source change, with the steps taken from cache. Opt-in like
// TestImageQuality (WHARF_E2E_BENCH=1); BENCHMARKS.md records the table.
func TestHandoffs(t *testing.T) {
	e := requireE2E(t)
	if os.Getenv(benchVar) != "1" {
		t.Skipf("set %s=1 (with %s=1) to measure the Python hand-offs", benchVar, e2eVar)
	}
	if e.wharfErr != nil {
		t.Fatalf("wharf CLI unavailable: %v", e.wharfErr)
	}
	var table strings.Builder
	table.WriteString("| case | handoff | layers | compressed (layers, gzip) | rootfs (unpacked) | cold build | rebuild after 1 line | rebuild steps cached / run |\n")
	table.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n")
	// Poetry's wheels hand-off needs poetry-plugin-export, which the
	// loopback index does not have.
	for _, name := range []string{"python-pdm", "python-pipenv"} {
		t.Run(name, func(t *testing.T) {
			caseDir, err := filepath.Abs(filepath.Join("cases", name))
			if err != nil {
				t.Fatal(err)
			}
			exp, err := harness.LoadExpect(filepath.Join(caseDir, "expect.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			for _, handoff := range []string{"venv", "wheels"} {
				gen := generateCaseEdited(t, caseDir, func(spec string) string {
					return strings.Replace(spec, "\npython:\n", "\npython:\n  handoff: "+handoff+"\n", 1)
				})
				// The dependency step: the manager's install for venv, its
				// export and pip wheel --require-hashes for wheels.
				cached := exp.Rebuild.Cached
				if handoff == "wheels" {
					cached = "--require-hashes"
				}
				m := benchHandoff(t, e, gen, exp, cached)
				fmt.Fprintf(&table, "| %s | %s | %d | %s | %s | %s | %s | %s |\n", name, handoff, m.layers,
					mb(m.compressed), mb(m.rootfs), secs(m.cold), secs(m.rebuild), m.steps)
			}
		})
	}
	t.Logf("python hand-offs:\n%s", table.String())
	if out := os.Getenv(benchOutVar); out != "" {
		if err := os.WriteFile(out, []byte(table.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// benchHandoff builds the generated case gen cold, runs it (its first line
// must be the case's, the locked versions installed), then rebuilds after
// the case's source change: the step containing cached must come from cache.
func benchHandoff(t *testing.T, e *e2eEnv, gen string, exp *harness.Expect, cached string) measurement {
	t.Helper()
	secrets, err := writeSecrets(t.TempDir(), exp.Secrets)
	if err != nil {
		t.Fatal(err)
	}
	cold := benchBuildWith(t, e, gen, gen, "runner", true, secrets)
	res := run(t, &built{Image: cold.image})
	wantFirst, _, _ := strings.Cut(exp.Stdout, "\n")
	if gotFirst, _, _ := strings.Cut(res.Stdout, "\n"); res.ExitCode != 0 || gotFirst != wantFirst {
		t.Errorf("runner: exit %d, first line %q, want %q\nstderr:\n%s", res.ExitCode, gotFirst, wantFirst, res.Stderr)
	}
	l, err := harness.ReadLockfile(filepath.Join(gen, exp.Lockfile))
	if err != nil {
		t.Fatal(err)
	}
	installed := harness.Dists(res.Stdout)
	for name, v := range l.Runtime {
		if installed[name] != v {
			t.Errorf("locked %s %s: installed %q", name, v, installed[name])
		}
	}
	for name := range l.DevOnly {
		if installed[name] != "" {
			t.Errorf("dev-only %s is installed", name)
		}
	}
	touch(t, filepath.Join(gen, exp.Rebuild.Touch), "\n# touched by TestHandoffs\n")
	re := benchBuildWith(t, e, gen, gen, "runner", false, secrets)
	if !re.steps.cached(cached) {
		t.Errorf("rebuild: the %q step was not CACHED:\n%s", cached, re.log)
	}
	t.Logf("rebuild ran: %s", strings.Join(re.steps.ran(), "; "))
	m := cold.m
	m.rebuild, m.steps = re.m.cold, re.m.steps
	return m
}
