package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wharf-dev/wharf/internal/bake"
)

// buildxVar turns on TestBakePrint without the rest of the real-build
// suite: it needs no root and no daemon, only the time to build buildx
// (a few minutes, then cached).
const buildxVar = "WHARF_E2E_BUILDX"

// buildxBinary builds github.com/docker/buildx/cmd/buildx, the `tool` of
// go.mod, into the e2e cache, or reuses it; the file name carries buildx's
// and Go's versions.
func buildxBinary(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Version}}", "github.com/docker/buildx").Output()
	if err != nil {
		t.Fatalf("go list buildx: %v", err)
	}
	cache, err := cacheDir()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(cache, "bin", "buildx@"+strings.TrimSpace(string(out))+"_"+runtime.Version())
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	t.Logf("building buildx into %s", bin)
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := bin + ".tmp"
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", tmp, "github.com/docker/buildx/cmd/buildx")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build buildx: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

// printed is the part of `buildx bake --print` that the test reads.
type printed struct {
	Group  map[string]struct{ Targets []string } `json:"group"`
	Target map[string]struct {
		Context    string   `json:"context"`
		Dockerfile string   `json:"dockerfile"`
		Target     string   `json:"target"`
		Tags       []string `json:"tags"`
		Platforms  []string `json:"platforms"`
		CacheFrom  []struct {
			Type, Ref string
		} `json:"cache-from"`
		CacheTo []struct {
			Type, Ref, Mode string
		} `json:"cache-to"`
		Args   map[string]string `json:"args"`
		Attest []struct {
			Type, Mode string
		} `json:"attest"`
	} `json:"target"`
}

// TestBakePrint runs buildx's own reading of the bake file that wharf
// bake writes for examples/monorepo (`buildx bake --print`, which needs no
// builder): every spec is a target with the context, Dockerfile, stage,
// tags (the REGISTRY and VERSION variables filled in from the
// environment), platforms and registry cache that wharf meant, the
// provenance attestation in max mode, and the OCI labels' build arguments:
// REVISION and VERSION from the environment, CREATED the RFC 3339 time of
// SOURCE_DATE_EPOCH (which buildx passes on by itself), and all empty
// without them; the "services" group holds them all; and the committed
// file is what wharf generates now.
func TestBakePrint(t *testing.T) {
	if os.Getenv(e2eVar) != "1" && os.Getenv(buildxVar) != "1" {
		t.Skipf("set %s=1 (or %s=1, which needs neither root nor a daemon) to run buildx bake --print", buildxVar, e2eVar)
	}
	dir := filepath.Join("..", "examples", "monorepo")
	c, err := bake.LoadConfig(filepath.Join(dir, bake.ConfigName))
	if err != nil {
		t.Fatal(err)
	}
	want, n, err := bake.Render(c, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile(c.OutputPath())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, want) {
		t.Fatalf("%s is stale: run wharf bake in %s", c.OutputPath(), dir)
	}
	if n != 5 {
		t.Fatalf("%d specs, want the 5 services", n)
	}

	buildx := buildxBinary(t)
	metadata := []string{"REVISION=0123abc", "SOURCE_DATE_EPOCH=1700000000"}
	run := func(args ...string) printed {
		t.Helper()
		cmd := exec.Command(buildx, append([]string{"bake", "--print"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+t.TempDir(), "BUILDX_CONFIG="+t.TempDir(),
			"REGISTRY=registry.test:5000", "VERSION=1.2.3")
		cmd.Env = append(cmd.Env, metadata...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("buildx bake --print %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
		}
		var p printed
		if err := json.Unmarshal(out, &p); err != nil {
			t.Fatalf("buildx bake --print: %v\n%s", err, out)
		}
		return p
	}
	all := run() // the default group, from docker-bake.json found by name
	services := []string{"accounts", "billing", "gateway", "notifier", "web"}
	if diff := cmp.Diff(services, all.Group["default"].Targets); diff != "" {
		t.Errorf("default group (-want +got):\n%s", diff)
	}
	for _, name := range services {
		got, ok := all.Target[name]
		if !ok {
			t.Errorf("no target %s", name)
			continue
		}
		if got.Context != "services/"+name || got.Dockerfile != "Dockerfile" || got.Target != "runner" {
			t.Errorf("%s: context %q, dockerfile %q, target %q; want services/%s, Dockerfile, runner", name, got.Context, got.Dockerfile, got.Target, name)
		}
		wantTags := []string{"registry.test:5000/monorepo/" + name + ":1.2.3", "registry.test:5000/monorepo/" + name + ":latest"}
		if diff := cmp.Diff(wantTags, got.Tags); diff != "" {
			t.Errorf("%s tags (-want +got):\n%s", name, diff)
		}
		var wantPlatforms []string
		if name == "gateway" || name == "notifier" { // platform/go.yaml
			wantPlatforms = []string{"linux/amd64", "linux/arm64"}
		}
		if diff := cmp.Diff(wantPlatforms, got.Platforms); diff != "" {
			t.Errorf("%s platforms (-want +got):\n%s", name, diff)
		}
		ref := "registry.test:5000/monorepo/cache:" + name
		if len(got.CacheFrom) != 1 || got.CacheFrom[0].Type != "registry" || got.CacheFrom[0].Ref != ref {
			t.Errorf("%s cache-from %+v, want type=registry,ref=%s", name, got.CacheFrom, ref)
		}
		if len(got.CacheTo) != 1 || got.CacheTo[0].Ref != ref || got.CacheTo[0].Mode != "max" {
			t.Errorf("%s cache-to %+v, want type=registry,ref=%s,mode=max", name, got.CacheTo, ref)
		}
		if len(got.Attest) != 1 || got.Attest[0].Type != "provenance" || got.Attest[0].Mode != "max" {
			t.Errorf("%s attest %+v, want type=provenance,mode=max", name, got.Attest)
		}
		wantArgs := map[string]string{"REVISION": "0123abc", "CREATED": "2023-11-14T22:13:20Z", "VERSION": "1.2.3", "SOURCE_DATE_EPOCH": "1700000000"}
		if diff := cmp.Diff(wantArgs, got.Args); diff != "" {
			t.Errorf("%s args (-want +got):\n%s", name, diff)
		}
	}
	// Without REVISION and SOURCE_DATE_EPOCH the arguments are empty (no
	// label), and buildx passes no SOURCE_DATE_EPOCH.
	metadata = nil
	bare := run("web")
	if diff := cmp.Diff(map[string]string{"REVISION": "", "CREATED": "", "VERSION": "1.2.3"}, bare.Target["web"].Args); diff != "" {
		t.Errorf("web args without REVISION and SOURCE_DATE_EPOCH (-want +got):\n%s", diff)
	}
	group := run("services")
	names := make([]string, 0, len(group.Target))
	for name := range group.Target {
		names = append(names, name)
	}
	slices.Sort(names)
	if diff := cmp.Diff(services, names); diff != "" {
		t.Errorf("targets of the services group (-want +got):\n%s", diff)
	}
}

// TestBakeBuild is a real `buildx bake` of examples/monorepo with its
// committed docker-bake.json, unedited but for two things the sandbox
// needs (below): buildx, with the remote driver, drives the suite's own
// buildkitd over its Unix socket and pushes the images and a registry
// cache to the loopback registry (the REGISTRY variable). Three services
// are baked together: gateway (Go on a Debian runner), notifier (Go on
// distroless static, cross-compiled for linux/amd64 and linux/arm64 as
// platform/go.yaml asks) and web (Node). Every pushed image carries the
// OCI labels of the REVISION, SOURCE_DATE_EPOCH (for CREATED) and VERSION
// variables, and a max-mode SLSA provenance attestation that names them
// (checkPushedImage). A second bake after touching web's source, with a
// new REVISION, rebuilds only web: every step of the other two is cached,
// and their labels and provenance show the new revision.
//
// accounts and billing are left out: platform/python.yaml names
// python:3.12-slim, which has no look-alike (TestExamples builds them with
// python:3.13-slim instead).
func TestBakeBuild(t *testing.T) {
	e := requireE2E(t)
	if e.wharf == "" {
		t.Fatalf("wharf CLI not built: %v", e.wharfErr)
	}
	buildx := buildxBinary(t)
	dir := filepath.Join(t.TempDir(), "monorepo")
	if out, err := exec.Command("cp", "-a", filepath.Join("..", "examples", "monorepo"), dir).CombinedOutput(); err != nil {
		t.Fatalf("copy examples/monorepo: %v\n%s", err, out)
	}
	services := []string{"gateway", "notifier", "web"}
	// The committed files are what wharf writes now.
	check := exec.Command(e.wharf, "check", "./...")
	check.Dir = dir
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("wharf check ./... in examples/monorepo: %v\n%s", err, out)
	}
	// The loopback registry has no docker/dockerfile image, which a
	// "# syntax=" line makes BuildKit pull; buildx cannot pass the
	// "cmdline=" frontend option that harness.Build uses to ignore it, so
	// the line goes and BuildKit's built-in frontend reads the rest.
	for _, s := range services {
		path := filepath.Join(dir, "services", s, "Dockerfile")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rest, ok := bytes.CutPrefix(data, []byte("# syntax=docker/dockerfile:1\n"))
		if !ok {
			t.Fatalf("%s does not start with the syntax line:\n%s", path, data)
		}
		if err := os.WriteFile(path, rest, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	config := t.TempDir()
	// The OCI labels' variables: CREATED comes from SOURCE_DATE_EPOCH.
	revision := "1111111"
	const epoch, created = "1700000000", "2023-11-14T22:13:20Z"
	buildxEnv := append(os.Environ(), "BUILDX_CONFIG="+config, "DOCKER_CONFIG="+config,
		"BUILDX_BAKE_ENTITLEMENTS_FS=0", "REGISTRY="+e.registry.Addr, "VERSION=e2e", "SOURCE_DATE_EPOCH="+epoch)
	runBuildx := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(buildx, args...)
		cmd.Dir = dir
		cmd.Env = append(buildxEnv, "REVISION="+revision)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("buildx %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	runBuildx("create", "--name", "wharf-e2e", "--driver", "remote", e.daemon.Addr)
	// gateway's runner installs curl with apt-get: for linux/arm64 that RUN
	// step needs an emulator, which this machine lacks (see the README on
	// which runners cross-build), so gateway is baked for linux/amd64 only.
	bakeAll := func() string {
		t.Helper()
		return runBuildx(append([]string{"bake", "--builder", "wharf-e2e", "--progress", "plain", "--push", "--set", "gateway.platform=linux/amd64"}, services...)...)
	}
	first := bakeAll()
	t.Logf("first bake:\n%s", lastLines(first, 15))
	for _, s := range services {
		for _, tag := range []string{"e2e", "latest"} {
			if !strings.Contains(first, e.registry.Addr+"/monorepo/"+s+":"+tag) {
				t.Errorf("the first bake did not push %s/monorepo/%s:%s", e.registry.Addr, s, tag)
			}
		}
	}
	// notifier was built for both of its platforms: its steps show them.
	for _, p := range []string{"linux/amd64", "linux/arm64"} {
		if !strings.Contains(first, "[notifier "+p+" ") && !strings.Contains(first, "[notifier "+p+"->") {
			t.Errorf("the first bake shows no step of notifier for %s", p)
		}
	}
	// Each pushed image (each platform's) carries the OCI labels of the
	// variables and a max-mode provenance attestation naming them.
	checkPushed := func() {
		t.Helper()
		t0 := time.Now()
		for _, s := range services {
			labels := map[string]string{
				"org.opencontainers.image.revision": revision, "org.opencontainers.image.created": created,
				"org.opencontainers.image.version": "e2e", "org.opencontainers.image.title": s, // the spec's
				"org.opencontainers.image.source": "https://github.com/example/monorepo", // base.yaml's
			}
			args := map[string]string{"REVISION": revision, "CREATED": created, "VERSION": "e2e", "SOURCE_DATE_EPOCH": epoch}
			material := "golang"
			if s == "web" {
				material = "node"
			}
			checkPushedImage(t, e.registry.Addr+"/monorepo/"+s+":e2e", labels, args, material)
		}
		t.Logf("read the labels and provenance of %d images in %s", len(services), time.Since(t0).Round(time.Millisecond))
	}
	checkPushed()

	// Touch one service: only its steps from COPY . . on run again.
	path := filepath.Join(dir, "services", "web", "src", "index.js")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(data, []byte("\n// touched by TestBakeBuild\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	// A new revision too: the OCI label arguments are declared after every
	// step, so it changes the labels but runs no step.
	revision = "2222222"
	second := bakeAll()
	t.Logf("second bake:\n%s", second)
	for _, s := range services {
		ran := builtSteps(second, s)
		switch {
		case s == "web" && len(ran) == 0:
			t.Errorf("web changed but none of its steps ran")
		case s != "web" && len(ran) > 0:
			t.Errorf("%s did not change, yet these steps ran: %q", s, ran)
		}
	}
	checkPushed()
	bakeTimes(t, runBuildx, services)
}

// bakeTimes, with WHARF_E2E_BENCH=1, logs the wall time of baking the
// services with --no-cache all at once against one after another (cache
// mounts stay warm in both, and the registry cache is neither read nor
// written). It asserts nothing: BENCHMARKS.md records what it printed.
func bakeTimes(t *testing.T, run func(...string) string, services []string) {
	if os.Getenv(benchVar) != "1" {
		return
	}
	common := []string{"bake", "--builder", "wharf-e2e", "--progress", "quiet", "--no-cache", "--set", "*.cache-from=", "--set", "*.cache-to=", "--set", "*.output=type=cacheonly", "--set", "gateway.platform=linux/amd64"}
	for round := 1; round <= 3; round++ {
		t0 := time.Now()
		run(append(common, services...)...)
		together := time.Since(t0)
		t0 = time.Now()
		for _, s := range services {
			run(append(common, s)...)
		}
		apart := time.Since(t0)
		t.Logf("round %d: %d services baked together in %s, one after another in %s (load %s)", round, len(services), together.Round(100*time.Millisecond), apart.Round(100*time.Millisecond), loadAverage())
	}
}

// loadAverage is the first field of /proc/loadavg, or "?".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(data))[0]
}

// builtSteps returns the build steps of target that buildx's plain
// progress shows as done but not cached: "#12 [bravo builder 5/6] RUN ..."
// followed by "#12 DONE" rather than "#12 CACHED".
func builtSteps(log, target string) []string {
	names := map[string]string{} // "#12" → step name
	var ran []string
	for _, line := range strings.Split(log, "\n") {
		id, rest, ok := strings.Cut(line, " ")
		if !ok || !strings.HasPrefix(id, "#") {
			continue
		}
		switch {
		case strings.HasPrefix(rest, "["+target+" ") && strings.Contains(rest, "/"):
			names[id] = rest
		case strings.HasPrefix(rest, "DONE") && names[id] != "" && !strings.Contains(names[id], "FROM") && !strings.Contains(names[id], "internal]"):
			ran = append(ran, names[id])
			delete(names, id)
		case rest == "CACHED":
			delete(names, id)
		}
	}
	return ran
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
