package python

import (
	"embed"
	"io/fs"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Build is the Python data the blocks read (.Python): the recipe, with its
// paths as seen from the build context.
type Build struct {
	*Recipe
	// Project and Requirements are the recipe's, relative to the context.
	Project      string
	Requirements []string
	// Tool is the build tool's sub-unit.
	Tool *Tool
}

// A Tool is one of Python's build tools: how it installs the locked
// dependencies, and what it caches between builds.
type Tool struct {
	Name string
	// Cache is the folder the builder's install steps mount as a cache.
	Cache string
}

// Pip builds wheels from requirements files and the project.
var Pip = &Tool{Name: "pip", Cache: "/root/.cache/pip"}

// Tools are Python's build tools, by name.
var Tools = map[string]*Tool{Pip.Name: Pip}

//go:embed *.tmpl
var blocks embed.FS

// Field is the name of the recipe's data in templates.
func (language) Field() string { return "Python" }

// Blocks are python.tmpl's blocks.
func (language) Blocks() fs.FS { return blocks }

// Prepare sets the Python data.
func (language) Prepare(d *generate.Dockerfile, s *spec.Spec) generate.Prepared {
	r := s.Recipe.(*Recipe)
	b := &Build{Recipe: r, Tool: Tools[r.Tool]}
	if r.Project != "" {
		b.Project = s.InContext(r.Project)
	}
	for _, f := range r.Requirements {
		b.Requirements = append(b.Requirements, s.InContext(f))
	}
	d.Recipe = b
	return generate.Prepared{
		Manifests: b.Requirements,
		RunnerEnv: map[string]string{"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"},
	}
}

// Ignore lists what a Python build never needs.
func (language) Ignore(*spec.Spec) []string {
	return []string{"**/__pycache__", "**/*.py[cod]", "**/.venv", "**/venv", ".tox", ".nox", ".pytest_cache", ".mypy_cache", ".ruff_cache", "build", "dist", "**/*.egg-info"}
}
