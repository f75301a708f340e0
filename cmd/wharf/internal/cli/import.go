package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf/internal/atomicfile"
	"github.com/wharf-dev/wharf/internal/dockerfile"
	"github.com/wharf-dev/wharf/spec"
)

type importOptions struct {
	output   string
	language string
}

func newImport() *cobra.Command {
	var opts importOptions
	cmd := &cobra.Command{
		Use:   "import [DOCKERFILE]",
		Short: "Print the wharf.yaml that a hand-written Dockerfile proposes",
		Long: `import reads DOCKERFILE (default "Dockerfile") with BuildKit's parser and
prints the wharf.yaml that wharf init would write beside it: what the
Dockerfile says (images, packages, ports, command, environment, user,
healthcheck, labels, copied files) ahead of what detection finds in the
Dockerfile's folder, which is the spec's build context. Every instruction
that no key holds is listed as a comment with its line; values that look
like secrets are left out.

import writes nothing unless -o names a file, which must not exist. A
Dockerfile that BuildKit cannot parse, one with no FROM, or a FROM whose
ARG has no default, is an error at its file:line:column (exit 2).`,
		Example: `  wharf import
  wharf import services/api/Dockerfile
  wharf import -o services/api/wharf.yaml services/api/Dockerfile`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := "Dockerfile"
			if len(args) == 1 {
				name = args[0]
			}
			return runImport(cmd, opts, name)
		},
	}
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "write the spec to this file (which must not exist) instead of printing it")
	cmd.Flags().StringVar(&opts.language, "language", "", "the project's language (python, go or node), instead of detecting it")
	return cmd
}

func runImport(cmd *cobra.Command, opts importOptions, name string) error {
	if _, known := spec.LookupLanguage(opts.language); opts.language != "" && !known {
		return invalid(fmt.Errorf("--language %q is not supported; use %s", opts.language, languageList()))
	}
	info, err := os.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return invalid(fmt.Errorf("import %s: no such file; pass the Dockerfile's path", name))
	case err != nil:
		return invalid(err)
	case info.IsDir():
		return invalid(fmt.Errorf("import %s: a folder; pass the Dockerfile's path (e.g. %s)", name, filepath.Join(name, "Dockerfile")))
	}
	df, err := readDockerfile(name)
	if err != nil {
		var de *dockerfile.Error
		if errors.As(err, &de) {
			fmt.Fprintln(cmd.ErrOrStderr(), de.Error())
			return &exitError{code: ExitError}
		}
		return invalid(err)
	}
	dir := filepath.Dir(name)
	p, err := propose(dir, opts.language, df, filepath.Base(name)+".wharf")
	if err != nil {
		return invalid(fmt.Errorf("import %s: %w", name, err))
	}
	data, _, err := render(nil, filepath.Join(dir, spec.FileName), p)
	if err != nil {
		return err
	}
	if opts.output == "" {
		_, err := cmd.OutOrStdout().Write(data)
		return err
	}
	if err := atomicfile.Create(opts.output, data); errors.Is(err, fs.ErrExist) {
		return invalid(fmt.Errorf("%s already exists; wharf import never overwrites a file: remove it or pass another -o", opts.output))
	} else if err != nil {
		return invalid(err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", opts.output)
	return nil
}
