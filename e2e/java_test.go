package e2e

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wharf-dev/wharf/e2e/harness"
)

// TestJavaJlink builds cases/java-maven (which TestCases runs on the JRE
// runner) with java.runtime: jlink: jdeps must find the module beyond
// java.base that the app uses, and the runtime jlink makes must run the
// jar on debian:trixie-slim with the output expect.yaml gives, with no JDK
// tools and no JRE of the runner's own.
func TestJavaJlink(t *testing.T) {
	requireE2E(t)
	t.Parallel() // with the other real-build tests; run.sh sets -parallel
	dir, err := filepath.Abs(filepath.Join("cases", "java-maven"))
	if err != nil {
		t.Fatal(err)
	}
	exp, err := harness.LoadExpect(filepath.Join(dir, "expect.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ctxDir := generateCaseEdited(t, dir, func(spec string) string { return spec + "java:\n  runtime: jlink\n" })
	b := buildTarget(t, ctxDir, "runner", nil, nil)
	if !strings.Contains(b.Dockerfile, "FROM debian:trixie-slim AS runner") || !strings.Contains(b.Dockerfile, "jlink --add-modules") {
		t.Fatalf("the spec did not give a jlink runtime on debian:trixie-slim:\n%s", b.Dockerfile)
	}
	exp.FilesPresent = []string{"/app/app.jar", "/opt/java/bin/java"}
	exp.FilesAbsent = append(exp.FilesAbsent, "/opt/java/openjdk", "/opt/java/bin/javac", "/opt/java/bin/jlink", "/opt/java/jmods", "/usr/lib/jvm")
	for _, msg := range exp.Check(b.Image, run(t, b)) {
		t.Error(msg)
	}
	release, err := b.ReadFile("/opt/java/release")
	if err != nil {
		t.Fatal(err)
	}
	// jdeps names java.base and jdk.security.auth; jlink adds what they
	// require (java.naming, ...), and nothing the app does not reach.
	var modules []string
	for line := range strings.SplitSeq(string(release), "\n") {
		if v, ok := strings.CutPrefix(line, "MODULES="); ok {
			modules = strings.Fields(strings.Trim(v, `"`))
		}
	}
	if !slices.Contains(modules, "java.base") || !slices.Contains(modules, "jdk.security.auth") ||
		slices.Contains(modules, "java.desktop") || slices.Contains(modules, "jdk.compiler") {
		t.Errorf("the runtime's modules %q lack java.base or jdk.security.auth, or hold java.desktop or jdk.compiler:\n%s", modules, release)
	}
	logSize(t, b)
}
