package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf"
	"github.com/wharf-dev/wharf/internal/atomicfile"
	"github.com/wharf-dev/wharf/internal/bake"
	"github.com/wharf-dev/wharf/internal/workspace"
)

type bakeOptions struct {
	config    string
	output    string
	force     bool
	variables map[string]string
}

func newBake() *cobra.Command {
	var opts bakeOptions
	cmd := &cobra.Command{
		Use:   "bake [PATH...]",
		Short: "Write a docker buildx bake file with one target per spec",
		Long: `bake writes a docker buildx bake file (docker-bake.json) with one target per
spec, so that one "docker buildx bake" builds every service concurrently on
any builder: the local one, a remote BuildKit, Kubernetes.

What the bake file covers and where it goes are kept in wharf.bake.yaml
(--config), so that "wharf check ./..." finds it and reports the bake file
fresh, stale, missing or hand-written like a Dockerfile. Without a config,
bake writes one covering PATH (default "./...", every spec below the current
folder) and -o (default docker-bake.json). With one, PATH, -o and --variable
must agree with it or be left out: edit the config to change them. Paths in the config
and in the bake file are relative to the config's folder; run docker buildx
bake there.

Each target is named after its spec's name ('.' becomes '_'); two specs with
one name are an error naming both. A target has:
  context     the spec's build context (its folder, or what context: names)
  dockerfile  the spec's output, relative to the context
  target      "runner"
  tags        from publish: {repository, tags} (set it once in a base spec),
              {name} the spec's name, {registry} and {version} the bake
              variables REGISTRY and VERSION (defaults from the config's
              variables, VERSION "dev"; CI sets them in the environment)
  platforms   the spec's platforms
  cache-from, cache-to  type=registry from publish.cache, mode=max
  args        the spec's build.args, and REVISION, CREATED, VERSION from
              the bake variables of those names for the runner's OCI
              labels (not one build.args passes or whose label
              runtime.labels sets); REVISION and SOURCE_DATE_EPOCH default
              to empty, CREATED to SOURCE_DATE_EPOCH as RFC 3339; bake reads
              each from the environment, and buildx passes
              SOURCE_DATE_EPOCH on by itself
  secret      each BuildKit secret the Dockerfile mounts, read from the
              environment variable of its id in upper case (pip_netrc from
              $PIP_NETRC)
  attest      type=provenance,mode=max: a SLSA provenance attestation
Groups: "default" holds every target, and each folder above the specs'
(below the config's) a group of the targets below it, named by its path
with '/' as '_' ("services", "teams_payments").

The file starts with a "//" property holding wharf's generated-file marker
(a comment to buildx). bake does not replace a file without it unless
--force. Nothing is written when a spec is invalid.`,
		Example: `  wharf bake                           # wharf.bake.yaml's specs, or ./... the first time
  wharf bake services/...              # a config covering services/ only
  wharf bake --config ci/wharf.bake.yaml
  docker buildx bake -f docker-bake.json --push`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBake(cmd, opts, args)
		},
	}
	cmd.Flags().StringVar(&opts.config, "config", bake.ConfigName, "the bake config to read, or to write when it does not exist")
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "where a new config puts the bake file, relative to its folder (default docker-bake.json)")
	cmd.Flags().BoolVar(&opts.force, "force", false, "replace a bake file that lacks wharf's marker")
	cmd.Flags().StringToStringVar(&opts.variables, "variable", nil, "a new config's default of a bake variable, REGISTRY=... or VERSION=... (repeatable)")
	return cmd
}

func runBake(cmd *cobra.Command, opts bakeOptions, args []string) error {
	out := cmd.OutOrStdout()
	created := false
	var c *bake.Config
	fresh, err := bake.NewConfig(opts.config, opts.output, args, opts.variables)
	if err != nil {
		return invalid(err)
	}
	switch existing, err := bake.LoadConfig(opts.config); {
	case err == nil:
		c = existing
		if len(args) > 0 && !slices.Equal(fresh.Specs, c.Specs) {
			return invalid(fmt.Errorf("%s covers %q, not %q; edit its specs, or run wharf bake without PATH", opts.config, c.Specs, fresh.Specs))
		}
		if opts.output != "" && fresh.Output != c.Output {
			return invalid(fmt.Errorf("%s writes %s, not %s; edit its output, or run wharf bake without -o", opts.config, c.Output, fresh.Output))
		}
		for k, v := range opts.variables {
			if c.Variables[k] != v {
				return invalid(fmt.Errorf("%s gives %s the default %q, not %q; edit its variables, or run wharf bake without --variable", opts.config, k, c.Variables[k], v))
			}
		}
	case !isNotExist(err):
		return invalid(err)
	default:
		c, created = fresh, true
	}
	status, n, err := bake.Write(c, &wharf.Cache{}, opts.force)
	if err != nil {
		return invalid(err)
	}
	if created { // only once the bake file could be written
		if err := atomicfile.Create(opts.config, c.Marshal()); err != nil {
			return invalid(err)
		}
		fmt.Fprintf(out, "wrote %s\n", workspace.Display(opts.config))
	}
	name := workspace.Display(c.OutputPath())
	if status == workspace.Fresh {
		fmt.Fprintf(out, "%s: up to date (%d targets)\n", name, n)
		return nil
	}
	fmt.Fprintf(out, "wrote %s (%d targets)\n", name, n)
	return nil
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
