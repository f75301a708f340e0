// Package python is wharf's Python recipe: wheels of the project and its
// requirements are built in the builder and installed offline in the runner.
//
// It holds everything about the language: the python section of the spec
// (keys, defaults, checks, schema, explanation), the Dockerfile data and
// blocks (python.tmpl), the .dockerignore defaults and init's detection.
package python

import (
	"fmt"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
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
	// Tool is the package manager (python.manager); see Tools.
	Tool string
	// Handoff is how the runner receives what the builder installed:
	// HandoffWheels or HandoffVenv.
	Handoff string
	// Package is the uv workspace member to build, or "".
	Package string
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

// Hand-offs from builder to runner.
const (
	// HandoffWheels builds wheels in the builder and installs them with
	// pip in the runner, which needs a shell and pip.
	HandoffWheels = "wheels"
	// HandoffVenv builds a virtual environment at VenvPath in the builder
	// and copies it into the runner, which needs only the same Python at
	// the same path.
	HandoffVenv = "venv"
)

// NetrcPath is where the install steps mount an index's secret: pip reads
// logins for any index host there.
const NetrcPath = "/root/.netrc"

var keys = []string{"manager", "handoff", "project", "package", "requirements", "index", "install"}

// Decode reads the python section.
func (language) Decode(d *spec.Decoder, n *yaml.Node) spec.Recipe {
	r := &Recipe{Tool: Pip.Name, Install: InstallCopy}
	projectSet := false
	if n != nil {
		d.Fields(n, "python", keys, func(key string, v *yaml.Node, p string) {
			switch key {
			case "manager":
				if m, ok := d.NonEmpty(v, p); ok {
					if Tools[m] == nil {
						d.Errorf(v, spec.ErrInvalid, "%s must be %s, not %q: the tool whose lockfile the builder installs", p, spec.OrList(toolNames()), m)
					} else {
						r.Tool = m
					}
				}
			case "handoff":
				if h, ok := d.NonEmpty(v, p); ok {
					if h != HandoffWheels && h != HandoffVenv {
						d.Errorf(v, spec.ErrInvalid, "%s must be %q (pip installs wheels in the runner) or %q (the builder's virtual environment is copied into the runner)", p, HandoffWheels, HandoffVenv)
					}
					r.Handoff = h
				}
			case "package":
				if pkg, ok := d.NonEmpty(v, p); ok {
					if !packageName.MatchString(pkg) {
						d.Errorf(v, spec.ErrInvalid, "%s %q is not a Python project name; use the member's [project] name, e.g. \"api\"", p, pkg)
					}
					r.Package = pkg
				}
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
	}
	// Pipfile projects are seldom installable packages: pipenv installs
	// the locked dependencies, and project says what to build besides.
	if !projectSet && len(r.Requirements) == 0 && r.Tool != Pipenv.Name {
		r.Project = "."
	}
	return r
}

var packageName = lazyregexp.New(`^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$`)

// Complete picks the hand-off and, for a venv, a builder whose Python
// matches the runner's; it checks the images: pip needs a shell in the
// runner, a venv the same Python at the same path, and both the same C
// library.
func (r *Recipe) Complete(d *spec.Decoder, s *spec.Spec) {
	tool := Tools[r.Tool]
	builder, runner := s.Images.Builder, s.Images.Runner
	if r.Handoff == "" {
		// pip hands wheels to a runner that can run pip; the managers, and
		// pip for a shell-less runner, hand over a venv.
		r.Handoff = HandoffVenv
		if tool == Pip && runner.Family.HasShell() {
			r.Handoff = HandoffWheels
		}
	}
	if tool != Pip && len(r.Requirements) > 0 {
		d.Errorf(d.At("python.requirements"), spec.ErrInvalid, "python.requirements are installed by pip, but python.manager is %s, which installs %s; remove requirements, or set manager: pip", tool.Name, tool.Lockfile)
	}
	if r.Package != "" {
		switch {
		case tool != UV:
			d.Errorf(d.At("python.package"), spec.ErrInvalid, "python.package builds one member of a uv workspace, but python.manager is %s; set manager: uv, or remove package", tool.Name)
		case r.Handoff == HandoffWheels:
			d.Errorf(d.At("python.handoff"), spec.ErrInvalid, "python.package builds one member of a uv workspace into a virtual environment; set handoff: venv")
		}
	}
	if r.Handoff == HandoffVenv && d.Has("python.install") {
		d.Errorf(d.At("python.install"), spec.ErrInvalid, "python.install says how the runner receives wheels, but python.handoff is venv: the runner receives the virtual environment; remove install, or set handoff: wheels")
	}

	if r.Handoff == HandoffWheels {
		if !runner.Family.HasShell() {
			d.Errorf(d.At("images.runner"), spec.ErrNoShell, "the Python runner installs wheels with pip, which needs a shell, but %s is %s; set python.handoff: venv (the builder's virtual environment is copied in, no pip needed), or use a python image as runner, e.g. %s", runner.Ref, runner.Family, runnerFor(builder))
		}
		d.RequireSameLibc(s, "Python wheels")
		if bv, rv := builder.PythonVersion(), runner.PythonVersion(); bv != "" && rv != "" && bv != rv {
			d.Errorf(d.At("images.runner"), spec.ErrPythonSkew, "the builder %s has Python %s but the runner %s has Python %s: wheels built for one do not install on the other; use the same Python version in both images", builder.Ref, bv, runner.Ref, rv)
		}
	} else {
		ri, rok := interpreterOf(runner)
		if !d.Has("images.builder") && rok {
			if b, ok := builderFor(ri); ok {
				s.Images.Builder, builder = b, b
			}
		}
		d.RequireSameLibc(s, "the virtual environment's native modules")
		if bi, bok := interpreterOf(builder); bok && rok && (bi.Path != ri.Path || bi.Version != ri.Version) {
			at := "images.runner"
			if d.Has("images.builder") {
				at = "images.builder"
			}
			fix := "use a builder with Python " + ri.Version + " at " + ri.Path
			if b, ok := builderFor(ri); ok {
				fix = fmt.Sprintf("use builder: %s (%s)", b.Ref, ri)
			}
			d.Errorf(d.At(at), spec.ErrPythonSkew, "python.handoff venv copies a virtual environment whose python links to the builder's interpreter, but the builder %s has %s and the runner %s has %s; %s", builder.Ref, bi, runner.Ref, ri, fix)
		}
	}
	d.RequireCmd(s, []string{"python", "-m", strings.NewReplacer("-", "_", ".", "_").Replace(s.Name)})
	if s.Runtime.Init == "" {
		s.Runtime.Init = spec.InitTini
	}
	// A distroless python image's own ENTRYPOINT runs its python with the
	// CMD as arguments; runtime.init none keeps it.
	if s.Runtime.Init == spec.InitNone && !runner.Family.HasShell() && !d.Has("runtime.entrypoint") && len(s.Runtime.Cmd) > 0 && strings.HasPrefix(path.Base(s.Runtime.Cmd[0]), "python") {
		d.Errorf(d.At("runtime.cmd"), spec.ErrInvalid, "with runtime.init none, %s keeps its own ENTRYPOINT, which runs the image's python with runtime.cmd as its arguments (python3 %s), outside the virtual environment; set runtime.entrypoint: [%s] and leave %s out of cmd, or drop runtime.init: none (wharf then runs the cmd under tini)", runner.Ref, strings.Join(s.Runtime.Cmd, " "), s.Runtime.Cmd[0], s.Runtime.Cmd[0])
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
	e.Add(m, "manager", e.Str("python.manager", r.Tool))
	e.Add(m, "handoff", e.Str("python.handoff", r.Handoff))
	if r.Project != "" {
		e.Add(m, "project", e.Str("python.project", r.Project))
	}
	if r.Package != "" {
		e.Add(m, "package", e.Str("python.package", r.Package))
	}
	e.Add(m, "requirements", e.List("python.requirements", r.Requirements))
	if r.Handoff == HandoffWheels {
		e.Add(m, "install", e.Str("python.install", r.Install))
	}
	if r.Index != nil {
		e.Add(m, "index", e.PackageIndex("python.index", r.Index))
	}
}

// Schema is the python section's JSON Schema.
func (language) Schema() *spec.SchemaNode {
	return spec.SchemaObject("The Python recipe: the locked dependencies are installed in the builder from the manifests alone, then the project; the runner receives wheels or the builder's virtual environment.", map[string]*spec.SchemaNode{
		"manager":      spec.SchemaEnum("The package manager whose lockfile the builder installs, strictly (a lockfile out of date with its manifest fails the build), runtime groups only: pip (requirements files, or pyproject.toml's [project.dependencies]), uv (uv.lock), poetry (poetry.lock), pdm (pdm.lock) or pipenv (Pipfile.lock). The manager never reaches the runner.", toolNames()...).WithDefault(Pip.Name),
		"handoff":      spec.SchemaEnum("How the runner receives the dependencies: wheels (pip installs them offline in the runner, which needs a shell and pip) or venv (a virtual environment built at /opt/venv in the builder is copied in: the runner needs only the same Python at the same path, so distroless Python runners work). Default: venv for uv, poetry, pdm and pipenv, and for pip with a shell-less runner; else wheels.", HandoffWheels, HandoffVenv),
		"project":      spec.SchemaRelPath("The folder of the Python project (pyproject.toml or setup.py), relative to the spec's folder. Defaults to \".\" unless only requirements are given, or the manager is pipenv.").WithDefault("."),
		"package":      spec.SchemaPattern("The member of a uv workspace to build (its [project] name), with the build context at the workspace root (context: ..). Needs manager: uv and handoff: venv.", packageName.String()).WithExamples([]any{"api"}),
		"requirements": spec.SchemaList("Requirements files to build wheels from (manager pip).", spec.SchemaRelPath("")).WithExamples([]any{"requirements.txt"}),
		"install":      spec.SchemaEnum("With handoff wheels, how the runner receives the wheels: copy (a COPY layer, removed after installing) or mount (a bind mount of the builder's wheels: no wheel left in any layer).", InstallCopy, InstallMount).WithDefault(InstallCopy),
		"index": spec.SchemaPackageIndex("A private package index. Its login is never in the spec, the Dockerfile or the image: every step that downloads mounts it from a BuildKit secret holding a netrc file (docker build --secret id=ID,src=FILE). pip and the managers' own installs use the URL; so do uv (--default-index), PDM (PDM_PYPI_URL) and Pipenv (PIPENV_PYPI_MIRROR); Poetry reads its sources from pyproject.toml.",
			"https://pypi.example.com/simple", "url"),
	})
}

// ExtraImages is the manager's image (uv's), which wharf lock pins.
func (r *Recipe) ExtraImages() []string {
	if t := Tools[r.Tool]; t != nil && t.Image != "" {
		return []string{t.Image}
	}
	return nil
}
