package outdated

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var errMissing = errors.New("missing")

type fakeRegistry map[string][]string

func (f fakeRegistry) Resolve(context.Context, string) (string, []string, error) {
	return "", nil, errors.New("not used")
}

func (f fakeRegistry) Tags(_ context.Context, repo string) ([]string, error) {
	tags, ok := f[repo]
	if !ok {
		return nil, errMissing
	}
	return tags, nil
}

// The line of a tag: same prefix, suffix and number of version parts,
// a higher version; distroless repositories by Debian release.
func TestNewer(t *testing.T) {
	reg := fakeRegistry{
		"python":                            {"3.12-slim", "3.13-slim", "3.14-slim", "3.9-slim", "3.14-alpine", "3.14-slim-trixie", "3.13.2-slim", "3.15.0rc1-slim", "3.10-slim", "latest"},
		"node":                              {"24-bookworm-slim", "25-bookworm-slim", "26-bookworm-slim", "26-trixie-slim", "26.1-bookworm-slim"},
		"debian":                            {"bookworm-slim", "trixie-slim"},
		"gcr.io/distroless/static-debian12": {"latest", "nonroot"},
		"gcr.io/distroless/static-debian13": {"latest", "nonroot"},
		"gcr.io/distroless/cc-debian12":     {"latest", "nonroot"},
		"gcr.io/distroless/cc-debian13":     {"latest"},
	}
	c := &Checker{Registry: reg, NotFound: func(err error) bool { return errors.Is(err, errMissing) }}
	for ref, want := range map[string][]string{
		"python:3.12-slim":                          {"python:3.13-slim", "python:3.14-slim"},
		"python:3.14-slim":                          nil,
		"node:24-bookworm-slim":                     {"node:25-bookworm-slim", "node:26-bookworm-slim"},
		"debian:bookworm-slim":                      nil,
		"gcr.io/distroless/static-debian12":         {"gcr.io/distroless/static-debian13"},
		"gcr.io/distroless/static-debian12:nonroot": {"gcr.io/distroless/static-debian13:nonroot"},
		"gcr.io/distroless/cc-debian12:nonroot":     nil, // debian13 lacks the tag
	} {
		got, err := c.newer(context.Background(), ref)
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("newer(%s) (-want +got):\n%s", ref, diff)
		}
	}
}

func TestMoveAlong(t *testing.T) {
	for _, tc := range []struct{ from, to, other, want string }{
		{"python:3.13-slim", "python:3.14-slim", "python:3.13-slim-bookworm", "python:3.14-slim-bookworm"},
		{"python:3.13-slim", "python:3.14-slim", "python:3.12-slim-bookworm", ""},
		{"python:3.13-slim", "python:3.14-slim", "gcr.io/distroless/python3-debian12", ""},
	} {
		got, ok := moveAlong(tc.from, tc.to, tc.other)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("moveAlong(%s, %s, %s) = %q, %v; want %q", tc.from, tc.to, tc.other, got, ok, tc.want)
		}
	}
}
