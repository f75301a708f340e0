package cli

import "github.com/spf13/cobra"

// addTemplatesFlag binds --templates, which overrides the spec's templates.
func addTemplatesFlag(cmd *cobra.Command, dir *string) {
	cmd.Flags().StringVar(dir, "templates", "", "a folder of *.tmpl files overriding built-in template blocks (instead of the spec's templates:)")
}
