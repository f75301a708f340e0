// Package outdated reports, for a spec's base images, whether the digest
// wharf.lock pins is behind the tag's current digest, and which newer tags
// exist on the same line (same variant and Debian line: python:3.13-slim
// has 3.14-slim; a distroless -debian12 image has -debian13). A newer tag
// that would fail one of the spec's checks (Python builder/runner skew, C
// library) is reported with the spec's own message. It changes nothing.
//
// The registry is reached through a Registry, which wharf's CLI backs with
// the client wharf lock uses; this package does no network I/O itself.
package outdated

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/lock"
	"github.com/wharf-dev/wharf/spec"
)

// Registry is what Check asks of a registry.
type Registry interface {
	// Resolve returns the digest ref points to now.
	Resolve(ctx context.Context, ref string) (digest string, platforms []string, err error)
	// Tags lists the tags of a repository; for one the registry lacks, an
	// error for which NotFound is true.
	Tags(ctx context.Context, repo string) ([]string, error)
}

// Reload loads the spec again with the stages' images replaced ("builder"
// or "runner" to a reference), to check a newer tag against the spec's
// rules; spec.Loader.LoadWithImages is one.
type Reload func(images map[string]string) (*spec.Spec, error)

// Status of an image's pin.
const (
	// Current: the lock's digest is the tag's digest now.
	Current = "current"
	// Behind: the tag has moved since it was locked; wharf lock updates it.
	Behind = "behind"
	// Unlocked: no lock pins the image, so the build takes whatever the
	// tag points to; there is nothing to be behind.
	Unlocked = "unlocked"
)

// Image is what Check found for one base image of a spec.
type Image struct {
	// Ref is the image as the spec writes it (or the default).
	Ref string `json:"image"`
	// Stages names where the spec uses it: builder, runner, or other (an
	// image a recipe copies from, e.g. uv's).
	Stages []string `json:"stages"`
	// Default is true when the spec does not name the image: it is the
	// language's default, which a spec changes under images.
	Default bool   `json:"default,omitempty"`
	Status  string `json:"status"`
	// Locked is the digest wharf.lock pins, empty when Unlocked.
	Locked string `json:"locked,omitempty"`
	// Digest is the digest the tag points to now.
	Digest string `json:"digest"`
	// Newer lists the newer tags on the image's line, oldest first.
	Newer []Newer `json:"newer,omitempty"`
}

// Newer is a newer tag on an image's line.
type Newer struct {
	// Ref is the image reference with the newer tag (or repository, for a
	// newer Debian line of a distroless image).
	Ref string `json:"image"`
	// Problem is why the spec would be refused with Ref in place of the
	// image, in the spec's own words; empty when it passes.
	Problem string `json:"problem,omitempty"`
	// With names the other stage's image bumped along with Ref, when the
	// spec passes only with both changed (builder and runner on one line).
	With string `json:"with,omitempty"`
}

// Behind reports whether img needs attention: its pin is behind the tag,
// or a newer tag exists on its line.
func (img Image) Behind() bool { return img.Status == Behind || len(img.Newer) > 0 }

// Checker checks specs against one Registry, asking it once a run for each
// reference and repository however many specs name them. It is not safe
// for concurrent use.
type Checker struct {
	Registry Registry
	// NotFound tells a missing repository or tag from other errors of the
	// Registry (registry.ErrNotFound for wharf's client).
	NotFound func(error) bool

	digests map[string]answer
	tags    map[string]tagAnswer
}

type answer struct {
	digest string
	err    error
}

type tagAnswer struct {
	tags []string
	err  error
}

// Check reports on every image of s that a lock pins (lock.Images): its
// pin against the tag, and the newer tags of its line, each checked with
// reload. Registry errors are returned together, after every image was
// tried.
func (c *Checker) Check(ctx context.Context, s *spec.Spec, reload Reload) ([]Image, error) {
	l, err := lock.Read(lock.Path(s.File))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var errs []error
	var out []Image
	for _, ref := range lock.Images(s) {
		img := Image{Ref: ref, Status: Unlocked}
		for _, st := range []struct {
			name string
			ref  string
		}{{"builder", s.Images.Builder.Ref}, {"runner", s.Images.Runner.Ref}} {
			if st.ref == ref {
				img.Stages = append(img.Stages, st.name)
				if !written(s, st.name) {
					img.Default = true
				}
			}
		}
		if len(img.Stages) == 0 {
			img.Stages = []string{"other"}
		}
		img.Digest, err = c.resolve(ctx, ref)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if l != nil {
			if pin, ok := l.Images[ref]; ok {
				img.Locked = pin.Digest
				img.Status = Current
				if pin.Digest != img.Digest {
					img.Status = Behind
				}
			}
		}
		newer, err := c.newer(ctx, ref)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, n := range newer {
			img.Newer = append(img.Newer, c.judge(ctx, s, img, n, reload))
		}
		out = append(out, img)
	}
	if len(errs) > 0 {
		return out, errors.Join(errs...)
	}
	return out, nil
}

// written reports whether s (or a base it extends) names the stage's image.
func written(s *spec.Spec, stage string) bool {
	_, a := s.Origin("images." + stage)
	_, b := s.Origin("images." + stage + ".image")
	return a || b
}

// judge checks the spec with n in place of img in img's stages. When that
// fails and img is in one stage only, it also tries the other stage's image
// moved to the same version (builder and runner bumped together).
func (c *Checker) judge(ctx context.Context, s *spec.Spec, img Image, n string, reload Reload) Newer {
	out := Newer{Ref: n}
	if slices.Contains(img.Stages, "other") || reload == nil {
		return out
	}
	repl := map[string]string{}
	for _, st := range img.Stages {
		repl[st] = n
	}
	_, err := reload(repl)
	if err == nil {
		return out
	}
	out.Problem = problem(err)
	if len(img.Stages) != 1 {
		return out
	}
	other, otherRef := "runner", s.Images.Runner.Ref
	if img.Stages[0] == "runner" {
		other, otherRef = "builder", s.Images.Builder.Ref
	}
	moved, ok := moveAlong(img.Ref, n, otherRef)
	if !ok || !c.exists(ctx, moved) {
		return out
	}
	repl[other] = moved
	if _, err := reload(repl); err == nil {
		out.With = moved
	}
	return out
}

// problem is the messages of a spec's errors, without their positions
// (which point into the spec as written, not as it would be).
func problem(err error) string {
	var list spec.ErrorList
	if errors.As(err, &list) {
		var msgs []string
		for _, e := range list {
			msgs = append(msgs, e.Msg)
		}
		return strings.Join(msgs, "; ")
	}
	return err.Error()
}

func (c *Checker) resolve(ctx context.Context, ref string) (string, error) {
	if c.digests == nil {
		c.digests = map[string]answer{}
	}
	a, ok := c.digests[ref]
	if !ok {
		a.digest, _, a.err = c.Registry.Resolve(ctx, ref)
		c.digests[ref] = a
	}
	return a.digest, a.err
}

func (c *Checker) listTags(ctx context.Context, repo string) ([]string, error) {
	if c.tags == nil {
		c.tags = map[string]tagAnswer{}
	}
	a, ok := c.tags[repo]
	if !ok {
		a.tags, a.err = c.Registry.Tags(ctx, repo)
		c.tags[repo] = a
	}
	return a.tags, a.err
}

func (c *Checker) notFound(err error) bool { return c.NotFound != nil && c.NotFound(err) }

// exists reports whether the registry has ref's tag.
func (c *Checker) exists(ctx context.Context, ref string) bool {
	repo, tag := split(ref)
	tags, err := c.listTags(ctx, repo)
	return err == nil && slices.Contains(tags, orLatest(tag))
}

// MaxDebianLines is how many Debian releases past its own Check looks for
// a distroless image.
const MaxDebianLines = 3

// newer returns the newer references on ref's line, oldest first: tags
// of its repository with the same prefix, suffix and number of version
// parts and a higher version; for a repository named after a Debian
// release (gcr.io/distroless/cc-debian12), the same tag in the
// repositories of the next releases.
func (c *Checker) newer(ctx context.Context, ref string) ([]string, error) {
	repo, tag := split(ref)
	var out []string
	if v, ok := parseVersion(tag); ok {
		tags, err := c.listTags(ctx, repo)
		if err != nil {
			return nil, err
		}
		var found []version
		for _, t := range tags {
			if w, ok := parseVersion(t); ok && w.sameLine(v) && w.compare(v) > 0 {
				found = append(found, w)
			}
		}
		slices.SortFunc(found, version.compare)
		for _, w := range found {
			out = append(out, repo+":"+w.tag)
		}
	}
	if m := debianRepo.FindStringSubmatch(repo); m != nil {
		n, _ := strconv.Atoi(m[2])
		for next := n + 1; next <= n+MaxDebianLines; next++ {
			cand := fmt.Sprintf("%s-debian%d", m[1], next)
			tags, err := c.listTags(ctx, cand)
			if c.notFound(err) {
				break
			}
			if err != nil {
				return nil, err
			}
			if !slices.Contains(tags, orLatest(tag)) {
				break
			}
			if tag == "" {
				out = append(out, cand)
			} else {
				out = append(out, cand+":"+tag)
			}
		}
	}
	return out, nil
}

// debianRepo matches a repository named after a Debian release, as the
// distroless ones are: gcr.io/distroless/static-debian12.
var debianRepo = lazyregexp.New(`^(.+/[a-z0-9._-]+)-debian([0-9]+)$`)

// moveAlong returns other with its version moved as from moved to to,
// when other's tag has from's version: with python:3.13-slim → 3.14-slim,
// python:3.13-slim-bookworm becomes python:3.14-slim-bookworm. Only
// versioned tags move along.
func moveAlong(from, to, other string) (string, bool) {
	_, ft := split(from)
	_, tt := split(to)
	orepo, ot := split(other)
	fv, ok1 := parseVersion(ft)
	tv, ok2 := parseVersion(tt)
	ov, ok3 := parseVersion(ot)
	if !ok1 || !ok2 || !ok3 || !slices.Equal(fv.nums, ov.nums) || ov.prefix != fv.prefix {
		return "", false
	}
	return orepo + ":" + ov.prefix + tv.numsText + ov.suffix, true
}

// version is a tag's version: "v" or nothing, dotted numbers, the rest.
type version struct {
	tag, prefix, numsText, suffix string
	nums                          []int
}

var versionTag = lazyregexp.New(`^(v?)([0-9]+(?:\.[0-9]+)*)(.*)$`)

func parseVersion(tag string) (version, bool) {
	m := versionTag.FindStringSubmatch(tag)
	if m == nil {
		return version{}, false
	}
	v := version{tag: tag, prefix: m[1], numsText: m[2], suffix: m[3]}
	for _, p := range strings.Split(m[2], ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return version{}, false // too long to be a version
		}
		v.nums = append(v.nums, n)
	}
	// A pre-release, 3.15.0rc1-slim, has the suffix rc1-slim: a line of
	// its own.
	return v, true
}

// sameLine reports whether v and w are on one line: same prefix and
// suffix (variant, Debian line) and as many version parts.
func (v version) sameLine(w version) bool {
	return v.prefix == w.prefix && v.suffix == w.suffix && len(v.nums) == len(w.nums)
}

func (v version) compare(w version) int { return slices.Compare(v.nums, w.nums) }

// split splits ref into its repository and tag ("" for none).
func split(ref string) (repo, tag string) {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[:i], ref[i+1:]
	}
	return ref, ""
}

func orLatest(tag string) string {
	if tag == "" {
		return "latest"
	}
	return tag
}
