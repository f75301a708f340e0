package cleanpath

import (
	"path/filepath"
	"testing"
)

var paths = []string{
	"", ".", "..", "/", "//", "a", "a/b", "/a/b", "a/", "a//b", "./a", "a/.", "a/./b", "a/..", "../a",
	"a/../b", "/..", "/../a", ".a", "a..", "..a/b", "a/.b/c", "services/team00/svc00000/Dockerfile",
	"/tmp/x/wharf.yaml", "sub/Dockerfile.prod", "a/b/", "/a/", "...", "a/.../b", "../../platform/x.yaml", "../..", "../", "..//a", "../.", "a/b/../../..", "../a/../b",
}

func TestSameAsFilepath(t *testing.T) {
	for _, p := range paths {
		if got, want := Dir(p), filepath.Dir(p); got != want {
			t.Errorf("Dir(%q) = %q, want %q", p, got, want)
		}
		if got, want := Clean(p), filepath.Clean(p); got != want {
			t.Errorf("Clean(%q) = %q, want %q", p, got, want)
		}
		for _, q := range paths {
			if got, want := Join(p, q), filepath.Join(p, q); got != want {
				t.Errorf("Join(%q, %q) = %q, want %q", p, q, got, want)
			}
		}
	}
}

func FuzzSameAsFilepath(f *testing.F) {
	for _, p := range paths {
		f.Add(p, "Dockerfile")
	}
	f.Fuzz(func(t *testing.T, dir, elem string) {
		if got, want := Join(dir, elem), filepath.Join(dir, elem); got != want {
			t.Errorf("Join(%q, %q) = %q, want %q", dir, elem, got, want)
		}
		if got, want := Dir(dir), filepath.Dir(dir); got != want {
			t.Errorf("Dir(%q) = %q, want %q", dir, got, want)
		}
		if got, want := Clean(dir), filepath.Clean(dir); got != want {
			t.Errorf("Clean(%q) = %q, want %q", dir, got, want)
		}
	})
}
