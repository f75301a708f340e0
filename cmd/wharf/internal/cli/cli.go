// Package cli implements the wharf command line.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf/spec"
)

// Exit codes.
const (
	ExitOK    = 0 // success; for check, everything is fresh
	ExitStale = 1 // check found generated files that differ from their spec; outdated found an image behind
	ExitError = 2 // invalid spec, bad usage, or an I/O error
)

// exitError carries an exit code; its message, if any, is printed by Run.
type exitError struct {
	code int
	err  error // nil when the command has printed everything already
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// Run runs the wharf command line with args and returns the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// wharf is a short-lived process that allocates much and keeps little
	// while it checks a monorepo: collecting garbage a quarter as often
	// saves a fifth of the CPU for a heap of ~50 MB at 10,000 specs (see
	// BENCHMARKS.md). A GOGC set by the user still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	defer onInterrupt()()
	root := newRoot()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var exit *exitError
	if errors.As(err, &exit) {
		if exit.err != nil {
			printError(stderr, exit.err)
		}
		return exit.code
	}
	printError(stderr, err)
	return ExitError
}

// printError prints spec problems one a line, as file:line:col: message,
// and other errors behind "wharf: ".
func printError(w io.Writer, err error) {
	var list spec.ErrorList
	if errors.As(err, &list) {
		fmt.Fprintln(w, list.Error())
		return
	}
	fmt.Fprintf(w, "wharf: %v\n", err)
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "wharf",
		Short: "Generate correct multi-stage Dockerfiles from a short YAML spec",
		Long: `wharf turns a declarative wharf.yaml into a multi-stage Dockerfile: a "builder"
stage that compiles, and a lean "runner" stage that receives only the artifacts.

Exit codes:
  0  success (for check: everything is fresh)
  1  check: a generated file is stale, missing or hand-edited;
     outdated: a pinned digest is behind its tag, or a newer tag exists
  2  invalid spec, bad usage, or an I/O error`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: ExitError, err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	root.AddCommand(newGenerate(), newValidate(), newCheck(), newLock(), newExplain(), newSchema(), newInit(), newImport(), newBake(), newAffected(), newOutdated())
	return root
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}

// printWarnings prints a spec's warnings to stderr.
func printWarnings(cmd *cobra.Command, s *spec.Spec) {
	for _, w := range s.Warnings {
		fmt.Fprintf(cmd.ErrOrStderr(), "%s:%d:%d: warning: %s\n", w.File, w.Line, w.Column, w.Msg)
	}
}

// printSkipped prints the folders a walk skipped, as warnings.
func printSkipped(cmd *cobra.Command, skipped []error) {
	for _, err := range skipped {
		fmt.Fprintf(cmd.ErrOrStderr(), "wharf: warning: %v\n", err)
	}
}

// invalid wraps an error as an exit with ExitError.
func invalid(err error) error { return &exitError{code: ExitError, err: err} }
