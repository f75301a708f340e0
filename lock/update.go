package lock

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wharf-dev/wharf/spec"
)

// ResolveFunc asks a registry where an image reference points now: the
// digest of its manifest (of the index, for a multi-platform tag) and the
// platforms that digest covers.
type ResolveFunc func(ctx context.Context, ref string) (digest string, platforms []string, err error)

// Change is what Update did to one image.
type Change struct {
	Image string
	// Old is the digest the lock had, empty for an image new to the lock.
	Old string
	// New is the digest the lock has now, empty for an image removed
	// because the spec no longer names it.
	New string
}

// Update returns the lock of s after resolving its images anew, and what
// changed; old is the current lock, or nil for none. An image whose digest
// has not moved keeps its resolved time, so an update that finds nothing
// new leaves the file as it was. With only set, Update resolves that one
// image and keeps the rest of old as it is; otherwise it resolves every
// image of s and drops those s no longer names. now is the resolved time
// of new digests. On any error Update returns no lock, and every error,
// so that one run reports every image that failed.
func Update(ctx context.Context, s *spec.Spec, old *Lock, only string, resolve ResolveFunc, now time.Time) (*Lock, []Change, error) {
	named := Images(s)
	if only != "" && !slices.Contains(named, only) {
		return nil, nil, fmt.Errorf("%s names no image %s; it names %s", s.File, only, orNone(named))
	}
	next := &Lock{Images: map[string]Image{}}
	if old != nil {
		next.File = old.File
		if only != "" {
			maps.Copy(next.Images, old.Images)
		}
	}
	refs := named
	if only != "" {
		refs = []string{only}
	}
	var errs []error
	var changes []Change
	for _, ref := range refs {
		digest, platforms, err := resolve(ctx, ref)
		if err == nil {
			err = checkAnswer(ref, digest, platforms)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		img := Image{Digest: digest, Resolved: now.UTC().Truncate(time.Second), Platforms: platforms}
		var was string
		if old != nil {
			if prev, ok := old.Images[ref]; ok {
				was = prev.Digest
				if prev.Digest == digest && !prev.Resolved.IsZero() {
					img.Resolved = prev.Resolved
				}
			}
		}
		next.Images[ref] = img
		if was != digest {
			changes = append(changes, Change{Image: ref, Old: was, New: digest})
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	if old != nil && only == "" {
		for _, ref := range sortedKeys(old.Images) {
			if _, ok := next.Images[ref]; !ok {
				changes = append(changes, Change{Image: ref, Old: old.Images[ref].Digest})
			}
		}
	}
	return next, changes, nil
}

func orNone(refs []string) string {
	if len(refs) == 0 {
		return "none that a lock pins (scratch and images pinned by digest in the spec need none)"
	}
	return strings.Join(refs, ", ")
}

// MaxPlatforms is the most platforms a lock records for one image.
const MaxPlatforms = 64

// checkAnswer checks what a registry answered for ref before it is
// written to a lock: a lock that wharf itself would then refuse to read,
// or one that carries a registry's control characters into a file, is
// never written.
func checkAnswer(ref, digest string, platforms []string) error {
	if !digestPattern.MatchString(digest) {
		return fmt.Errorf("resolve %s: the registry answered digest %s, not sha256: and 64 lowercase hex digits; wharf writes no lock from it", ref, quote(digest))
	}
	if len(platforms) > MaxPlatforms {
		return fmt.Errorf("resolve %s: the registry lists %d platforms, more than the %d a lock records; wharf writes no lock from it", ref, len(platforms), MaxPlatforms)
	}
	for _, p := range platforms {
		if len(p) > maxPlatformLen || !platformPattern.MatchString(p) {
			return fmt.Errorf("resolve %s: the registry lists platform %s, which is not os/arch[/variant] in lowercase letters, digits, '_', '.' and '-' (like linux/amd64); wharf writes no lock from it", ref, quote(p))
		}
	}
	return nil
}

// maxPlatformLen is the longest platform string a lock records.
const maxPlatformLen = 128

// quote quotes s for a message, escaping control characters, and cuts it
// short when it is long.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}
