package e2e

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestStageCrossArm64 builds a Go service with an extra build stage
// (stages:, a Node build of cases/python-frontend's frontend) for
// linux/arm64 on this amd64 machine, where no arm64 emulator is
// registered: the stage runs on the build platform (FROM
// --platform=$BUILDPLATFORM), as its output is plain files, and so do the
// Go builder and the tini stage; the distroless runner has no RUN. The
// runner holds the aarch64 binary and the page the stage built, root-owned,
// and no node.
func TestStageCrossArm64(t *testing.T) {
	e := requireE2E(t)
	t.Parallel() // with the other real-build tests; run.sh sets -parallel
	if handlers := emulators("aarch64", "arm64"); len(handlers) > 0 {
		t.Fatalf("an arm64 emulator is registered (%s): this test proves a build without one", strings.Join(handlers, ", "))
	}
	src := filepath.Join(t.TempDir(), filepath.Base(crossCase))
	for _, c := range [][2]string{{crossCase, src}, {"cases/python-frontend/frontend", filepath.Join(src, "web")}} {
		if out, err := exec.Command("cp", "-a", c[0], c[1]).CombinedOutput(); err != nil {
			t.Fatalf("copy %s: %v\n%s", c[0], err, out)
		}
	}
	dir := generateCaseEdited(t, src, func(spec string) string {
		return spec + "stages:\n  - {name: web, language: node, context: web, output: dist, to: /srv/www, node: {build: build}}\n"
	})
	dockerfile, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dockerfile), "FROM --platform=$BUILDPLATFORM node:24-trixie-slim AS web\n") {
		t.Fatalf("the stage is not on the build platform:\n%s", dockerfile)
	}

	b := buildPlatform(t, e, dir, "runner", "linux/arm64")
	if b.Config.Architecture != "arm64" || b.Config.OS != "linux" {
		t.Errorf("image platform %s/%s, want linux/arm64", b.Config.OS, b.Config.Architecture)
	}
	f, err := elf.Open(filepath.Join(b.Rootfs(), "/usr/local/bin/gotini"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Machine != elf.EM_AARCH64 {
		t.Errorf("/usr/local/bin/gotini: ELF e_machine %s, want EM_AARCH64", f.Machine)
	}
	f.Close()
	page := filepath.Join(b.Rootfs(), "/srv/www/index.html")
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<p>wharf frontend stage: built with Node 24, served by Python</p>"; !strings.Contains(string(data), want) {
		t.Errorf("/srv/www/index.html holds %q, want a line %q", data, want)
	}
	if info, err := os.Stat(page); err != nil {
		t.Error(err)
	} else if st, ok := info.Sys().(*syscall.Stat_t); ok && st.Uid != 0 {
		t.Errorf("/srv/www/index.html is owned by uid %d, want 0 (root, like the other artifacts)", st.Uid)
	}
	for _, p := range []string{"/usr/local/bin/node", "/usr/bin/node", "/srv/www/node_modules", "/srv/www/build.js", "/srv/www/package.json", "/src"} {
		if _, err := os.Lstat(filepath.Join(b.Rootfs(), p)); err == nil {
			t.Errorf("%s is in the runner", p)
		}
	}
}
