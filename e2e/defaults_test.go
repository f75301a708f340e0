package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf/e2e/harness"
)

// TestLookalikeVersions builds a Dockerfile FROM each look-alike of a
// default image, under the exact name wharf writes, whose RUN step runs the
// toolchain's own version command inside it and keeps the output in a
// scratch image (exporting a whole golang image would take a minute).
func TestLookalikeVersions(t *testing.T) {
	requireE2E(t)
	t.Parallel() // with the other real-build tests; run.sh sets -parallel
	tests := []struct {
		name, from, run, want string
	}{
		{"python", "python:3.13-slim", `["sh", "-c", "python3 --version > /out"]`, "Python 3.13.5\n"},
		{"python-trixie", "python:3.13-slim-trixie", `["sh", "-c", "command -v python > /out && python --version >> /out"]`, "/usr/local/bin/python\nPython 3.13.5\n"},
		{"go1.26", "golang:1.26-trixie", `["sh", "-c", "go version > /out && command -v go >> /out"]`, "go version go" + harness.Go126 + " linux/amd64\n/usr/local/go/bin/go\n"},
		{"node24", "node:24-trixie-slim", `["sh", "-c", "node --version > /out && npm --version >> /out"]`, "v" + harness.Node24 + "\n" + harness.Npm11 + "\n"},
		{"bun1", "oven/bun:1-slim", `["sh", "-c", "bun --version > /out && bunx --version >> /out && command -v bun >> /out && id -u bun >> /out"]`, harness.Bun1 + "\n" + harness.Bun1 + "\n/usr/local/bin/bun\n1000\n"},
		// Debian's rustc and cargo behind the official CARGO_HOME, which
		// the case rust-crates proves replaces crates.io with Debian's crates.
		{"rust", "rust:1-trixie", `["sh", "-c", "for c in cargo rustc; do command -v $c; done > /out && cargo --version | cut -d. -f1-2 >> /out && echo $CARGO_HOME $RUSTUP_HOME >> /out"]`, "/usr/local/cargo/bin/cargo\n/usr/local/cargo/bin/rustc\ncargo " + harness.Rust185 + "\n/usr/local/cargo /usr/local/rustup\n"},
		{"maven", "maven:3.9-eclipse-temurin-21", `["sh", "-c", "for c in java javac jlink objcopy; do command -v $c; done > /out && echo $JAVA_HOME $MAVEN_HOME >> /out && mvn --batch-mode --version | head -1 | cut -d' ' -f1-2 >> /out"]`, harness.JavaHome + "/bin/java\n" + harness.JavaHome + "/bin/javac\n" + harness.JavaHome + "/bin/jlink\n/usr/bin/objcopy\n" + harness.JavaHome + " /usr/share/maven\nApache Maven\n"},
		{"jre", "eclipse-temurin:21-jre", `["sh", "-c", "command -v java > /out && java -version 2>&1 | head -1 | cut -d. -f1 >> /out && if command -v javac; then echo javac; fi >> /out"]`, harness.JavaHome + "/bin/java\nopenjdk version \"21\n"},
		// No shell in distroless: the interpreter writes the file.
		{"distroless-python3", "gcr.io/distroless/python3-debian13", `["/usr/bin/python3", "-c", "import sys, ssl, sqlite3, zlib; open('/out', 'w').write(sys.version.split()[0] + ' ' + sys.executable + '\\n')"]`, "3.13.5 /usr/bin/python3\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, map[string]string{"Dockerfile": "FROM " + tc.from + " AS probe\nRUN " + tc.run + "\n\nFROM scratch AS runner\nCOPY --from=probe /out /out\n"})
			b := buildDockerfile(t, dir, nil)
			got, err := b.ReadFile("/out")
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDistrolessLookalikes checks that every distroless look-alike is
// shell-less and has the libraries its kind promises, by building an image
// FROM it that only adds files.
func TestDistrolessLookalikes(t *testing.T) {
	requireE2E(t)
	t.Parallel() // with the other real-build tests; run.sh sets -parallel
	noShell := []string{"/bin/sh", "/bin/bash", "/bin/dash", "/usr/bin/sh", "/usr/bin/bash", "/usr/bin/apt-get", "/usr/bin/dpkg"}
	tests := []struct {
		name    string
		present []string
		absent  []string
	}{
		{"static-debian12", []string{"/etc/ssl/certs/ca-certificates.crt", "/etc/passwd", "/usr/share/zoneinfo/UTC"}, []string{"/usr/lib/x86_64-linux-gnu/libc.so.6", "/bin"}},
		{"static-debian13", []string{"/etc/ssl/certs/ca-certificates.crt", "/etc/passwd"}, []string{"/usr/lib/x86_64-linux-gnu/libc.so.6", "/bin"}},
		{"base-debian12", []string{"/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/libssl.so.3"}, []string{"/usr/lib/x86_64-linux-gnu/libstdc++.so.6"}},
		{"base-debian13", []string{"/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/libssl.so.3"}, []string{"/usr/lib/x86_64-linux-gnu/libstdc++.so.6"}},
		{"cc-debian12", []string{"/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libgcc_s.so.1", "/usr/lib/x86_64-linux-gnu/libgomp.so.1"}, nil},
		{"cc-debian13", []string{"/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libgcc_s.so.1"}, nil},
		{"python3-debian13", []string{"/usr/bin/python3", "/usr/bin/python3.13", "/usr/lib/python3.13/os.py"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, map[string]string{
				"marker":     "x\n",
				"Dockerfile": "FROM gcr.io/distroless/" + tc.name + " AS runner\nCOPY marker /marker\n",
			})
			b := buildDockerfile(t, dir, nil)
			for _, p := range append([]string{"/marker"}, tc.present...) {
				if ok, err := b.Exists(p); err != nil || !ok {
					t.Errorf("%s missing (err=%v)", p, err)
				}
			}
			for _, p := range append(append([]string{}, noShell...), tc.absent...) {
				if ok, err := b.Exists(p); err != nil || ok {
					t.Errorf("%s present, want absent (err=%v)", p, err)
				}
			}
		})
	}
}

// TestDistrolessArm64 builds a file-only image for linux/arm64 FROM the
// arm64 variant of distroless static: no emulation is needed, and the
// result says arm64.
func TestDistrolessArm64(t *testing.T) {
	e := requireE2E(t)
	t.Parallel() // with the other real-build tests; run.sh sets -parallel
	for _, name := range []string{"static-debian12", "static-debian13"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, map[string]string{
				"marker":     "x\n",
				"Dockerfile": "FROM gcr.io/distroless/" + name + " AS runner\nCOPY marker /marker\n",
			})
			work := t.TempDir()
			log, err := e.daemon.Build(context.Background(), e.tools, harness.BuildRequest{
				ContextDir: dir, DockerfileDir: dir, Target: "runner", Platform: "linux/arm64",
				BuildArgs: map[string]string{harness.CheckErrorArg: "error=true"},
				OutputTar: filepath.Join(work, "image.tar"), Name: "wharf-e2e/arm64:latest",
			})
			if err != nil {
				t.Fatalf("%v\n%s", err, log)
			}
			im, err := harness.Unpack(context.Background(), filepath.Join(work, "image.tar"), work)
			if err != nil {
				t.Fatal(err)
			}
			if im.Config.Architecture != "arm64" || im.Config.OS != "linux" {
				t.Errorf("platform %s/%s, want linux/arm64", im.Config.OS, im.Config.Architecture)
			}
			if _, err := os.Stat(filepath.Join(im.Rootfs(), "marker")); err != nil {
				t.Error(err)
			}
		})
	}
}
