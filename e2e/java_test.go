package e2e

import (
	"path/filepath"
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
	if !strings.Contains(string(release), `MODULES="java.base jdk.security.auth"`) {
		t.Errorf("the runtime's modules are not the two jdeps should find:\n%s", release)
	}
	logSize(t, b)
}
