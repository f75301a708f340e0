package workspace

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// generators holds one Generator per templates folder, by absolute path,
// so that a folder is parsed once per process however many specs name it.
var generators sync.Map // string → *templateSet

type templateSet struct {
	once sync.Once
	gen  *generate.Generator
	err  error
}

// generatorFor returns the Generator of the templates folder dir.
func generatorFor(dir string) (*generate.Generator, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	v, _ := generators.LoadOrStore(abs, &templateSet{})
	t := v.(*templateSet)
	t.once.Do(func() { t.gen, t.err = generate.NewDir(dir) })
	return t.gen, t.err
}

// Render generates the files of s with the custom templates in the folder
// templates (a --templates flag), else in the folder the spec names, else
// with the built-in templates only.
func Render(s *spec.Spec, templates string) ([]generate.File, error) {
	if templates == "" && s.Templates == "" {
		return generate.Files(s)
	}
	dir := templates
	if dir == "" {
		dir = s.Templates
	}
	g, err := generatorFor(dir)
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
