package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/wharf-dev/wharf/cmd/wharf/internal/cli"
	"github.com/wharf-dev/wharf/internal/golden"
	"github.com/wharf-dev/wharf/internal/registry/registrytest"
)

// exitCodeFile records the last wharf exit code inside a script's TMPDIR,
// so that the status command can assert it.
const exitCodeFile = "wharf-exit-code"

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"wharf": func() {
			code := cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
			_ = os.WriteFile(filepath.Join(os.Getenv("TMPDIR"), exitCodeFile), []byte(strconv.Itoa(code)), 0o644)
			os.Exit(code)
		},
	})
}

// TestScripts runs the CLI scripts in testdata/script: exit codes, output
// and files written, one txtar file a scenario. With -update, a cmp
// against a file of the script rewrites that file in the script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       golden.Update(),
		Condition: func(cond string) (bool, error) {
			if cond == "root" { // permissions do not stop root
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Setup: startRegistry,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status":   status,
			"replace":  replace,
			"push":     push,
			"envsubst": envsubst,
			"mtime":    mtime,
			"stop-registry": func(ts *testscript.TestScript, neg bool, args []string) {
				ts.Value(registryKey{}).(*registrytest.Registry).Close()
			},
		},
	})
}

// startRegistry starts a registry for the script, on loopback, and names
// its host:port in $REGISTRY.
func startRegistry(env *testscript.Env) error {
	r := registrytest.Start(nil)
	env.Defer(r.Close)
	env.Values[registryKey{}] = r
	env.Setenv("REGISTRY", r.Host)
	return nil
}

type registryKey struct{}

// push REPO:TAG [PLATFORM...] pushes a new random image to the script's
// registry: an index of the platforms when there are several, else an
// image of the one (default linux/amd64).
func push(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: push REPO:TAG [PLATFORM...]")
	}
	r := ts.Value(registryKey{}).(*registrytest.Registry)
	var err error
	switch len(args) {
	case 1:
		_, err = r.PushImage(args[0], "linux/amd64")
	case 2:
		_, err = r.PushImage(args[0], args[1])
	default:
		_, err = r.PushIndex(args[0], args[1:]...)
	}
	ts.Check(err)
}

// envsubst FILE... replaces $VAR and ${VAR} in files with the script's
// environment, e.g. to put $REGISTRY into a spec.
func envsubst(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: envsubst FILE...")
	}
	for _, f := range args {
		data, err := os.ReadFile(ts.MkAbs(f))
		ts.Check(err)
		ts.Check(os.WriteFile(ts.MkAbs(f), []byte(os.Expand(string(data), ts.Getenv)), 0o644))
	}
}

// mtime OFFSET FILE... sets the files' modification times to now plus
// OFFSET (a Go duration: -1h for files an earlier run left, 1h for files
// of a run still going).
func mtime(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: mtime OFFSET FILE...")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	t := time.Now().Add(d)
	for _, f := range args[1:] {
		ts.Check(os.Chtimes(ts.MkAbs(f), t, t))
	}
}

// status N asserts that the last wharf command exited with code N.
func status(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: status CODE")
	}
	data, err := os.ReadFile(filepath.Join(ts.Getenv("TMPDIR"), exitCodeFile))
	ts.Check(err)
	if got := strings.TrimSpace(string(data)); got != args[0] {
		ts.Fatalf("wharf exited with %s, want %s", got, args[0])
	}
}

// replace FILE OLD NEW replaces every OLD in FILE with NEW, which must
// change the file; NEW may be empty.
func replace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	name := ts.MkAbs(args[0])
	data, err := os.ReadFile(name)
	ts.Check(err)
	if !strings.Contains(string(data), args[1]) {
		ts.Fatalf("%s does not contain %q", args[0], args[1])
	}
	ts.Check(os.WriteFile(name, []byte(strings.ReplaceAll(string(data), args[1], args[2])), 0o644))
}
