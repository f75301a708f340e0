package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wharf-dev/wharf/e2e/harness"
)

// These tests build hand-written Dockerfiles, so the harness and the base
// images are proven without the wharf CLI.

// writeTree writes files (path -> content) under a new temp folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const helloGo = `package main

import (
	"fmt"
	"net"
	"os"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-health" {
		return
	}
	_, err := os.Stat("/bin/sh")
	ifaces, _ := net.Interfaces()
	var names []string
	for _, i := range ifaces {
		names = append(names, i.Name)
	}
	wd, _ := os.Getwd()
	fmt.Printf("hello from go\nshell: %v\nuid: %d\ninterfaces: %v\ncwd: %s\nssl: %s\n",
		err == nil, os.Getuid(), names, wd, os.Getenv("SSL_CERT_FILE"))
}
`

func TestBaseImages(t *testing.T) {
	requireE2E(t)
	t.Parallel() // with the other real-build tests; run.sh sets -parallel
	tests := []struct {
		name    string
		files   map[string]string
		expect  harness.Expect
		process func(t *testing.T, b *built)
	}{
		{
			// golang builder, distroless runner (via the gcr.io mirror),
			// a `# syntax=` line that must be ignored, and image config.
			name: "go-distroless",
			files: map[string]string{
				"go.mod":  "module hello\n\ngo 1.26\n",
				"main.go": helloGo,
				"Dockerfile": `# syntax=docker/dockerfile:1
FROM golang:1.26-trixie AS builder
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -o /out/hello . && test "$GOPATH" = /go

FROM gcr.io/distroless/static-debian13 AS runner
COPY --from=builder /out/hello /usr/local/bin/hello
USER 65532:65532
WORKDIR /home/nonroot
EXPOSE 8080
LABEL org.example.case="go-distroless"
HEALTHCHECK CMD ["/usr/local/bin/hello", "-health"]
ENTRYPOINT ["/usr/local/bin/hello"]
`,
			},
			expect: harness.Expect{
				Stdout:       "hello from go\nshell: false\nuid: 65532\ninterfaces: [lo]\ncwd: /home/nonroot\nssl: /etc/ssl/certs/ca-certificates.crt\n",
				User:         "65532",
				FilesPresent: []string{"/usr/local/bin/hello", "/etc/ssl/certs/ca-certificates.crt", "/etc/passwd"},
				FilesAbsent:  []string{"/bin/sh", "/bin", "/usr/bin", "/src", "/usr/lib/go"},
				Labels:       map[string]string{"org.example.case": "go-distroless"},
				Healthcheck:  []string{"CMD", "/usr/local/bin/hello", "-health"},
				Expose:       []string{"8080/tcp"},
			},
		},
		{
			// pip builds a wheel (setuptools from the PyPI stand-in that
			// the image's pip.conf names) and installs it into the system
			// site-packages (no EXTERNALLY-MANAGED); there is no gcc.
			name: "python",
			files: map[string]string{
				"pyproject.toml":    "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"hello\"\nversion = \"0.1.0\"\n",
				"hello/__init__.py": "",
				"hello/__main__.py": "import os, sys\nprint(f'hello from python {sys.version_info[0]}.{sys.version_info[1]}')\nprint(f'uid: {os.getuid()}')\n",
				"Dockerfile": `FROM python:3.13-slim AS builder
WORKDIR /src
COPY . .
RUN pip wheel --no-deps -w /wheels .

FROM python:3.13-slim AS runner
COPY --from=builder /wheels /wheels
RUN pip install --no-index /wheels/*.whl && rm -rf /wheels
USER 10001
CMD ["python", "-m", "hello"]
`,
			},
			expect: harness.Expect{
				Stdout:      "hello from python 3.13\nuid: 10001\n",
				User:        "10001",
				FilesAbsent: []string{"/usr/bin/gcc", "/usr/bin/cc", "/wheels", "/src"},
				Env:         map[string]string{"LANG": "C.UTF-8"},
			},
		},
		{
			// The node image's entrypoint runs `node index.js` for a CMD
			// that is not a command, as user node (1000); npm's own
			// dependencies are not resolvable from an app.
			name: "node",
			files: map[string]string{
				"index.js": "let m = 'absent'; try { require.resolve('strip-json-comments'); m = 'present' } catch {}\n" +
					"console.log(`hello from node ${process.versions.node.split('.')[0]}`);\nconsole.log(`uid: ${process.getuid()}`);\nconsole.log(`strip-json-comments: ${m}`);\n",
				"Dockerfile": `FROM node:24-trixie-slim AS runner
WORKDIR /app
COPY index.js ./
USER node
CMD ["index.js"]
`,
			},
			expect: harness.Expect{
				Stdout:       "hello from node 24\nuid: 1000\nstrip-json-comments: absent\n",
				User:         "1000",
				FilesPresent: []string{"/app/index.js", "/usr/local/bin/docker-entrypoint.sh", "/usr/local/bin/npm", "/usr/local/lib/node_modules/npm/package.json"},
			},
		},
		{
			// apt-get works inside a build from debian:bookworm-slim.
			name: "debian-apt",
			files: map[string]string{
				"Dockerfile": `FROM debian:bookworm-slim AS runner
RUN apt-get update && apt-get install -y --no-install-recommends hello && rm -rf /var/lib/apt/lists/*
CMD ["hello"]
`,
			},
			expect: harness.Expect{
				Stdout:       "Hello, world!\n",
				User:         "0",
				FilesPresent: []string{"/usr/bin/hello"},
				FilesAbsent:  []string{"/usr/share/doc/hello/README"}, // the -slim dpkg excludes
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := buildDockerfile(t, writeTree(t, tc.files), nil)
			res := run(t, b)
			for _, msg := range tc.expect.Check(b.Image, res) {
				t.Error(msg)
			}
		})
	}
}

// TestCheckWarningFailsBuild proves BUILDKIT_DOCKERFILE_CHECK=error=true
// turns a lint warning into a failed build, and that the same Dockerfile
// builds without it.
func TestCheckWarningFailsBuild(t *testing.T) {
	e := requireE2E(t)
	dir := writeTree(t, map[string]string{
		"Dockerfile": "FROM debian:bookworm-slim as runner\nCMD [\"true\"]\n",
	})
	req := harness.BuildRequest{
		ContextDir: dir, DockerfileDir: dir, Target: "runner",
		OutputTar: filepath.Join(t.TempDir(), "image.tar"),
	}

	req.BuildArgs = map[string]string{harness.CheckErrorArg: "error=true"}
	log, err := e.daemon.Build(context.Background(), e.tools, req)
	if err == nil {
		t.Fatalf("build with a FromAsCasing warning and %s=error=true succeeded; log:\n%s", harness.CheckErrorArg, log)
	}
	if !strings.Contains(log, "FromAsCasing") {
		t.Errorf("failed build log does not name FromAsCasing:\n%s", log)
	}

	req.BuildArgs = nil
	log, err = e.daemon.Build(context.Background(), e.tools, req)
	if err != nil {
		t.Fatalf("same Dockerfile without check=error failed: %v\n%s", err, log)
	}
	if !strings.Contains(log, "FromAsCasing") {
		t.Errorf("build log does not warn about FromAsCasing:\n%s", log)
	}
}

// TestRunReportsExitStatus proves a failing process is seen as failing.
func TestRunReportsExitStatus(t *testing.T) {
	b := buildDockerfile(t, writeTree(t, map[string]string{
		"Dockerfile": "FROM debian:bookworm-slim AS runner\nCMD [\"sh\", \"-c\", \"echo out; echo err >&2; exit 3\"]\n",
	}), nil)
	res := run(t, b)
	if res.ExitCode != 3 || res.Stdout != "out\n" || res.Stderr != "err\n" {
		t.Fatalf("run = %+v, want exit 3, stdout out, stderr err", res)
	}
	exp := harness.Expect{Stdout: "out\n"}
	if msgs := exp.Check(b.Image, res); !slices.ContainsFunc(msgs, func(m string) bool { return strings.HasPrefix(m, "exit status 3") }) {
		t.Errorf("Check did not flag exit 3: %q", msgs)
	}
}
