package golang

import (
	"slices"
	"testing"
)

// TestTargetPackages: build.packages of a cgo cross build are the
// target's, name:$arch (before any =version), unless they name an
// architecture already.
func TestTargetPackages(t *testing.T) {
	got := targetPackages([]string{"zlib1g-dev", "libssl-dev=3.5.1-1", "pkgconf:amd64", "zlib1g-dev"})
	want := []string{"libssl-dev:$arch=3.5.1-1", "pkgconf:amd64", "zlib1g-dev:$arch"}
	if !slices.Equal(got, want) {
		t.Errorf("targetPackages = %q, want %q", got, want)
	}
}
