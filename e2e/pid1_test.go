package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wharf-dev/wharf/e2e/harness"
)

// stopWithin is how soon a server with tini as PID 1 must exit after
// runc kill TERM; stopGrace is how long one without an init is given,
// docker stop's default grace period before it sends SIGKILL.
const stopWithin, stopGrace = 2 * time.Second, 10 * time.Second

// TestPID1 sends SIGTERM to the init process of a running Node and Python
// server, as docker stop does. Neither app handles SIGTERM: Node and
// Python exit on it by default, but the kernel gives PID 1 no default
// handlers, so the signal only works when something else is PID 1. With
// runtime.init: tini (wharf's default for both) tini forwards it and the
// container must exit within stopWithin; with init: none the app is PID 1
// and the container must still be running after stopGrace, when docker
// would kill it.
func TestPID1(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	servers := []struct {
		name, dir string
		probe     []string
		edit      func(spec string) string
	}{
		{
			name: "node", dir: "cases/node-yarn4",
			probe: []string{"node", "-e", "fetch('http://127.0.0.1:3000/').then(r => r.status === 200 || process.exit(1))"},
		},
		{
			// The python-flask case's image with the standard library's
			// server as its command: gunicorn handles SIGTERM itself.
			name: "python", dir: "cases/python-flask",
			probe: []string{"python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/', timeout=5)"},
			edit: func(spec string) string {
				return replaceLine(t, spec, `  cmd: ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "2", "flaskdemo.app:app"]`, `  cmd: ["python3", "-m", "http.server", "8000"]`)
			},
		},
	}
	for _, srv := range servers {
		for _, init := range []string{"tini", "none"} {
			t.Run(srv.name+"-"+init, func(t *testing.T) {
				t.Parallel()
				exp, err := harness.LoadExpect(filepath.Join(srv.dir, "expect.yaml"))
				if err != nil {
					t.Fatal(err)
				}
				abs, err := filepath.Abs(srv.dir)
				if err != nil {
					t.Fatal(err)
				}
				b := buildCaseAt(t, abs, "", exp.Secrets, func(spec string) string {
					if srv.edit != nil {
						spec = srv.edit(spec)
					}
					return replaceLine(t, spec, "runtime:", "runtime:\n  init: "+init)
				})
				ep := b.Config.Config.Entrypoint
				if hasTini := len(ep) > 0 && strings.HasSuffix(ep[0], "/tini"); hasTini != (init == "tini") {
					t.Fatalf("init %s, but the image's entrypoint is %q", init, ep)
				}
				wait := stopWithin
				if init == "none" {
					wait = stopGrace
				}
				res, stop, err := b.ServeThenStop(context.Background(), srv.probe, 90*time.Second, "TERM", wait)
				if err != nil {
					t.Fatalf("serve: %v\nserver stdout:\n%s\nserver stderr:\n%s", err, res.Stdout, res.Stderr)
				}
				t.Logf("init %s: runc kill TERM: stopped %v after %s", init, stop.Stopped, stop.Took.Round(time.Millisecond))
				switch {
				case init == "tini" && !stop.Stopped:
					t.Errorf("with tini as PID 1 the container was still running %s after SIGTERM", stopWithin)
				case init == "none" && stop.Stopped:
					t.Errorf("with the app as PID 1 the container stopped on SIGTERM after %s; the README's reason for tini no longer holds", stop.Took.Round(time.Millisecond))
				}
			})
		}
	}
}

// replaceLine replaces the one line old of spec with new, failing t if
// old is not exactly one line of it.
func replaceLine(t *testing.T, spec, old, new string) string {
	t.Helper()
	lines := strings.Split(spec, "\n")
	n := 0
	for i, l := range lines {
		if l == old {
			lines[i] = new
			n++
		}
	}
	if n != 1 {
		t.Fatalf("spec has %d lines %q, want 1:\n%s", n, old, spec)
	}
	return strings.Join(lines, "\n")
}
