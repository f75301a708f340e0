package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf"
	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/internal/atomicfile"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

type initOptions struct {
	language string
}

func newInit() *cobra.Command {
	var opts initOptions
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a wharf.yaml for a project, then its Dockerfile and .dockerignore",
		Long: `init looks at the project in DIR (default ".") to tell its language and
what its build needs: pyproject.toml, setup.py or requirements*.txt for
Python; go.mod and its main packages for Go; package.json and its lockfile
for Node. It writes a commented wharf.yaml, then generates the Dockerfile
and .dockerignore from it, as wharf generate does.

init never overwrites a file: if any of the three exists it writes nothing.
It asks nothing; when the project holds files of more than one language,
--language chooses.`,
		Example: `  wharf init
  wharf init services/api
  wharf init --language go    # a Go service with a package.json for tooling`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd, opts, pathArg(args))
		},
	}
	cmd.Flags().StringVar(&opts.language, "language", "", "the project's language (python, go or node), instead of detecting it")
	return cmd
}

func runInit(cmd *cobra.Command, opts initOptions, dir string) error {
	lang := opts.language
	if _, known := spec.LookupLanguage(lang); lang != "" && !known {
		return invalid(fmt.Errorf("--language %q is not supported; use %s", opts.language, languageList()))
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return invalid(fmt.Errorf("init %s: not a folder; pass the project's folder", dir))
	}
	// The proposal keeps the default output, so these are the files init
	// writes; check them first: an existing spec matters more than what
	// detection would say.
	var existing []string
	for _, name := range []string{spec.FileName, "Dockerfile", generate.DockerignorePath("Dockerfile")} {
		target := filepath.Join(dir, name)
		if _, err := os.Lstat(target); err == nil {
			existing = append(existing, target)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return invalid(err)
		}
	}
	if len(existing) > 0 {
		verb, advice := "exists", "move it aside and run init again"
		if len(existing) > 1 {
			verb, advice = "exist", "move them aside and run init again"
		}
		if existing[0] == filepath.Join(dir, spec.FileName) {
			advice = "the project has a spec already: edit it and run wharf generate"
		}
		list := strings.Join(existing, ", ")
		if n := len(existing); n > 1 {
			list = strings.Join(existing[:n-1], ", ") + " and " + existing[n-1]
		}
		return invalid(fmt.Errorf("%s already %s; wharf init never overwrites a file and wrote nothing: %s", list, verb, advice))
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return invalid(err)
	}
	proposal, err := detect.Detect(os.DirFS(dir), filepath.Base(abs), lang)
	if err != nil {
		return invalid(fmt.Errorf("init %s: %w", dir, err))
	}

	specPath := filepath.Join(dir, spec.FileName)
	data := proposal.YAML()
	s, err := spec.Parse(specPath, data)
	if err != nil {
		return invalid(proposalError(specPath, err))
	}
	r, err := wharf.Complete(s, wharf.Options{}) // as generate does, should a wharf.lock be there
	if err != nil {
		return invalid(err)
	}
	files := r.Files
	writes := []generate.File{{Path: spec.FileName, Data: data}}
	writes = append(writes, files...)

	for _, f := range writes {
		target := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := writeNewFile(target, f.Data); err != nil {
			return invalid(err)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", target)
	}
	for _, note := range proposal.Notes {
		fmt.Fprintf(cmd.ErrOrStderr(), "wharf: note: %s\n", note)
	}
	return nil
}

// proposalError explains why the spec init proposed for specPath is not
// valid: what detection found in the project that a spec cannot name
// (a main package in a folder with a space, say). The problems are not
// given as positions in specPath, which init has not written.
func proposalError(specPath string, err error) error {
	var list spec.ErrorList
	if !errors.As(err, &list) {
		return fmt.Errorf("wharf init proposed an invalid spec (a bug; please report it): %w", err)
	}
	msgs := make([]string, len(list))
	for i, e := range list {
		msgs[i] = "  " + e.Msg
	}
	return fmt.Errorf("init: the project has what a spec cannot name, so wharf init wrote nothing (not even %s):\n%s\nrename what these name, or write %s by hand (wharf schema describes it)",
		specPath, strings.Join(msgs, "\n"), specPath)
}

// writeNewFile writes name atomically, failing if it exists.
func writeNewFile(name string, data []byte) error {
	err := atomicfile.Create(name, data)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; wharf init never overwrites a file", name)
	}
	return err
}

// languageList is "python, go or node": the registered languages.
func languageList() string {
	var names []string
	for _, l := range spec.Languages() {
		names = append(names, l.Name())
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
