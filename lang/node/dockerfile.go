package node

import (
	"embed"
	"io/fs"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Build is the Node data the blocks read (.Node).
type Build struct {
	*Recipe
	Tool     *Tool
	Lockfile string
	// NPM, Yarn and PNPM report the Manager, for blocks that dispatch on it.
	NPM, Yarn, PNPM bool
	// Dir is the spec's folder in the build context: "" when it is the
	// context, else where the build script runs and the app lives.
	Dir string
}

//go:embed *.tmpl
var blocks embed.FS

// Field is the name of the recipe's data in templates.
func (language) Field() string { return "Node" }

// Blocks are node.tmpl's blocks.
func (language) Blocks() fs.FS { return blocks }

// Prepare sets the Node data; the manifests are at the context's root,
// where a workspace keeps its lockfile.
func (language) Prepare(d *generate.Dockerfile, s *spec.Spec) generate.Prepared {
	r := s.Recipe.(*Recipe)
	t := Tools[r.Manager]
	b := &Build{Recipe: r, Tool: t, Lockfile: t.Lockfile, NPM: t == NPM, Yarn: t == Yarn, PNPM: t == PNPM}
	if s.SpecDir != "." {
		b.Dir = s.SpecDir
	}
	d.Recipe = b
	return generate.Prepared{
		Manifests: []string{"package.json", t.Lockfile},
		RunnerEnv: map[string]string{"NODE_ENV": "production"},
	}
}

// Ignore lists what a Node build never needs, and the build's output.
func (language) Ignore(s *spec.Spec) []string {
	lines := []string{"**/node_modules", "npm-debug.log*", "yarn-debug.log*", "yarn-error.log*", ".npm", "coverage"}
	if r := s.Recipe.(*Recipe); r.Output != "" {
		lines = append(lines, s.InContext(r.Output))
	}
	return lines
}
