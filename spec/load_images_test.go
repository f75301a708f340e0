package spec_test

import (
	"errors"
	"testing"

	"github.com/wharf-dev/wharf/spec"
)

// LoadWithImages replaces stage images after the merge, keeps a family
// written beside an image, runs every check on the result, and leaves the
// shared base files as they were for the next spec.
func TestLoadWithImages(t *testing.T) {
	inDir(t, map[string]string{
		"base.yaml":    base,
		"a/wharf.yaml": "version: 1\nname: a\nextends: [../base.yaml]\n",
		"b/wharf.yaml": "version: 1\nname: b\nextends: [../base.yaml]\nimages: {runner: {image: python:3.12-slim, family: debian}}\n",
	})
	var l spec.Loader
	s, err := l.LoadWithImages("a", map[string]string{"builder": "python:3.13-slim", "runner": "python:3.13-slim"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Images.Builder.Ref != "python:3.13-slim" || s.Images.Runner.Ref != "python:3.13-slim" {
		t.Errorf("images = %+v, want both python:3.13-slim", s.Images)
	}
	_, err = l.LoadWithImages("b", map[string]string{"runner": "python:3.13-slim"})
	if !errors.Is(err, spec.ErrPythonSkew) {
		t.Errorf("runner alone on 3.13: err = %v, want ErrPythonSkew", err)
	}
	// b writes family: debian beside its runner: it stays, where the
	// reference alone would say alpine.
	s, err = l.LoadWithImages("b", map[string]string{"builder": "python:3.13-slim", "runner": "python:3.13-alpine"})
	if err != nil {
		t.Errorf("runner python:3.13-alpine with family: debian written: %v", err)
	} else if s.Images.Runner.Family != spec.Debian {
		t.Errorf("runner python:3.13-alpine with family: debian written: family = %q, want debian", s.Images.Runner.Family)
	}
	// a writes none: the new reference's family is inferred, and the
	// spec's libc check runs on it.
	_, err = l.LoadWithImages("a", map[string]string{"runner": "python:3.12-alpine"})
	if !errors.Is(err, spec.ErrLibcMismatch) {
		t.Errorf("runner python:3.12-alpine: err = %v, want ErrLibcMismatch", err)
	}
	for _, dir := range []string{"a", "b"} {
		s, err := l.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if s.Images.Builder.Ref != "python:3.12-slim" || s.Images.Runner.Ref != "python:3.12-slim" {
			t.Errorf("%s after LoadWithImages: images = %+v, want the base's", dir, s.Images)
		}
	}
}
