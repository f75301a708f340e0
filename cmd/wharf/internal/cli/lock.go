package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf/internal/readfile"
	"github.com/wharf-dev/wharf/internal/registry"
	"github.com/wharf-dev/wharf/internal/workspace"
	"github.com/wharf-dev/wharf/lock"
	"github.com/wharf-dev/wharf/spec"
)

type lockOptions struct {
	image    string
	insecure []string
	timeout  time.Duration
}

func newLock() *cobra.Command {
	var opts lockOptions
	cmd := &cobra.Command{
		Use:   "lock [PATH...]",
		Short: "Pin the spec's base images to their current digests in wharf.lock",
		Long: `lock asks each base image's registry which digest its tag points to now and
writes the answers to wharf.lock beside the spec (PATH is a wharf.yaml file,
a folder holding one, or a pattern; default "."). generate and check then emit
FROM name:tag@sha256:... from the lock, without touching the network.

"./..." or "dir/..." stands for every wharf.yaml below that folder (skipping
.git, node_modules, vendor, hidden folders, and what the folder's
.wharfignore and the .gitignore files in it and below it exclude, with
git's rules).

Running lock again updates every image and drops those the spec no longer
names; --image updates one. An image whose digest has not moved keeps its
entry as it was, so a run that finds nothing new changes nothing. Images the
spec pins itself (name@sha256:...) and scratch need no entry.

For a multi-platform tag the digest is the index's, valid on every platform.
Credentials come from the Docker config and its credential helpers (docker
login). Registries are reached over HTTPS, except loopback ones and those
named with --insecure-registry. On any error no lock file is written.`,
		Example: `  wharf lock                                # ./wharf.lock
  wharf lock services/api services/worker
  wharf lock --image python:3.12-slim       # update one image`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			return runLock(cmd, opts, args)
		},
	}
	cmd.Flags().StringVar(&opts.image, "image", "", "update only this image, as the spec writes it (e.g. python:3.12-slim)")
	cmd.Flags().StringArrayVar(&opts.insecure, "insecure-registry", nil, "allow plain HTTP to this registry (host or host:port); repeatable")
	cmd.Flags().DurationVar(&opts.timeout, "timeout", registry.DefaultTimeout, "how long to wait for each image's registry")
	return cmd
}

// lockedSpec is one spec's new lock, ready to write.
type lockedSpec struct {
	file    string // the lock file
	data    []byte
	changed bool
	changes []lock.Change
	note    string // said instead of "up to date" when nothing changed
}

func runLock(cmd *cobra.Command, opts lockOptions, paths []string) error {
	if opts.timeout <= 0 {
		return invalid(fmt.Errorf("--timeout must be positive, e.g. 30s"))
	}
	client := registry.New(registry.Options{
		Insecure:  opts.insecure,
		Timeout:   opts.timeout,
		UserAgent: "wharf/" + version(),
	})
	// A reference is resolved once a run, so every spec that names it
	// gets the same digest.
	type answer struct {
		digest    string
		platforms []string
		err       error
	}
	answers := map[string]answer{}
	resolve := func(ctx context.Context, ref string) (string, []string, error) {
		a, ok := answers[ref]
		if !ok {
			a.digest, a.platforms, a.err = client.Resolve(ctx, ref)
			answers[ref] = a
		}
		return a.digest, a.platforms, a.err
	}
	now := time.Now()

	// Resolve everything before writing anything.
	var locked []lockedSpec
	var errs []error
	var named []string
	paths, _, skipped, err := workspace.ExpandListings(paths)
	if err != nil {
		return invalid(err)
	}
	printSkipped(cmd, skipped)
	var loader spec.Loader // the specs share their base files
	for _, path := range paths {
		s, err := loader.Load(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		images := lock.Images(s)
		named = append(named, images...)
		if opts.image != "" && !slices.Contains(images, opts.image) {
			continue
		}
		if _, err := os.Stat(lock.Path(s.File)); len(images) == 0 && errors.Is(err, fs.ErrNotExist) {
			locked = append(locked, lockedSpec{file: lock.Path(s.File), note: "nothing to lock (scratch and images pinned by digest in the spec need no entry)"})
			continue
		}
		l, err := updateLock(cmd.Context(), s, opts.image, resolve, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		locked = append(locked, l)
	}
	if len(errs) > 0 {
		for _, err := range errs {
			printError(cmd.ErrOrStderr(), err)
		}
		return &exitError{code: ExitError}
	}
	if opts.image != "" && len(locked) == 0 {
		return invalid(fmt.Errorf("no spec names image %s; the specs name: %s", opts.image, orNone(named)))
	}
	out := cmd.OutOrStdout()
	for _, l := range locked {
		for _, c := range l.changes {
			switch {
			case c.Old == "":
				fmt.Fprintf(out, "%s: %s %s (new)\n", l.file, c.Image, c.New)
			case c.New == "":
				fmt.Fprintf(out, "%s: %s removed (the spec no longer names it)\n", l.file, c.Image)
			default:
				fmt.Fprintf(out, "%s: %s %s (was %s)\n", l.file, c.Image, c.New, c.Old)
			}
		}
		if !l.changed {
			note := l.note
			if note == "" {
				note = "up to date"
			}
			fmt.Fprintf(out, "%s: %s\n", l.file, note)
			continue
		}
		if err := writeFileAtomic(l.file, l.data); err != nil {
			return invalid(err)
		}
		fmt.Fprintf(out, "wrote %s\n", l.file)
	}
	return nil
}

// updateLock resolves the images of s and returns its new lock file.
func updateLock(ctx context.Context, s *spec.Spec, only string, resolve lock.ResolveFunc, now time.Time) (lockedSpec, error) {
	file := lock.Path(s.File)
	old, err := lock.Read(file)
	if errors.Is(err, fs.ErrNotExist) {
		old = nil
	} else if err != nil {
		return lockedSpec{}, err
	}
	next, changes, err := lock.Update(ctx, s, old, only, resolve, now)
	if err != nil {
		return lockedSpec{}, fmt.Errorf("lock %s: %w", s.File, err)
	}
	data := next.Marshal()
	prev, err := readfile.Read(file, len(data), len(data)+1)
	changed := err != nil || !bytes.Equal(prev, data)
	return lockedSpec{file: file, data: data, changed: changed, changes: changes}, nil
}

func orNone(refs []string) string {
	if len(refs) == 0 {
		return "none (scratch and images pinned by digest in the spec need no lock)"
	}
	slices.Sort(refs)
	return strings.Join(slices.Compact(refs), ", ")
}
