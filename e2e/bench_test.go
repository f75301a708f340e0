package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wharf-dev/wharf/e2e/harness"
)

// benchVar turns on TestImageQuality (on top of WHARF_E2E=1): it prunes
// buildkitd's whole cache several times, so it runs only when asked.
const benchVar = "WHARF_E2E_BENCH"

// benchOutVar names a file that receives TestImageQuality's markdown table.
const benchOutVar = "WHARF_E2E_BENCH_OUT"

// benchCase is one app measured by TestImageQuality.
type benchCase struct {
	// name is the folder under cases/; testdata/bench/NAME.Dockerfile, if
	// it exists, is the hand-written single-stage build of the same app.
	name string
	// touch is the source file that gets a comment appended before the rebuild.
	touch, comment string
	// deps is a substring of the dependency step that must come from
	// cache on that rebuild.
	deps string
	// toolchain: the builder holds a compiler that the runner leaves
	// behind, so the runner must be the smaller image.
	toolchain bool
	// mount also measures the spec with python.install: mount.
	mount bool
}

// measurement is one build of one variant.
type measurement struct {
	variant    string
	layers     int
	compressed int64 // sum of the manifest's layer sizes (gzip)
	rootfs     int64 // bytes of regular files and symlinks after umoci unpack
	cold       time.Duration
	rebuild    time.Duration
	steps      stepCount // of the rebuild; zero if none
}

// TestImageQuality measures, with real BuildKit, what wharf's two stages buy
// over one: image sizes of the runner, the builder and a single-stage build
// of the same app, cold build time (buildkitd's cache pruned first) and
// rebuild time after one source file changes, with the steps that came
// from cache. For python it also compares the wheel hand-off by COPY (the
// default) with install: mount.
func TestImageQuality(t *testing.T) {
	e := requireE2E(t)
	if os.Getenv(benchVar) != "1" {
		t.Skipf("set %s=1 (with %s=1) to measure image sizes and build times; see scripts/bench-images.sh", benchVar, e2eVar)
	}
	if e.wharfErr != nil {
		t.Fatalf("wharf CLI unavailable: %v", e.wharfErr)
	}
	cases := []benchCase{
		{name: "python-cext", touch: "src/cext_demo/__main__.py", comment: "\n# touched by TestImageQuality\n", deps: "apt-get install", toolchain: true, mount: true},
		{name: "python-reqs", touch: "reqs_demo/__main__.py", comment: "\n# touched by TestImageQuality\n", deps: "-r requirements.txt"},
		{name: "go-static", touch: "main.go", comment: "\n// touched by TestImageQuality\n", deps: "go mod download", toolchain: true},
	}
	var table strings.Builder
	table.WriteString("| case | image | layers | compressed (layers, gzip) | rootfs (unpacked) | cold build | rebuild after 1 file | rebuild steps cached / run |\n")
	table.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ms := benchOne(t, e, c)
			for _, m := range ms {
				fmt.Fprintf(&table, "| %s | %s | %d | %s | %s | %s | %s | %s |\n", c.name, m.variant, m.layers,
					mb(m.compressed), mb(m.rootfs), secs(m.cold), secs(m.rebuild), m.steps)
			}
		})
	}
	t.Logf("image quality:\n%s", table.String())
	if out := os.Getenv(benchOutVar); out != "" {
		if err := os.WriteFile(out, []byte(table.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}

func benchOne(t *testing.T, e *e2eEnv, c benchCase) []measurement {
	caseDir, err := filepath.Abs(filepath.Join("cases", c.name))
	if err != nil {
		t.Fatal(err)
	}
	exp, err := harness.LoadExpect(filepath.Join(caseDir, "expect.yaml"))
	if err != nil {
		t.Fatal(err)
	}

	// Two stages, as wharf generates them.
	gen := generateCase(t, caseDir)
	runner := benchBuild(t, e, gen, gen, "runner", true)
	if res := run(t, &built{Image: runner.image}); res.Stdout != exp.Stdout || res.ExitCode != 0 {
		t.Errorf("runner: exit %d, stdout %q, want %q", res.ExitCode, res.Stdout, exp.Stdout)
	}
	touch(t, filepath.Join(gen, c.touch), c.comment)
	re := benchBuild(t, e, gen, gen, "runner", false)
	runner.m.rebuild, runner.m.steps = re.m.cold, re.m.steps
	if !re.steps.cached(c.deps) {
		t.Errorf("runner rebuild: the %q step was not CACHED:\n%s", c.deps, re.log)
	}
	if re.m.steps.run == 0 {
		t.Errorf("runner rebuild: no step ran after %s changed:\n%s", c.touch, re.log)
	}
	t.Logf("runner rebuild ran: %s", strings.Join(re.steps.ran(), "; "))
	builder := benchBuild(t, e, gen, gen, "builder", false)
	// Built on the runner's cache: neither cold time nor rebuild.
	builder.m.cold, builder.m.steps = 0, stepCount{}
	runner.m.variant = "runner (wharf)"
	builder.m.variant = "builder stage (wharf)"
	ms := []measurement{runner.m, builder.m}
	if c.toolchain && (runner.m.compressed >= builder.m.compressed || runner.m.rootfs >= builder.m.rootfs) {
		t.Errorf("runner (%s, %s) not smaller than builder (%s, %s)",
			mb(runner.m.compressed), mb(runner.m.rootfs), mb(builder.m.compressed), mb(builder.m.rootfs))
	}

	// One stage, hand-written.
	df, err := os.ReadFile(filepath.Join("testdata", "bench", c.name+".Dockerfile"))
	if os.IsNotExist(err) {
		return ms
	} else if err != nil {
		t.Fatal(err)
	}
	single := generateCase(t, caseDir)
	dfDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dfDir, "Dockerfile"), df, 0o644); err != nil {
		t.Fatal(err)
	}
	one := benchBuild(t, e, single, dfDir, "runner", true)
	if res := run(t, &built{Image: one.image}); res.ExitCode != 0 {
		t.Errorf("single-stage: exit %d\nstdout:\n%s\nstderr:\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	touch(t, filepath.Join(single, c.touch), c.comment)
	oneRe := benchBuild(t, e, single, dfDir, "runner", false)
	one.m.rebuild, one.m.steps = oneRe.m.cold, oneRe.m.steps
	t.Logf("single-stage rebuild ran: %s", strings.Join(oneRe.steps.ran(), "; "))
	one.m.variant = "single stage"
	ms = append(ms, one.m)
	if runner.m.compressed >= one.m.compressed || runner.m.rootfs >= one.m.rootfs {
		t.Errorf("runner (%s, %s) not smaller than single stage (%s, %s)",
			mb(runner.m.compressed), mb(runner.m.rootfs), mb(one.m.compressed), mb(one.m.rootfs))
	}

	if c.mount {
		mountDir := generateCaseEdited(t, caseDir, func(spec string) string {
			return strings.Replace(spec, "\npython:\n", "\npython:\n  install: mount\n", 1)
		})
		if df, _ := os.ReadFile(filepath.Join(mountDir, "Dockerfile")); !strings.Contains(string(df), "--mount=type=bind,from=builder,source=/wheels") {
			t.Fatalf("install: mount did not give a bind mount of /wheels:\n%s", df)
		}
		mnt := benchBuild(t, e, mountDir, mountDir, "runner", true)
		if res := run(t, &built{Image: mnt.image}); res.Stdout != exp.Stdout || res.ExitCode != 0 {
			t.Errorf("install: mount runner: exit %d, stdout %q, want %q", res.ExitCode, res.Stdout, exp.Stdout)
		}
		mnt.m.variant = "runner, install: mount"
		mnt.m.steps = stepCount{} // a cold build: no rebuild measured
		ms = append(ms, mnt.m)
		t.Logf("install: mount saves %d bytes of compressed layers and %d bytes of rootfs against copy",
			runner.m.compressed-mnt.m.compressed, runner.m.rootfs-mnt.m.rootfs)
	}
	return ms
}

func touch(t *testing.T, path, comment string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(comment); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

type benchBuilt struct {
	m     measurement
	image *harness.Image
	log   string
	steps steps
}

// benchBuild builds target of the Dockerfile in dfDir with context ctxDir,
// after pruning all of buildkitd's cache if cold, and measures the image.
// The build's wall time goes to m.cold, whether the build was cold or not.
func benchBuild(t *testing.T, e *e2eEnv, ctxDir, dfDir, target string, cold bool) *benchBuilt {
	t.Helper()
	return benchBuildWith(t, e, ctxDir, dfDir, target, cold, nil)
}

// benchBuildWith is benchBuild with build secrets (id to file).
func benchBuildWith(t *testing.T, e *e2eEnv, ctxDir, dfDir, target string, cold bool, secrets map[string]string) *benchBuilt {
	t.Helper()
	ctx := context.Background()
	if cold {
		if out, err := exec.CommandContext(ctx, e.tools.Buildctl, "--addr", e.daemon.Addr, "prune", "--all").CombinedOutput(); err != nil {
			t.Fatalf("buildctl prune --all: %v\n%s", err, out)
		}
	}
	work := t.TempDir()
	tar := filepath.Join(work, "image.tar")
	start := time.Now()
	log, err := e.daemon.Build(ctx, e.tools, harness.BuildRequest{
		ContextDir: ctxDir, DockerfileDir: dfDir, Target: target,
		BuildArgs: map[string]string{harness.CheckErrorArg: "error=true"},
		OutputTar: tar, Name: "wharf-e2e/bench:latest", Hosts: e.hosts(), Secrets: secrets,
	})
	took := time.Since(start)
	if err != nil {
		t.Fatalf("build %s (target %s): %v\n%s", ctxDir, target, err, log)
	}
	b := &benchBuilt{log: log, steps: parseSteps(log)}
	b.m.cold = took
	b.m.steps = b.steps.count()
	if b.image, err = harness.Unpack(ctx, tar, work); err != nil {
		t.Fatal(err)
	}
	if b.m.layers, b.m.compressed, err = layerSizes(b.image.Layout); err != nil {
		t.Fatal(err)
	}
	if b.m.rootfs, err = treeSize(b.image.Rootfs()); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s (%s) target %s: %s, %d layers, %s compressed, %s unpacked, steps %s",
		filepath.Base(ctxDir), map[bool]string{true: "cold", false: "warm"}[cold], target, secs(took), b.m.layers, mb(b.m.compressed), mb(b.m.rootfs), b.m.steps)
	return b
}

// layerSizes sums the layer sizes of the only manifest in an OCI layout:
// the bytes a registry stores and a pull downloads.
func layerSizes(layout string) (int, int64, error) {
	var idx struct {
		Manifests []struct{ Digest string } `json:"manifests"`
	}
	if err := readJSON(filepath.Join(layout, "index.json"), &idx); err != nil {
		return 0, 0, err
	}
	if len(idx.Manifests) != 1 {
		return 0, 0, fmt.Errorf("%s: want 1 manifest, have %d", layout, len(idx.Manifests))
	}
	var man struct {
		Layers []struct{ Size int64 } `json:"layers"`
	}
	if err := readJSON(blobPath(layout, idx.Manifests[0].Digest), &man); err != nil {
		return 0, 0, err
	}
	var sum int64
	for _, l := range man.Layers {
		sum += l.Size
	}
	return len(man.Layers), sum, nil
}

func blobPath(layout, digest string) string {
	alg, hex, _ := strings.Cut(digest, ":")
	return filepath.Join(layout, "blobs", alg, hex)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	return nil
}

// treeSize is the apparent size of the regular files (each hard link once)
// and symlinks under root.
func treeSize(root string) (int64, error) {
	seen := map[uint64]bool{}
	var sum int64
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 && info.Mode().IsRegular() {
			if seen[st.Ino] {
				return nil
			}
			seen[st.Ino] = true
		}
		sum += info.Size()
		return nil
	})
	return sum, err
}

// steps maps each Dockerfile step of a --progress=plain log ("[stage i/n]
// INSTRUCTION") to whether BuildKit took it from cache.
type steps map[string]bool

// stepCount is how many Dockerfile steps came from cache and how many ran.
type stepCount struct{ cached, run int }

func (s stepCount) String() string {
	if s.cached+s.run == 0 {
		return "–"
	}
	return fmt.Sprintf("%d / %d", s.cached, s.run)
}

var (
	stepLine   = regexp.MustCompile(`^#(\d+) \[([^\]]+ )?\d+/\d+\] (.+)$`)
	cachedLine = regexp.MustCompile(`^#(\d+) CACHED$`)
)

func parseSteps(log string) steps {
	names := map[string]string{}
	cached := map[string]bool{}
	for _, line := range strings.Split(log, "\n") {
		if m := stepLine.FindStringSubmatch(line); m != nil {
			if !strings.HasPrefix(m[3], "FROM ") { // resolving a base image: never CACHED
				names[m[1]] = m[2] + m[3]
			}
		} else if m := cachedLine.FindStringSubmatch(line); m != nil {
			cached[m[1]] = true
		}
	}
	s := steps{}
	for id, name := range names {
		s[name] = cached[id]
	}
	return s
}

func (s steps) count() stepCount {
	var c stepCount
	for _, cached := range s {
		if cached {
			c.cached++
		} else {
			c.run++
		}
	}
	return c
}

// ran lists the steps that were not cached, sorted.
func (s steps) ran() []string {
	var names []string
	for name, cached := range s {
		if !cached {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// cached reports whether a step containing sub exists and was cached.
func (s steps) cached(sub string) bool {
	names := make([]string, 0, len(s))
	for name := range s {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if strings.Contains(name, sub) {
			return s[name]
		}
	}
	return false
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

func secs(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
