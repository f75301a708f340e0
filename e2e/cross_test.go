package e2e

import (
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/wharf-dev/wharf/e2e/harness"
)

// crossCase is the Go case that TestCrossArm64 builds for other platforms:
// a static binary and Debian's static tini on distroless static.
const crossCase = "cases/go-tini-distroless"

// TestCrossArm64 builds a wharf Dockerfile for linux/arm64 on this amd64
// machine, where no arm64 emulator is registered: the Go builder and the
// tini stage run on the build platform, and the distroless runner has no
// RUN. The binary and tini in the arm64 image are aarch64 ELF files (tini
// static). Then the same Dockerfile builds linux/amd64 and linux/arm64 as
// one index, pushed to the loopback registry and read back.
func TestCrossArm64(t *testing.T) {
	e := requireE2E(t)
	t.Parallel() // with the other real-build tests; run.sh sets -parallel
	if handlers := emulators("aarch64", "arm64"); len(handlers) > 0 {
		t.Fatalf("an arm64 emulator is registered (%s): this test proves a build without one", strings.Join(handlers, ", "))
	}
	abs, err := filepath.Abs(crossCase)
	if err != nil {
		t.Fatal(err)
	}
	dir := generateCase(t, abs)

	b := buildPlatform(t, e, dir, "runner", "linux/arm64")
	if b.Config.Architecture != "arm64" || b.Config.OS != "linux" {
		t.Errorf("image platform %s/%s, want linux/arm64", b.Config.OS, b.Config.Architecture)
	}
	for _, path := range []string{"/usr/local/bin/gotini", "/usr/bin/tini"} {
		f, err := elf.Open(filepath.Join(b.Rootfs(), path))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if f.Machine != elf.EM_AARCH64 {
			t.Errorf("%s: ELF e_machine %d (%s), want %d (EM_AARCH64)", path, f.Machine, f.Machine, elf.EM_AARCH64)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("%s has a program interpreter: not static, it cannot run on distroless static", path)
			}
		}
		t.Logf("%s: ELF class %s, e_machine %d (%s)", path, f.Class, f.Machine, f.Machine)
		f.Close()
	}

	// Both platforms as one index, pushed and read back.
	ref := e.registry.Addr + "/cross/gotini:e2e"
	start := time.Now()
	log, err := e.daemon.Build(context.Background(), e.tools, harness.BuildRequest{
		ContextDir: dir, DockerfileDir: dir, Target: "runner",
		BuildArgs: map[string]string{harness.CheckErrorArg: "error=true"},
		Platform:  "linux/amd64,linux/arm64", Push: ref,
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	t.Logf("built and pushed the linux/amd64,linux/arm64 index in %s", time.Since(start).Round(time.Second))
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := remote.Index(r)
	if err != nil {
		t.Fatalf("read the index back: %v", err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	var platforms []string
	for _, d := range m.Manifests {
		if d.Platform == nil || d.Platform.OS == "unknown" { // attestations
			continue
		}
		p := d.Platform.OS + "/" + d.Platform.Architecture
		platforms = append(platforms, p)
		img, err := idx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.OS + "/" + cfg.Architecture; got != p {
			t.Errorf("the index's %s manifest has an image config for %s", p, got)
		}
	}
	slices.Sort(platforms)
	if want := []string{"linux/amd64", "linux/arm64"}; !slices.Equal(platforms, want) {
		t.Errorf("index %s holds %q, want %q", ref, platforms, want)
	}

	if os.Getenv(benchVar) == "1" {
		crossTimes(t, e, abs)
	}
}

// TestCrossCgoArm64 cross-compiles a cgo program for linux/arm64 with no
// emulator: the go-cgo case (zlib through cgo), linked statically onto
// distroless static. The Debian builder runs on the build platform with
// Debian's aarch64 cross gcc and zlib1g-dev:arm64; the binary is a static
// aarch64 ELF.
func TestCrossCgoArm64(t *testing.T) {
	e := requireE2E(t)
	t.Parallel()
	if handlers := emulators("aarch64", "arm64"); len(handlers) > 0 {
		t.Fatalf("an arm64 emulator is registered (%s): this test proves a build without one", strings.Join(handlers, ", "))
	}
	abs, err := filepath.Abs("cases/go-cgo")
	if err != nil {
		t.Fatal(err)
	}
	dir := generateCaseEdited(t, abs, func(spec string) string {
		for old, repl := range map[string]string{
			"runner: debian:trixie-slim":       "runner: gcr.io/distroless/static-debian13",
			"runtime:\n  packages: [zlib1g]\n": "",
			"  cgo: true\n":                    "  cgo: true\n  static: true\n",
		} {
			if !strings.Contains(spec, old) {
				t.Fatalf("cases/go-cgo/wharf.yaml no longer holds %q", old)
			}
			spec = strings.Replace(spec, old, repl, 1)
		}
		return spec
	})
	b := buildPlatform(t, e, dir, "runner", "linux/arm64")
	f, err := elf.Open(filepath.Join(b.Rootfs(), "/usr/local/bin/gocgo"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Machine != elf.EM_AARCH64 {
		t.Errorf("gocgo: ELF e_machine %d (%s), want %d (EM_AARCH64)", f.Machine, f.Machine, elf.EM_AARCH64)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("gocgo has a program interpreter: not static")
		}
	}
	// ldflags -s strips the symbols; zlib's own copyright string is there.
	data, err := os.ReadFile(filepath.Join(b.Rootfs(), "/usr/local/bin/gocgo"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("Jean-loup Gailly")) {
		t.Errorf("gocgo does not hold zlib's deflate: zlib was not linked in")
	}
}

// crossTimes logs the builder's wall time for linux/amd64 (native) and
// linux/arm64 (cross-compiled), interleaved, with GOFLAGS=-a so that
// every round compiles the standard library and the program again, and
// no step cached. It asserts nothing: BENCHMARKS.md records what it
// printed.
func crossTimes(t *testing.T, e *e2eEnv, abs string) {
	dir := generateCaseEdited(t, abs, func(spec string) string {
		return spec + "build:\n  env: {GOFLAGS: -a}\n"
	})
	for round := 1; round <= 3; round++ {
		var line []string
		for _, p := range []string{"linux/amd64", "linux/arm64"} {
			t0 := time.Now()
			log, err := e.daemon.Build(context.Background(), e.tools, harness.BuildRequest{
				ContextDir: dir, DockerfileDir: dir, Target: "builder", NoCache: true,
				BuildArgs: map[string]string{harness.CheckErrorArg: "error=true"},
				OutputTar: filepath.Join(t.TempDir(), "builder.tar"), Platform: p,
			})
			if err != nil {
				t.Fatalf("%v\n%s", err, log)
			}
			line = append(line, fmt.Sprintf("%s %s", p, time.Since(t0).Round(100*time.Millisecond)))
		}
		t.Logf("round %d: builder (GOFLAGS=-a, --no-cache): %s (load %s)", round, strings.Join(line, ", "), loadAverage())
	}
}

// buildPlatform builds target of the Dockerfile in dir for platform and
// unpacks the image.
func buildPlatform(t *testing.T, e *e2eEnv, dir, target, platform string) *harness.Image {
	t.Helper()
	work := t.TempDir()
	start := time.Now()
	log, err := e.daemon.Build(context.Background(), e.tools, harness.BuildRequest{
		ContextDir: dir, DockerfileDir: dir, Target: target, Platform: platform,
		BuildArgs: map[string]string{harness.CheckErrorArg: "error=true"},
		OutputTar: filepath.Join(work, "image.tar"), Name: "wharf-e2e/cross:latest",
	})
	if err != nil {
		t.Fatalf("build for %s: %v\n%s", platform, err, log)
	}
	t.Logf("built %s for %s in %s", filepath.Base(dir), platform, time.Since(start).Round(time.Second))
	im, err := harness.Unpack(context.Background(), filepath.Join(work, "image.tar"), work)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// emulators lists the binfmt_misc handlers whose names hold any of
// names (qemu-aarch64, ...): an emulator the kernel would run foreign
// binaries with.
func emulators(names ...string) []string {
	entries, _ := os.ReadDir("/proc/sys/fs/binfmt_misc")
	var found []string
	for _, e := range entries {
		for _, n := range names {
			if strings.Contains(e.Name(), n) {
				found = append(found, e.Name())
				break
			}
		}
	}
	return found
}
