package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/wharf-dev/wharf/cmd/wharf/internal/cli"
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
// and files written, one txtar file a scenario.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status":  status,
			"replace": replace,
		},
	})
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
