package python

import (
	"embed"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Build is the Python data the blocks read (.Python): the recipe, with its
// paths as seen from the build context, and the builder's steps.
type Build struct {
	*Recipe
	// Project and Requirements are the recipe's, relative to the context.
	Project      string
	Requirements []string
	// Tool is the package manager's sub-unit.
	Tool *Tool
	// Venv is VenvPath with handoff venv, else "".
	Venv string
	// ToolImage is the image the manager is copied from (Tool.Image,
	// pinned by wharf.lock), or "".
	ToolImage string
	// Pyproject is the pyproject.toml whose [project.dependencies] pip
	// installs before the source, or "".
	Pyproject string
	// SetupStep installs the manager, DependencyStep the locked
	// dependencies from the manifests alone, ProjectStep the project after
	// the source; each may be nil.
	SetupStep, DependencyStep, ProjectStep *Step
}

// DefaultPath is the PATH of the official python and the distroless
// python3 images, which handoff venv puts VenvPath/bin before.
const DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

//go:embed *.tmpl
var blocks embed.FS

// Field is the name of the recipe's data in templates.
func (language) Field() string { return "Python" }

// Blocks are python.tmpl's blocks.
func (language) Blocks() fs.FS { return blocks }

// Prepare sets the Python data.
func (language) Prepare(d *generate.Dockerfile, s *spec.Spec) generate.Prepared {
	r := s.Recipe.(*Recipe)
	t := Tools[r.Tool]
	b := &Build{Recipe: r, Tool: t}
	if r.Project != "" {
		b.Project = s.InContext(r.Project)
	}
	for _, f := range r.Requirements {
		b.Requirements = append(b.Requirements, s.InContext(f))
	}
	if r.Handoff == HandoffVenv {
		b.Venv = VenvPath
	}
	if t.Image != "" {
		b.ToolImage = d.Image(t.Image)
	}
	if i, ok := interpreterOf(s.Images.Builder); ok && i.Debian {
		d.Builder.Packages = append(d.Builder.Packages, "python3", "python3-venv")
	}
	minor := 0
	if v := s.Images.Builder.PythonVersion(); strings.HasPrefix(v, "3.") {
		minor, _ = strconv.Atoi(v[2:])
	}
	b.SetupStep, b.DependencyStep, b.ProjectStep = b.steps(minor)
	d.Recipe = b
	d.Builder.Caches = b.caches()

	builderEnv := map[string]string{}
	manifests := b.Requirements
	switch {
	case t == UV:
		builderEnv["UV_COMPILE_BYTECODE"] = "1"
		builderEnv["UV_LINK_MODE"] = "copy"
		builderEnv["UV_PYTHON_DOWNLOADS"] = "0"
		if b.Venv != "" {
			builderEnv["UV_PROJECT_ENVIRONMENT"] = VenvPath
			// uv compiles the venv in the mode this names (default
			// TIMESTAMP), not py_compile's SOURCE_DATE_EPOCH default;
			// see CompileVenv.
			builderEnv["PYC_INVALIDATION_MODE"] = "CHECKED_HASH"
		}
	case t.ActiveVenv && b.Venv != "":
		builderEnv["VIRTUAL_ENV"] = VenvPath
	}
	switch t {
	case PDM:
		builderEnv["PDM_CHECK_UPDATE"] = "false"
	case Pipenv:
		builderEnv["PIPENV_VERBOSITY"] = "-1"
	}
	if t != Pip {
		dir := b.Project
		if r.Package != "" || dir == "" {
			dir = "."
		}
		manifests = []string{inDir(dir, t.Manifest), inDir(dir, t.Lockfile)}
		if r.Package != "" && b.Project != "" && b.Project != "." {
			// the member's own pyproject.toml, beside the workspace's
			manifests = append(manifests, inDir(b.Project, "pyproject.toml"))
		}
	} else if b.Pyproject != "" {
		// pyproject.tom[l]: a pattern, so that a project with only a
		// setup.py copies nothing here instead of failing.
		manifests = []string{b.Pyproject[:len(b.Pyproject)-1] + "[l]"}
	}
	runnerEnv := map[string]string{"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}
	if b.Venv != "" {
		// The venv's bin first, on a literal PATH: a generated
		// Dockerfile expands no variable of the base image.
		runnerEnv["PATH"] = VenvPath + "/bin:" + DefaultPath
		if len(s.Build.Before) > 0 || len(s.Build.Run) > 0 {
			builderEnv["PATH"] = runnerEnv["PATH"] // build.before and build.run see the venv
		}
	}
	return generate.Prepared{
		Manifests:  manifests,
		BuilderEnv: builderEnv,
		RunnerEnv:  runnerEnv,
	}
}

// caches are the cache folders that build.before and build.run mount:
// those of the project's step (the language's build: pip wheel or pip
// install of the project, uv sync), then those the dependency step adds
// (the manager's), each once. A recipe with no project step (pip with
// requirements files only) has only the dependency step's.
func (b *Build) caches() []string {
	var out []string
	for _, st := range []*Step{b.ProjectStep, b.DependencyStep} {
		if st == nil {
			continue
		}
		for _, c := range st.Caches {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// Ignore lists what a Python build never needs.
func (language) Ignore(*spec.Spec) []string {
	return []string{"**/__pycache__", "**/*.py[cod]", "**/.venv", "**/venv", ".tox", ".nox", ".pytest_cache", ".mypy_cache", ".ruff_cache", "build", "dist", "**/*.egg-info"}
}
