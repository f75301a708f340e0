package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf"
	"github.com/wharf-dev/wharf/internal/workspace"
)

func newValidate() *cobra.Command {
	var templates string
	cmd := &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check specs without writing anything",
		Long: `validate reads a spec (PATH is a wharf.yaml file, or a folder holding one;
default ".") and reports every problem in it, each as file:line:column, with
what to change. It also renders the Dockerfile in memory, so a spec that
validates also generates. Warnings (such as secret-looking ENV names) are
printed but do not fail validation.

"./..." or "dir/..." stands for every wharf.yaml below that folder, found
as check finds them (skipping .git, node_modules, vendor, hidden folders,
and what .wharfignore and .gitignore exclude). Every spec is validated,
even after a broken one: each valid spec prints "PATH: ok", the problems
go to stderr, and with more than one spec a summary line ends the output.
Exit codes: 0 every spec is valid, 2 a spec is invalid or cannot be read.`,
		Example: `  wharf validate
  wharf validate services/api/wharf.yaml
  wharf validate ./...
  wharf validate services/api services/web`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(cmd, templates, args)
		},
	}
	addTemplatesFlag(cmd, &templates)
	return cmd
}

func runValidate(cmd *cobra.Command, templates string, args []string) error {
	specs, _, skipped, err := workspace.ExpandListings(args)
	if err != nil {
		return invalid(err)
	}
	printSkipped(cmd, skipped)
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	cache := &wharf.Cache{}
	var ok, bad int
	type result struct {
		r   *wharf.Result
		err error
	}
	workspace.Each(len(specs), func(i int) result {
		r, err := wharf.Generate(specs[i], wharf.Options{Templates: templates, Cache: cache})
		return result{r, err}
	}, func(i int, res result) {
		if res.err != nil {
			bad++
			printError(errOut, res.err)
			return
		}
		ok++
		for _, w := range append(res.r.Warnings, res.r.LockProblems...) {
			fmt.Fprintf(errOut, "%s:%d:%d: warning: %s\n", w.File, w.Line, w.Column, w.Msg)
		}
		fmt.Fprintf(out, "%s: ok\n", res.r.Spec.File)
	})
	if len(specs) > 1 {
		fmt.Fprintln(out, validateSummary(ok, bad))
	}
	if bad > 0 {
		return &exitError{code: ExitError}
	}
	return nil
}

// validateSummary is the summary line: "1 error, 4 ok", leaving out zero
// counts.
func validateSummary(ok, bad int) string {
	switch {
	case bad == 0:
		return fmt.Sprintf("%d ok", ok)
	case ok == 0:
		return count(bad, "error", "errors")
	}
	return count(bad, "error", "errors") + fmt.Sprintf(", %d ok", ok)
}
