package cli

import (
	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf/spec"
)

func newExplain() *cobra.Command {
	return &cobra.Command{
		Use:   "explain [PATH]",
		Short: "Print the effective spec, and where each value came from",
		Long: `explain reads a spec (PATH is a wharf.yaml file, or a folder holding one;
default ".") and prints the spec wharf generates from: the files it extends
merged in, and defaults filled in. Each value ends with a comment saying where
it came from: "# from ../base.yaml:7" (a file and line, relative to the spec's
folder) or "# default". The output is itself a valid spec.`,
		Example: `  wharf explain
  wharf explain services/api`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := spec.Load(pathArg(args))
			if err != nil {
				return invalid(err)
			}
			printWarnings(cmd, s)
			out, err := spec.Explain(s)
			if err != nil {
				return invalid(err)
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		},
	}
}
