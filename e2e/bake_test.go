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
	} `json:"target"`
}

// TestBakePrint runs buildx's own reading of the bake file that wharf
// bake writes for examples/monorepo (`buildx bake --print`, which needs no
// builder): every spec is a target with the context, Dockerfile, stage,
// tags (the REGISTRY and VERSION variables filled in from the
// environment), platforms and registry cache that wharf meant; the
// "services" group holds them all; and the committed file is what wharf
// generates now.
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
	run := func(args ...string) printed {
		t.Helper()
		cmd := exec.Command(buildx, append([]string{"bake", "--print"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+t.TempDir(), "BUILDX_CONFIG="+t.TempDir(),
			"REGISTRY=registry.test:5000", "VERSION=1.2.3")
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
