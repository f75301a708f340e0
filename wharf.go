// Package wharf is the pipeline behind every wharf command: it loads a
// spec, pins its base images to the lock beside it, and renders its
// Dockerfile and .dockerignore with the custom templates the spec names.
// generate, check, init and lock all go through Generate or Render, so a
// program that calls them gets exactly the files the CLI writes.
//
// The library API is v0: it may change between minor versions.
package wharf

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/wharf-dev/wharf/generate"
	_ "github.com/wharf-dev/wharf/lang" // registers every language
	"github.com/wharf-dev/wharf/lock"
	"github.com/wharf-dev/wharf/spec"
)

// File is a generated file: Path is slash-separated and relative to the
// spec's folder.
type File = generate.File

// Options tune Generate.
type Options struct {
	// Templates is a folder of custom templates that replaces the one the
	// spec names (the CLI's --templates).
	Templates string
	// NoLock skips reading wharf.lock, for callers that know there is none.
	NoLock bool
	// Cache, when set, shares base specs and template folders between
	// calls; without one, each call reads everything afresh.
	Cache *Cache
}

// Result is a rendered spec.
type Result struct {
	Spec  *spec.Spec
	Files []File
	// Warnings are problems that do not stop generation, such as values
	// that look like secrets.
	Warnings []*spec.Error
	// LockProblems are the ways wharf.lock is stale for the spec (an image
	// it lacks, or one the spec no longer names), each a lock.ErrStale.
	// The files are still rendered; wharf check fails on them.
	LockProblems []*spec.Error
}

// Generate loads the spec at path (a wharf.yaml, or a folder holding one),
// pins its base images to the wharf.lock beside it, and renders its files
// with the custom templates of opts or of the spec. An invalid spec returns
// a spec.ErrorList with every problem. Generate writes nothing.
func Generate(path string, opts Options) (*Result, error) {
	s, err := opts.Cache.Load(path)
	if err != nil {
		return nil, err
	}
	return Complete(s, opts)
}

// Complete is Generate for a spec already loaded.
func Complete(s *spec.Spec, opts Options) (*Result, error) {
	r := &Result{Spec: s, Warnings: s.Warnings}
	var pins generate.Pins
	if !opts.NoLock {
		var err error
		pins, r.LockProblems, err = lock.Pins(s)
		if err != nil {
			return nil, err
		}
	}
	g, err := opts.Cache.generator(s, opts.Templates)
	if err != nil {
		return nil, err
	}
	r.Files, err = Render(s, pins, g)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Render renders the files of s with the base images pins has, and the
// templates of g (nil for the built-in ones). It is pure: no I/O.
func Render(s *spec.Spec, pins generate.Pins, g *generate.Generator) ([]File, error) {
	if g == nil {
		var err error
		if g, err = generate.Builtin(); err != nil {
			return nil, err
		}
	}
	return g.Files(s, pins)
}

// A Cache holds what the specs of one run share: the base files they
// extend (a spec.Loader) and the template folders they name, each read and
// parsed once however many specs use it. Use one Cache for a run over
// files that do not change meanwhile. The zero value is ready to use, and
// a Cache is safe for concurrent use; a nil *Cache reads afresh.
type Cache struct {
	loader     spec.Loader
	generators sync.Map // absolute folder path → *templateSet
}

type templateSet struct {
	once sync.Once
	gen  *generate.Generator
	err  error
}

// Load loads the spec at path with c's base files, or afresh when c is nil.
func (c *Cache) Load(path string) (*spec.Spec, error) {
	if c == nil {
		return spec.Load(path)
	}
	return c.loader.Load(path)
}

// generator returns the Generator of the custom templates in the folder
// templates (a --templates flag), else in the folder the spec names, else
// nil for the built-in ones.
func (c *Cache) generator(s *spec.Spec, templates string) (*generate.Generator, error) {
	dir := templates
	if dir == "" {
		dir = s.Templates
	}
	if dir == "" {
		return nil, nil
	}
	g, err := c.templates(dir)
	if err != nil && templates == "" {
		if o, ok := s.Origin("templates"); ok {
			return nil, fmt.Errorf("%s:%d: templates: %w", o.File, o.Line, err)
		}
	}
	return g, err
}

func (c *Cache) templates(dir string) (*generate.Generator, error) {
	if c == nil {
		return generate.NewDir(dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	v, _ := c.generators.LoadOrStore(abs, &templateSet{})
	t := v.(*templateSet)
	t.once.Do(func() { t.gen, t.err = generate.NewDir(dir) })
	return t.gen, t.err
}
