package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf"
	"github.com/wharf-dev/wharf/internal/bake"
	"github.com/wharf-dev/wharf/internal/workspace"
)

type affectedOptions struct {
	since  string
	format string
}

func newAffected() *cobra.Command {
	var opts affectedOptions
	cmd := &cobra.Command{
		Use:   "affected --since REF [PATH...]",
		Short: "List the specs whose image inputs changed since a git revision",
		Long: `affected lists the specs whose images may differ from those built at the
commit REF, comparing REF with the working tree (staged, unstaged and
untracked files, as git sees them). PATH is as for check (default "./...").

A spec is affected by a changed, added, removed or renamed file that is:
  spec       the spec file
  extends    a base it extends, directly or not
  templates  a file in its custom template folder
  lock       its wharf.lock
  build      its Dockerfile, or the ignore file BuildKit reads for it
  context    any other file in its build context that the ignore file does
             not exclude (BuildKit's .dockerignore rules)

git runs as the git command: REF is resolved as your git resolves it
(origin/main, a tag, HEAD~1). In a shallow CI checkout fetch REF first.

--format text (default) prints the spec paths, one a line; json prints
  {"since": "origin/main",
   "specs": [{"path": "services/api/wharf.yaml", "name": "api",
              "target": "api",
              "reasons": [{"file": "services/api/main.go", "why": "context"}]}]}
bake-targets prints the bake target names on one line, separated by
spaces (empty when nothing is affected), for docker buildx bake.

Exit codes: 0 (whether or not anything is affected), 2 a spec is invalid,
git fails or REF is not a commit.`,
		Example: `  wharf affected --since origin/main ./...
  docker buildx bake $(wharf affected --since origin/main --format bake-targets)
  wharf affected --since v1.4.0 --format json services/...`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAffected(cmd, opts, args)
		},
	}
	cmd.Flags().StringVar(&opts.since, "since", "", "the git revision to compare the working tree with (required)")
	cmd.Flags().StringVar(&opts.format, "format", "text", `output format: "text", "json" or "bake-targets"`)
	return cmd
}

func runAffected(cmd *cobra.Command, opts affectedOptions, args []string) error {
	switch opts.format {
	case "text", "json", "bake-targets":
	default:
		return invalid(fmt.Errorf("--format takes \"text\", \"json\" or \"bake-targets\", not %q", opts.format))
	}
	if opts.since == "" {
		return invalid(fmt.Errorf("--since REF is required: the commit the images were last built at, e.g. --since origin/main"))
	}
	if len(args) == 0 {
		args = []string{"./..."}
	}
	_, changed, err := bake.Git{Dir: "."}.Changes(opts.since)
	if err != nil {
		return invalid(err)
	}
	specs, _, skipped, err := workspace.ExpandListings(args)
	if err != nil {
		return invalid(err)
	}
	printSkipped(cmd, skipped)
	affected, err := bake.FindAffected(specs, changed, &wharf.Cache{})
	if err != nil {
		return invalid(err)
	}
	out := cmd.OutOrStdout()
	switch opts.format {
	case "text":
		for _, a := range affected {
			fmt.Fprintln(out, workspace.Display(a.File))
		}
	case "bake-targets":
		names := make([]string, len(affected))
		for i, a := range affected {
			names[i] = bake.TargetName(a.Name)
		}
		fmt.Fprintln(out, strings.Join(names, " "))
	case "json":
		report := affectedReport{Since: opts.since, Specs: []affectedSpec{}}
		for _, a := range affected {
			js := affectedSpec{Path: filepath.ToSlash(workspace.Display(a.File)), Name: a.Name, Target: bake.TargetName(a.Name)}
			for _, r := range a.Reasons {
				js.Reasons = append(js.Reasons, affectedReason{File: r.File, Why: r.Why})
			}
			report.Specs = append(report.Specs, js)
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	return nil
}

// affectedReport is affected's JSON output; see the command's help.
type affectedReport struct {
	Since string         `json:"since"`
	Specs []affectedSpec `json:"specs"`
}

type affectedSpec struct {
	Path    string           `json:"path"`
	Name    string           `json:"name"`
	Target  string           `json:"target"`
	Reasons []affectedReason `json:"reasons"`
}

type affectedReason struct {
	File string `json:"file"`
	Why  string `json:"why"`
}
