package workspace

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// A Cache holds what the specs of one run share: the base files they
// extend (a spec.Loader) and the template folders they name, each read and
// parsed once however many specs use it. Pass one Cache in the options of
// every Check or Generate of a run over files that do not change
// meanwhile; without one, each call reads everything afresh. The zero
// value is ready to use, and a Cache is safe for concurrent use.
type Cache struct {
	loader     spec.Loader
	generators sync.Map // absolute folder path → *templateSet
}

type templateSet struct {
	once sync.Once
	gen  *generate.Generator
	err  error
}

// load loads the spec at path with c's base files, or afresh when c is nil.
func (c *Cache) load(path string) (*spec.Spec, error) {
	if c == nil {
		return spec.Load(path)
	}
	return c.loader.Load(path)
}

// generatorFor returns the Generator of the templates folder dir, parsed
// once per Cache, or afresh when c is nil.
func (c *Cache) generatorFor(dir string) (*generate.Generator, error) {
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

// Render generates the files of s with the custom templates in the folder
// templates (a --templates flag), else in the folder the spec names, else
// with the built-in templates only.
func Render(s *spec.Spec, templates string) ([]generate.File, error) {
	return render(s, templates, nil)
}

// render is Render with the template folders of c.
func render(s *spec.Spec, templates string, c *Cache) ([]generate.File, error) {
	if templates == "" && s.Templates == "" {
		return generate.Files(s)
	}
	dir := templates
	if dir == "" {
		dir = s.Templates
	}
	g, err := c.generatorFor(dir)
	if err != nil {
		if templates == "" {
			if o, ok := s.Origin("templates"); ok {
				return nil, fmt.Errorf("%s:%d: templates: %w", o.File, o.Line, err)
			}
		}
		return nil, err
	}
	return g.Files(s)
}
