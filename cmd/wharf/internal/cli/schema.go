package cli

import (
	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf/spec"
)

func newSchema() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of wharf.yaml",
		Long: `schema prints the JSON Schema (draft 2020-12) of the spec, with a description,
allowed values and the default of every key, for editors that complete and
check YAML. Specs that wharf init writes name the published copy on their
first line:

  # yaml-language-server: $schema=` + spec.SchemaURL + `

wharf validate remains the judge: it also checks what a schema cannot say,
such as a builder and runner with different C libraries.`,
		Example: `  wharf schema > wharf.schema.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := spec.Schema()
			if err != nil {
				return invalid(err)
			}
			_, err = cmd.OutOrStdout().Write(data)
			return err
		},
	}
}
