// Package python is wharf's Python recipe: wheels of the project and its
// requirements are built in the builder and installed offline in the runner.
//
// It holds everything about the language: the python section of the spec
// (keys, defaults, checks, schema, explanation), the Dockerfile data and
// blocks (python.tmpl), the .dockerignore defaults and init's detection.
package python

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/spec"
)

// Language is the Python language unit.
var Language language

type language struct{}

// Name is the spec's language value and section key.
func (language) Name() string { return "python" }

// Images are the default base images: the official slim image for both stages.
func (language) Images() spec.Images {
	img := spec.BaseImage{Ref: "python:3.13-slim", Family: spec.Debian}
	return spec.Images{Builder: img, Runner: img}
}

// Recipe is the decoded python section.
type Recipe struct {
	// Tool is the build tool that installs the dependencies; see Tools.
	Tool string
	// Project is the folder of the Python project to build, relative to the
	// spec's folder; empty when only requirements are installed.
	Project      string
	Requirements []string
	// Install is how the runner receives the wheels: InstallCopy (a COPY
	// layer, removed after installing) or InstallMount (a bind mount of the
	// builder's wheels, which leaves no wheel in any layer).
	Install string
	// Index is the package index pip builds from; nil means PyPI. Its
	// secret is a netrc file with the index's login.
	Index *spec.PackageIndex
}

// Ways the runner receives wheels.
const (
	InstallCopy  = "copy"
	InstallMount = "mount"
)

// NetrcPath is where the install steps mount an index's secret: pip reads
// logins for any index host there.
const NetrcPath = "/root/.netrc"

var keys = []string{"project", "requirements", "index", "install"}

// Decode reads the python section.
func (language) Decode(d *spec.Decoder, n *yaml.Node) spec.Recipe {
	r := &Recipe{Tool: Pip.Name, Install: InstallCopy}
	if n == nil {
		r.Project = "."
		return r
	}
	projectSet := false
	d.Fields(n, "python", keys, func(key string, v *yaml.Node, p string) {
		switch key {
		case "project":
			projectSet = true
			if proj, ok := d.NonEmpty(v, p); ok {
				r.Project = d.RelPath(v, p, proj)
			}
		case "requirements":
			for i, f := range d.List(v, p, "[requirements.txt]") {
				r.Requirements = append(r.Requirements, d.RelPath(d.Item(p, i), p, f))
			}
		case "index":
			r.Index = d.PackageIndex(v, p, "https://pypi.example.com/simple", "a netrc file, e.g. \"machine pypi.example.com login __token__ password ...\"", true)
		case "install":
			if m, ok := d.NonEmpty(v, p); ok {
				if m != InstallCopy && m != InstallMount {
					d.Errorf(v, spec.ErrInvalid, "%s must be %q (copy the wheels, then remove them) or %q (bind-mount them: no wheel left in any layer)", p, InstallCopy, InstallMount)
				}
				r.Install = m
			}
		}
	})
	if !projectSet && len(r.Requirements) == 0 {
		r.Project = "."
	}
	return r
}

// Complete checks the images: pip needs a shell in the runner, the same
// C library and the same Python version in both stages.
func (r *Recipe) Complete(d *spec.Decoder, s *spec.Spec) {
	builder, runner := s.Images.Builder, s.Images.Runner
	if !runner.Family.HasShell() {
		d.Errorf(d.At("images.runner"), spec.ErrNoShell, "the Python runner installs wheels with pip, which needs a shell, but %s is %s; use a python image as runner, e.g. %s", runner.Ref, runner.Family, runnerFor(builder))
	}
	d.RequireSameLibc(s, "Python wheels")
	if bv, rv := builder.PythonVersion(), runner.PythonVersion(); bv != "" && rv != "" && bv != rv {
		d.Errorf(d.At("images.runner"), spec.ErrPythonSkew, "the builder %s has Python %s but the runner %s has Python %s: wheels built for one do not install on the other; use the same Python version in both images", builder.Ref, bv, runner.Ref, rv)
	}
	d.RequireCmd(s, []string{"python", "-m", strings.NewReplacer("-", "_", ".", "_").Replace(s.Name)})
	if s.Runtime.Init == "" && runner.Family.HasShell() {
		s.Runtime.Init = spec.InitTini
	}
}

func runnerFor(builder spec.BaseImage) string {
	if v := builder.PythonVersion(); v != "" {
		return "python:" + v + "-slim"
	}
	return builder.Ref
}

// Explain writes the section's effective values.
func (r *Recipe) Explain(e *spec.Explainer, m *yaml.Node) {
	if r.Project != "" {
		e.Add(m, "project", e.Str("python.project", r.Project))
	}
	e.Add(m, "requirements", e.List("python.requirements", r.Requirements))
	e.Add(m, "install", e.Str("python.install", r.Install))
	if r.Index != nil {
		e.Add(m, "index", e.PackageIndex("python.index", r.Index))
	}
}

// Schema is the python section's JSON Schema.
func (language) Schema() *spec.SchemaNode {
	return spec.SchemaObject("The Python recipe: wheels of the project and its requirements are built in the builder and installed offline in the runner.", map[string]*spec.SchemaNode{
		"project":      spec.SchemaRelPath("The folder of the Python project (pyproject.toml or setup.py), relative to the spec's folder. Defaults to \".\" unless only requirements are given.").WithDefault("."),
		"requirements": spec.SchemaList("Requirements files to build wheels from.", spec.SchemaRelPath("")).WithExamples([]any{"requirements.txt"}),
		"install":      spec.SchemaEnum("How the runner receives the wheels: copy (a COPY layer, removed after installing) or mount (a bind mount of the builder's wheels: no wheel left in any layer).", InstallCopy, InstallMount).WithDefault(InstallCopy),
		"index": spec.SchemaPackageIndex("A private package index for pip. Its login is never in the spec, the Dockerfile or the image: the pip steps mount it from a BuildKit secret holding a netrc file (docker build --secret id=ID,src=FILE).",
			"https://pypi.example.com/simple", "url"),
	})
}
