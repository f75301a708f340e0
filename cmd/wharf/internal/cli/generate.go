package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/lock"
	"github.com/wharf-dev/wharf/spec"
)

type generateOptions struct {
	output string
}

func newGenerate() *cobra.Command {
	var opts generateOptions
	cmd := &cobra.Command{
		Use:   "generate [PATH]",
		Short: "Write the Dockerfile and .dockerignore of a spec",
		Long: `generate reads a spec (PATH is a wharf.yaml file, or a folder holding one;
default ".") and writes its Dockerfile and .dockerignore next to it, at the
spec's output path. Files are replaced atomically; on any error nothing is written.`,
		Example: `  wharf generate                      # ./wharf.yaml
  wharf generate services/api         # services/api/wharf.yaml
  wharf generate -o - | docker build -f - .`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGenerate(cmd, opts, pathArg(args))
		},
	}
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", `"-" prints the Dockerfile to stdout instead of writing files`)
	return cmd
}

func runGenerate(cmd *cobra.Command, opts generateOptions, path string) error {
	if opts.output != "" && opts.output != "-" {
		return invalid(fmt.Errorf("--output takes only \"-\" (stdout); set output: in the spec to change where the Dockerfile is written"))
	}
	s, files, err := load(cmd, path)
	if err != nil {
		return err
	}
	if opts.output == "-" {
		_, err := cmd.OutOrStdout().Write(files[0].Data)
		return err
	}
	dir := filepath.Dir(s.File)
	for _, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(f.Path))
		if old, err := os.ReadFile(target); err == nil && bytes.Equal(old, f.Data) {
			continue
		}
		if err := writeFileAtomic(target, f.Data); err != nil {
			return invalid(err)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", target)
	}
	return nil
}

// load loads the spec at path, pins its base images to the lock beside it
// (if any), and generates its files.
func load(cmd *cobra.Command, path string) (*spec.Spec, []generate.File, error) {
	s, err := spec.Load(path)
	if err != nil {
		return nil, nil, invalid(err)
	}
	if err := lock.Apply(s); err != nil {
		return nil, nil, invalid(err)
	}
	printWarnings(cmd, s)
	files, err := generate.Files(s)
	if err != nil {
		return nil, nil, invalid(err)
	}
	return s, files, nil
}

func pathArg(args []string) string {
	if len(args) == 0 {
		return "."
	}
	return args[0]
}

// writeFileAtomic replaces name with data through a temporary file in the
// same folder, so readers see the old file or the new one, never a part.
func writeFileAtomic(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".wharf-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
