// Package node is wharf's Node recipe: dependencies installed from the
// lockfile, the build script run, and the project pruned to production
// dependencies in the builder; the runner gets only what runs.
//
// It holds everything about the language: the node section of the spec,
// the package managers (Tools), the Dockerfile data and blocks
// (node.tmpl), the .dockerignore defaults and init's detection.
package node

import (
	"regexp"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/spec"
)

// Language is the Node language unit.
var Language language

type language struct{}

// Name is the spec's language value and section key.
func (language) Name() string { return "node" }

// Images are the default base images: the official slim image for both stages.
func (language) Images() spec.Images {
	img := spec.BaseImage{Ref: "node:24-bookworm-slim", Family: spec.Debian}
	return spec.Images{Builder: img, Runner: img}
}

// Recipe is the decoded node section.
type Recipe struct {
	Manager string // a key of Tools: "npm", "yarn" or "pnpm"
	// Build is the package.json script to run; empty skips the build.
	Build string
	// Output is the folder the runner needs besides node_modules and
	// package.json, relative to the spec's folder; empty means the whole
	// pruned project.
	Output string
	// Registry is the package registry to install from; nil means the
	// manager's default. Its secret is an .npmrc file, e.g. with
	// //npm.example.com/:_authToken=...
	Registry *spec.PackageIndex
}

// NpmrcPath is where the install steps mount a registry's secret: npm,
// yarn 1 and pnpm read auth tokens there.
const NpmrcPath = "/root/.npmrc"

const scriptPattern = `^[A-Za-z0-9][A-Za-z0-9:._-]*$`

var scriptRE = regexp.MustCompile(scriptPattern)

var keys = []string{"manager", "build", "output", "registry"}

// Decode reads the node section.
func (language) Decode(d *spec.Decoder, n *yaml.Node) spec.Recipe {
	r := &Recipe{Manager: NPM.Name}
	if n == nil {
		return r
	}
	d.Fields(n, "node", keys, func(key string, v *yaml.Node, p string) {
		switch key {
		case "manager":
			if m, ok := d.NonEmpty(v, p); ok {
				if Tools[m] == nil {
					d.Errorf(v, spec.ErrInvalid, "%s %q is not supported; use %s", p, m, toolList())
				}
				r.Manager = m
			}
		case "build":
			if b, ok := d.NonEmpty(v, p); ok {
				if !scriptRE.MatchString(b) {
					d.Errorf(v, spec.ErrInvalid, "%s %q is not a package.json script name; name the script (e.g. build), not a command", p, b)
				}
				r.Build = b
			}
		case "output":
			if o, ok := d.NonEmpty(v, p); ok {
				r.Output = d.RelPath(v, p, o)
			}
		case "registry":
			r.Registry = d.PackageIndex(v, p, "https://npm.example.com/", "an .npmrc file, e.g. \"//npm.example.com/:_authToken=...\"", false)
		}
	})
	return r
}

// Complete checks that the runner can run node and that the spec says how
// the app starts.
func (r *Recipe) Complete(d *spec.Decoder, s *spec.Spec) {
	if s.Images.Runner.Family == spec.Scratch {
		d.Errorf(d.At("images.runner"), spec.ErrNoShell, "a Node runner needs the node runtime, which scratch lacks; use a node image (e.g. %s) or gcr.io/distroless/nodejs22-debian12", s.Images.Builder.Ref)
	}
	d.RequireSameLibc(s, "node_modules (native addons)")
	out := "dist"
	if r.Output != "" {
		out = r.Output
	}
	d.RequireCmd(s, []string{"node", out + "/index.js"})
}

// Explain writes the section's effective values.
func (r *Recipe) Explain(e *spec.Explainer, m *yaml.Node) {
	e.Add(m, "manager", e.Str("node.manager", r.Manager))
	if r.Build != "" {
		e.Add(m, "build", e.Str("node.build", r.Build))
	}
	if r.Output != "" {
		e.Add(m, "output", e.Str("node.output", r.Output))
	}
	if r.Registry != nil {
		e.Add(m, "registry", e.PackageIndex("node.registry", r.Registry))
	}
}

// Schema is the node section's JSON Schema.
func (language) Schema() *spec.SchemaNode {
	return spec.SchemaObject("The Node recipe: install from the lockfile, run a build script, prune to production dependencies.", map[string]*spec.SchemaNode{
		"manager": spec.SchemaEnum("The package manager, which decides the lockfile: npm (package-lock.json), yarn (yarn.lock) or pnpm (pnpm-lock.yaml).", toolNames()...).WithDefault(NPM.Name),
		"build":   spec.SchemaPattern("The package.json script to run in the builder; unset skips the build.", scriptPattern).WithExamples("build"),
		"output":  spec.SchemaRelPath("The folder the runner needs besides node_modules and package.json; unset copies the whole pruned project.").WithExamples("dist"),
		"registry": spec.SchemaPackageIndex("A private package registry. Its token is never in the spec, the Dockerfile or the image: the install steps mount it from a BuildKit secret holding an .npmrc file (docker build --secret id=ID,src=FILE).",
			"https://npm.example.com/"),
	})
}
