package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf/internal/registry"
	"github.com/wharf-dev/wharf/internal/workspace"
	"github.com/wharf-dev/wharf/lock"
	"github.com/wharf-dev/wharf/outdated"
	"github.com/wharf-dev/wharf/spec"
)

type outdatedOptions struct {
	format   string
	insecure []string
	timeout  time.Duration
}

func newOutdated() *cobra.Command {
	var opts outdatedOptions
	cmd := &cobra.Command{
		Use:   "outdated [PATH...]",
		Short: "Report base images whose pin is behind their tag, and newer tags on their line",
		Long: `outdated asks each base image's registry, as wharf lock does, where the tag
points now and which tags it has, and reports without changing anything:

  - behind: wharf.lock pins a digest the tag no longer points to
    (wharf lock updates it);
  - newer tags on the image's line: the same variant and Debian line with a
    higher version (python:3.13-slim has 3.14-slim, not 3.14-alpine or
    3.14-slim-trixie; node:24-bookworm-slim has 26-bookworm-slim), and for a
    distroless image the next Debian releases (static-debian12 has
    static-debian13).

Each newer tag is checked against the spec as if it were written in place
of the image: one that the spec's checks would refuse (a Python version
the other stage lacks, a C library the other stage lacks) is reported
with the spec's own message, and, when the other stage's image moves
along on its own line and both together pass, with that image.

PATH is a wharf.yaml file, a folder holding one, or a pattern ("./...").
Images the spec pins itself (name@sha256:...) and scratch are not checked.

Registries are reached as wharf lock reaches them: the Docker config and
its credential helpers, HTTPS except loopback and --insecure-registry,
--timeout for each request. A registry that does not answer is an error,
never a hang.

Exit codes: 0 every image is current, 1 a pin is behind or a newer tag
exists, 2 a spec is invalid or a registry failed (2 wins over 1).

--format json prints one JSON object:
  {"specs": [{"path": "services/api/wharf.yaml",
              "images": [{"image": "python:3.13-slim",
                          "stages": ["builder", "runner"],
                          "default": true,
                          "status": "current" | "behind" | "unlocked",
                          "locked": "sha256:...", "digest": "sha256:...",
                          "newer": [{"image": "python:3.14-slim",
                                     "problem": "...", "with": "..."}]}],
              "errors": [{"file": "...", "line": 3, "column": 5, "message": "..."}]}],
   "behind": 1}
"behind" counts the images that are behind or have newer tags. "default"
is set for an image the spec does not name (the language's default);
"problem" for a newer tag the spec would refuse; "with" for the other
stage's image that makes it pass. "unlocked": no wharf.lock pins it.`,
		Example: `  wharf outdated                        # ./wharf.yaml
  wharf outdated ./...
  wharf outdated --format json ./... > outdated.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			return runOutdated(cmd, opts, args)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "text", `output format: "text" or "json"`)
	cmd.Flags().StringArrayVar(&opts.insecure, "insecure-registry", nil, "allow plain HTTP to this registry (host or host:port); repeatable")
	cmd.Flags().DurationVar(&opts.timeout, "timeout", registry.DefaultTimeout, "how long to wait for each registry request")
	return cmd
}

type jsonOutdated struct {
	Specs  []jsonOutdatedSpec `json:"specs"`
	Behind int                `json:"behind"`
}

type jsonOutdatedSpec struct {
	Path   string           `json:"path"`
	Images []outdated.Image `json:"images"`
	Errors []jsonError      `json:"errors,omitempty"`
}

func runOutdated(cmd *cobra.Command, opts outdatedOptions, paths []string) error {
	if opts.format != "text" && opts.format != "json" {
		return invalid(fmt.Errorf("--format takes \"text\" or \"json\", not %q", opts.format))
	}
	if opts.timeout <= 0 {
		return invalid(fmt.Errorf("--timeout must be positive, e.g. 30s"))
	}
	client := registry.New(registry.Options{
		Insecure:  opts.insecure,
		Timeout:   opts.timeout,
		UserAgent: "wharf/" + version(),
	})
	checker := &outdated.Checker{Registry: client, NotFound: func(err error) bool { return errors.Is(err, registry.ErrNotFound) }}
	paths, err := workspace.Expand(paths)
	if err != nil {
		return invalid(err)
	}
	var loader spec.Loader
	report := jsonOutdated{Specs: []jsonOutdatedSpec{}}
	failed := false
	out, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	for _, path := range paths {
		s, err := loader.Load(path)
		if err != nil {
			failed = true
			report.Specs = append(report.Specs, jsonOutdatedSpec{Path: workspace.Display(path), Images: []outdated.Image{}, Errors: problems(path, err)})
			if opts.format == "text" {
				printError(stderr, err)
			}
			continue
		}
		file := s.File
		images, err := checker.Check(cmd.Context(), s, func(m map[string]string) (*spec.Spec, error) {
			return loader.LoadWithImages(file, m)
		})
		js := jsonOutdatedSpec{Path: workspace.Display(file), Images: images}
		if js.Images == nil {
			js.Images = []outdated.Image{}
		}
		if err != nil {
			failed = true
			for _, e := range splitJoined(err) {
				js.Errors = append(js.Errors, jsonError{File: workspace.Display(file), Message: e.Error()})
				if opts.format == "text" {
					fmt.Fprintf(stderr, "wharf: %s: %v\n", workspace.Display(file), e)
				}
			}
		}
		for _, img := range images {
			if img.Behind() {
				report.Behind++
			}
			if opts.format == "text" {
				printOutdated(out, js.Path, s, img)
			}
		}
		report.Specs = append(report.Specs, js)
	}
	if opts.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return invalid(err)
		}
	} else if !failed {
		switch report.Behind {
		case 0:
			fmt.Fprintln(out, "every image is current")
		case 1:
			fmt.Fprintln(out, "1 image is behind or has a newer tag")
		default:
			fmt.Fprintf(out, "%d images are behind or have newer tags\n", report.Behind)
		}
	}
	switch {
	case failed:
		return &exitError{code: ExitError}
	case report.Behind > 0:
		return &exitError{code: ExitStale}
	}
	return nil
}

// printOutdated prints what outdated found for one image, one line a
// finding: path: image (stages): finding.
func printOutdated(w interface{ Write([]byte) (int, error) }, path string, s *spec.Spec, img outdated.Image) {
	head := fmt.Sprintf("%s: %s (%s", path, img.Ref, strings.Join(img.Stages, ", "))
	if img.Default {
		head += "; the language's default, set under images"
	}
	head += ")"
	switch img.Status {
	case outdated.Behind:
		fmt.Fprintf(w, "%s: behind: locked %s, the tag is at %s now; run: %s\n", head, img.Locked, img.Digest, lock.Command(s.File))
	case outdated.Unlocked:
		if len(img.Newer) == 0 {
			fmt.Fprintf(w, "%s: not locked (the tag is at %s)\n", head, img.Digest)
		}
	default:
		if len(img.Newer) == 0 {
			fmt.Fprintf(w, "%s: current\n", head)
		}
	}
	for _, n := range img.Newer {
		switch {
		case n.Problem == "":
			fmt.Fprintf(w, "%s: newer: %s\n", head, n.Ref)
		case n.With != "":
			fmt.Fprintf(w, "%s: newer: %s, together with %s (alone the spec would refuse it: %s)\n", head, n.Ref, n.With, n.Problem)
		default:
			fmt.Fprintf(w, "%s: newer: %s, but the spec would refuse it: %s\n", head, n.Ref, n.Problem)
		}
	}
}

// splitJoined returns the errors an errors.Join made, or err alone.
func splitJoined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
