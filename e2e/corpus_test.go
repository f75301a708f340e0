package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wharf-dev/wharf/e2e/lint"
)

// corpusRuns are the apps of ../corpus that TestCorpus builds from `wharf
// init`'s proposal with no edits, and probes. The others are goldens-only
// (../corpus/README.md says why).
var corpusRuns = []struct {
	app string
	// path, for a server, is fetched with httpget inside the container on
	// the one port the image exposes (so the proposed port is checked
	// too) until a response arrives; want must be in its "STATUS\nBODY".
	path string
	// Without path the image's command runs once: it must exit with exit
	// and want must be in its stdout and stderr.
	exit int
	want string
	// pypi, for a Python app, is a dependency whose wheel the build must
	// have fetched from the PyPI stand-in (the spec names no index).
	pypi string
	// sqlite: the app compiles go-sqlite3 with cgo. Such builds run one at
	// a time, so that the second finds the compiled package in the Go
	// build cache mount instead of compiling SQLite again.
	sqlite bool
}{
	{app: "compose-fastapi", path: "/", want: "200 OK\n{\"Hello\":\"World\"}", pypi: "fastapi"},
	{app: "flask-tutorial", path: "/", want: "200 OK\nflaskr", pypi: "flask"},
	{app: "httpie-cli", want: "usage: httpie [METHOD] URL", pypi: "requests"},
	{app: "go-gin-example", path: "/", want: "200 OK\nok\n"},
	{app: "go-gin-realworld", path: "/api/ping", want: "200 OK\npong", sqlite: true},
	{app: "go-hey", exit: 1, want: "Usage: hey [options...] <url>"},
	{app: "go-tasks", path: "/", want: "200 OK\n<!doctype html><title>Tasks</title>", sqlite: true},
	{app: "express-boilerplate", path: "/v1/health", want: "200 OK\nok"},
	// The starter's module has no controller: Nest's Express adapter
	// answers every path with its JSON 404.
	{app: "nest-starter", path: "/", want: "404 Not Found\n{\"message\":\"Cannot GET /\""},
	{app: "node-heroku-getting-started", path: "/", want: "200 OK\n<h1>Getting Started</h1>"},
}

// TestCorpus copies each app of corpusRuns, runs `wharf init` in it (no
// edits to what it writes), builds the runner with the default images
// init proposes, runs it and probes it.
func TestCorpus(t *testing.T) {
	e := requireE2E(t)
	t.Parallel() // with the other real-build tests; run.sh sets -parallel
	if e.wharfErr != nil {
		t.Fatalf("wharf CLI unavailable: %v", e.wharfErr)
	}
	for _, c := range corpusRuns {
		t.Run(c.app, func(t *testing.T) {
			t.Parallel()
			dir := initApp(t, filepath.Join("..", "corpus", c.app))
			b := func() *built {
				if c.sqlite {
					sqliteBuild.Lock()
					defer sqliteBuild.Unlock() // also when the build fails (t.Fatal)
				}
				return buildTarget(t, dir, "runner", nil, nil)
			}()
			if c.pypi != "" && !slices.ContainsFunc(e.index.Requests(), func(r string) bool {
				return strings.HasPrefix(r, "200 GET /pypi/files/") && strings.Contains(strings.ToLower(r), "/"+c.pypi+"-")
			}) {
				t.Errorf("no %s wheel was fetched from the PyPI stand-in; requests: %q", c.pypi, e.index.Requests())
			}
			if c.path == "" {
				r := run(t, b)
				if out := r.Stdout + r.Stderr; r.ExitCode != c.exit || !strings.Contains(out, c.want) {
					t.Errorf("run: exit %d, output %q; want exit %d and %q", r.ExitCode, out, c.exit, c.want)
				}
				return
			}
			ports := b.ExposedPorts()
			if len(ports) != 1 {
				t.Fatalf("the image exposes %q; want one port to probe", ports)
			}
			port, _, _ := strings.Cut(ports[0], "/")
			r := serve(t, b, []string{installHTTPGet(t, b.Rootfs()), "http://127.0.0.1:" + port + c.path})
			if !strings.Contains(r.Stdout, c.want) {
				t.Errorf("probe output %q does not contain %q", r.Stdout, c.want)
			}
		})
	}
}

// initApp copies the app folder to a temp folder, runs `wharf init` there
// and requires the Dockerfile it writes to pass BuildKit's lint. It
// returns the copy.
func initApp(t *testing.T, app string) string {
	t.Helper()
	e := requireE2E(t)
	dir := filepath.Join(t.TempDir(), filepath.Base(app))
	if out, err := exec.Command("cp", "-a", app, dir).CombinedOutput(); err != nil {
		t.Fatalf("copy: %v\n%s", err, out)
	}
	cmd := exec.Command(e.wharf, "init", dir)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("wharf init: %v\n%s", err, out)
	}
	t.Logf("wharf init:\n%s", out)
	lintFile(t, filepath.Join(dir, "Dockerfile"))
	return dir
}

// lintFile requires the Dockerfile at path to pass BuildKit's checks.
func lintFile(t *testing.T, path string) {
	t.Helper()
	df, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := lint.Dockerfile(context.Background(), path, df)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("lint: %s (%s)", w, w.URL)
	}
}

// sqliteBuild serializes the builds of corpusRuns' sqlite apps.
var sqliteBuild sync.Mutex

var httpGet struct {
	once sync.Once
	path string
	err  error
}

// installHTTPGet puts a static build of ./internal/httpget into the
// unpacked rootfs (the bundle runc runs, not the image) and returns its
// path in the container: a probe for runners with no shell or client.
func installHTTPGet(t *testing.T, rootfs string) string {
	t.Helper()
	httpGet.once.Do(func() {
		start := time.Now()
		httpGet.path = filepath.Join(env.tmp, "httpget")
		cmd := exec.Command("go", "build", "-trimpath", "-o", httpGet.path, "./internal/httpget")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			httpGet.err = err
			t.Logf("go build ./internal/httpget:\n%s", out)
		}
		t.Logf("built httpget in %s", time.Since(start).Round(time.Millisecond))
	})
	if httpGet.err != nil {
		t.Fatalf("httpget: %v", httpGet.err)
	}
	const inContainer = "/.wharf-e2e-httpget"
	b, err := os.ReadFile(httpGet.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rootfs, inContainer), b, 0o755); err != nil {
		t.Fatal(err)
	}
	return inContainer
}
