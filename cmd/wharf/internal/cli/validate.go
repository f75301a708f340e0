package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newValidate() *cobra.Command {
	var templates string
	cmd := &cobra.Command{
		Use:   "validate [PATH]",
		Short: "Check a spec without writing anything",
		Long: `validate reads a spec (PATH is a wharf.yaml file, or a folder holding one;
default ".") and reports every problem in it, each as file:line:column, with
what to change. It also renders the Dockerfile in memory, so a spec that
validates also generates. Warnings (such as secret-looking ENV names) are
printed but do not fail validation.`,
		Example: `  wharf validate
  wharf validate services/api/wharf.yaml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := load(cmd, pathArg(args), templates)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok\n", s.File)
			return nil
		},
	}
	addTemplatesFlag(cmd, &templates)
	return cmd
}
