package python

import (
	"path"
	"strings"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// A Tool is one of Python's package managers (python.manager): the files
// it installs from, how it is installed in the builder, the locked
// installs it runs and the cache folder they mount. The manager itself
// never reaches the runner.
type Tool struct {
	Name string
	// Cache is the folder the builder's install steps mount as a cache.
	Cache string
	// Manifest and Lockfile are copied into the builder before the
	// dependency step; both empty for pip, whose manifests are the
	// requirements files (or pyproject.toml).
	Manifest, Lockfile string
	// Version is the manager's pinned version, empty for pip (the
	// builder's own).
	Version string
	// Image is the image the manager's binary is copied from (uv), with
	// the pinned tag; wharf lock pins it by digest like a base image.
	Image string
	// Packages are what pip installs into the manager's own environment
	// (Home) in the builder: "poetry==2.1.2"; ExportPackages are added
	// for handoff wheels (Poetry's export plugin).
	Packages, ExportPackages []string
	// Home is the virtual environment the manager is installed in, apart
	// from the application's; Command is how the steps call it.
	Home, Command string
	// ActiveVenv says the manager installs into the virtual environment
	// named by VIRTUAL_ENV, which the builder sets to VenvPath.
	ActiveVenv bool
}

// VenvPath is where handoff venv builds the application's virtual
// environment, in the builder and in the runner alike: a venv records
// the absolute path of its interpreter and of itself.
const VenvPath = "/opt/venv"

// CompileVenv compiles every module of the venv (-f: also those pip or the
// manager compiled already) into checked-hash .pyc files, whose header
// holds the source's hash instead of its mtime: the same bytes in every
// build, and still checked against the source on import. It runs in the
// dependency step, before ARG SOURCE_DATE_EPOCH, so it names the mode
// itself.
const CompileVenv = VenvPath + "/bin/python -m compileall -q -f --invalidation-mode checked-hash " + VenvPath

// DependencyWheels sets SOURCE_DATE_EPOCH for the wheels the dependency
// step builds (handoff wheels): it runs before ARG SOURCE_DATE_EPOCH, so
// that a new commit leaves it cached, and a wheel built without the
// variable holds the build's time in its zip entries, which reaches the
// image (the wheels' layer, their hashes in direct_url.json). The
// dependencies' wheels get 1980-01-01, the earliest time a zip holds.
const DependencyWheels = "SOURCE_DATE_EPOCH=315532800"

// PipCache is pip's cache folder, mounted by every step that runs pip.
const PipCache = "/root/.cache/pip"

// The managers' pinned versions. Poetry, PDM and Pipenv are the versions
// Debian 13 packages; uv is copied from its distroless image.
const (
	UVVersion           = "0.10.8"
	PoetryVersion       = "2.1.2"
	PoetryExportVersion = "1.9.0"
	PDMVersion          = "2.20.1"
	PipenvVersion       = "2024.0.1"
)

// The package managers.
var (
	// Pip builds wheels (or a venv) from requirements files and the project.
	Pip = &Tool{Name: "pip", Cache: PipCache}
	// UV syncs uv.lock into the venv with uv sync --locked.
	UV = &Tool{Name: "uv", Cache: "/root/.cache/uv", Manifest: "pyproject.toml", Lockfile: "uv.lock",
		Version: UVVersion, Image: "ghcr.io/astral-sh/uv:" + UVVersion, Command: "uv"}
	// Poetry checks poetry.lock against pyproject.toml, then syncs it.
	Poetry = &Tool{Name: "poetry", Cache: "/root/.cache/pypoetry", Manifest: "pyproject.toml", Lockfile: "poetry.lock",
		Version: PoetryVersion, Packages: []string{"poetry==" + PoetryVersion}, ExportPackages: []string{"poetry-plugin-export==" + PoetryExportVersion},
		Home: "/opt/poetry", Command: "/opt/poetry/bin/poetry", ActiveVenv: true}
	// PDM installs pdm.lock with pdm install --check.
	PDM = &Tool{Name: "pdm", Cache: "/root/.cache/pdm", Manifest: "pyproject.toml", Lockfile: "pdm.lock",
		Version: PDMVersion, Packages: []string{"pdm==" + PDMVersion}, Home: "/opt/pdm", Command: "/opt/pdm/bin/pdm", ActiveVenv: true}
	// Pipenv installs Pipfile.lock with pipenv install --deploy.
	Pipenv = &Tool{Name: "pipenv", Cache: "/root/.cache/pipenv", Manifest: "Pipfile", Lockfile: "Pipfile.lock",
		Version: PipenvVersion, Packages: []string{"pipenv==" + PipenvVersion}, Home: "/opt/pipenv", Command: "/opt/pipenv/bin/pipenv", ActiveVenv: true}
)

// Tools are Python's package managers, by name; toolOrder lists them for
// messages and the schema.
var (
	Tools     = map[string]*Tool{Pip.Name: Pip, UV.Name: UV, Poetry.Name: Poetry, PDM.Name: PDM, Pipenv.Name: Pipenv}
	toolOrder = []*Tool{Pip, UV, Poetry, PDM, Pipenv}
)

func toolNames() []string {
	names := make([]string, len(toolOrder))
	for i, t := range toolOrder {
		names[i] = t.Name
	}
	return names
}

// A Step is one RUN of the recipe's builder: the caches it mounts and its
// commands, run one after the other (joined with &&). Steps that reach
// the package index also mount its secret (.Index.Secret).
type Step struct {
	Caches   []string
	Commands []string
	// Index is the recipe's index when the step reaches it, else nil.
	Index *spec.PackageIndex
}

// word quotes w for a POSIX shell when it needs it, as the templates'
// shell function does.
func word(w string) string {
	bare := w != ""
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_./:@%+,-", c) >= 0) {
			bare = false
		}
	}
	if bare {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

// localPath makes a relative path explicit (./x), so pip reads it as a
// folder rather than a package name.
func localPath(p string) string {
	if p == "." || strings.HasPrefix(p, "./") {
		return p
	}
	return "./" + p
}

// inDir is a file of the project's folder, as a path in the build context.
func inDir(dir, file string) string {
	if dir == "." || dir == "" {
		return file
	}
	return dir + "/" + file
}

// pyprojectDependencies is the script that writes [project.dependencies]
// of a pyproject.toml (nothing when the file is missing or declares them
// dynamic) to DependenciesFile, one requirement a line: the pip recipe's
// dependency layer, built from the manifest alone. It needs Python 3.11's
// tomllib.
const pyprojectDependencies = `import os, sys, tomllib; f = sys.argv[1]; d = tomllib.load(open(f, "rb")).get("project", {}).get("dependencies", []) if os.path.exists(f) else []; open(sys.argv[2], "w").write("".join(r + "\n" for r in d))`

// DependenciesFile is where the dependency step writes the requirements it
// installs: pyproject.toml's dependencies for pip, the exported lock of the
// other managers for handoff wheels.
const DependenciesFile = "/tmp/requirements.txt"

// steps works out the builder's RUN steps for b: the manager's setup, the
// dependency step (from the manifests alone) and the project's step
// (after the source). Any of them may be nil.
func (b *Build) steps(pythonMinor int) (setup, deps, project *Step) {
	setup, deps, project = b.commands(pythonMinor)
	if deps != nil && (b.Tool != Pip || len(b.Requirements) > 0) {
		// The dependency step runs before the builder's WORKDIR (see the
		// builder-workdir block), in the folder its manifests were copied
		// to; pip's other dependency steps name their paths in full.
		deps.Commands = append([]string{"cd " + generate.SourceDir}, deps.Commands...)
	}
	for _, st := range []*Step{setup, deps, project} {
		if st != nil && len(st.Caches) > 0 {
			st.Index = b.Index // every step with a cache downloads
		}
	}
	return setup, deps, project
}

func (b *Build) commands(pythonMinor int) (setup, deps, project *Step) {
	t := b.Tool
	index := ""
	if b.Index != nil && b.Index.URL != "" {
		index = " --index-url " + word(b.Index.URL)
	}
	pip, pipCmd := "pip", "pip wheel --wheel-dir /wheels"
	depsCmd := DependencyWheels + " " + pipCmd
	if b.Venv != "" {
		pip = VenvPath + "/bin/pip"
		pipCmd = pip + " install"
		depsCmd = pipCmd
	}
	if t == Pip {
		var createVenv []string
		if b.Venv != "" {
			createVenv = []string{"python3 -m venv " + VenvPath}
		}
		switch {
		case len(b.Requirements) > 0:
			cmd := depsCmd + index
			for _, r := range b.Requirements {
				cmd += " -r " + word(r)
			}
			deps = &Step{Caches: []string{PipCache}, Commands: append(createVenv, cmd)}
		case b.Project != "" && (pythonMinor == 0 || pythonMinor >= 11):
			b.Pyproject = inDir(b.Project, "pyproject.toml")
			deps = &Step{Caches: []string{PipCache}, Commands: append(createVenv,
				"python3 -c '"+pyprojectDependencies+"' "+word(path.Join(generate.SourceDir, b.Pyproject))+" "+DependenciesFile,
				"if [ -s "+DependenciesFile+" ]; then "+depsCmd+index+" -r "+DependenciesFile+"; fi")}
		case b.Venv != "":
			deps = &Step{Commands: createVenv}
		}
		if deps != nil && b.Venv != "" {
			deps.Commands = append(deps.Commands, CompileVenv)
		}
		if b.Project != "" {
			if b.Venv != "" {
				project = &Step{Caches: []string{PipCache}, Commands: []string{pipCmd + index + " " + word(localPath(b.Project))}}
			} else {
				project = &Step{Caches: []string{PipCache}, Commands: []string{pipCmd + index + " --find-links /wheels " + word(localPath(b.Project))}}
			}
		}
		return setup, deps, project
	}

	if len(t.Packages) > 0 {
		pkgs := t.Packages
		if b.Venv == "" {
			pkgs = append(append([]string(nil), pkgs...), t.ExportPackages...)
		}
		setup = &Step{Caches: []string{PipCache}, Commands: []string{
			"python3 -m venv " + t.Home,
			t.Home + "/bin/pip install" + index + " " + strings.Join(pkgs, " "),
		}}
	}
	// flags that point the manager at the project's folder, and the
	// environment it needs for the index.
	var at, env string
	dir := b.Project
	if b.Package != "" || dir == "" {
		dir = "."
	}
	switch t {
	case UV:
		if dir != "." {
			at = " --project " + word(dir)
		}
		if index != "" {
			at += " --default-index " + word(b.Index.URL)
		}
	case Poetry:
		if dir != "." {
			at = " --directory " + word(dir)
		}
	case PDM:
		if dir != "." {
			at = " --project " + word(dir)
		}
		if index != "" {
			env = "PDM_PYPI_URL=" + word(b.Index.URL) + " "
		}
	case Pipenv:
		if dir != "." {
			env = "PIPENV_PIPFILE=" + word(inDir(dir, "Pipfile")) + " "
		}
		if index != "" {
			env += "PIPENV_PYPI_MIRROR=" + word(b.Index.URL) + " "
		}
	}
	caches := []string{t.Cache}
	if b.Venv != "" {
		deps = &Step{Caches: caches}
		switch t {
		case UV:
			if b.Package != "" {
				// The workspace's other members are not copied yet:
				// --frozen installs from uv.lock as it is, and the
				// project's step below checks it with --locked.
				deps.Commands = []string{"uv sync --frozen --no-dev --no-install-workspace --package " + word(b.Package) + at}
				project = &Step{Caches: caches, Commands: []string{"uv sync --locked --no-dev --no-editable --package " + word(b.Package) + at}}
			} else {
				deps.Commands = []string{"uv sync --locked --no-dev --no-install-project" + at}
				project = &Step{Caches: caches, Commands: []string{"uv sync --locked --no-dev --no-editable" + at}}
			}
			return setup, deps, project
		case Poetry:
			deps.Commands = []string{"python3 -m venv " + VenvPath,
				env + t.Command + " check --lock" + at,
				env + t.Command + " sync --only main --no-root --no-interaction" + at}
		case PDM:
			deps.Commands = []string{"python3 -m venv " + VenvPath,
				env + t.Command + " install --check --prod --no-self --no-editable" + at}
		case Pipenv:
			deps.Commands = []string{"python3 -m venv " + VenvPath,
				env + t.Command + " install --deploy"}
		}
		// Not every manager compiles, and pip compiles in timestamp mode
		// here (before ARG SOURCE_DATE_EPOCH); pip, which installs the
		// project, compiles what it installs.
		deps.Commands = append(deps.Commands, CompileVenv)
		if b.Project != "" {
			project = &Step{Caches: []string{PipCache}, Commands: []string{pip + " install --no-deps" + index + " " + word(localPath(b.Project))}}
		}
		return setup, deps, project
	}

	// handoff wheels: export the lock (with hashes), build its wheels,
	// then the project's.
	var export []string
	switch t {
	case UV:
		export = []string{"uv export --locked --no-dev --no-emit-project --format requirements-txt --output-file " + DependenciesFile + at}
	case Poetry:
		export = []string{env + t.Command + " check --lock" + at, env + t.Command + " export --only main --output " + DependenciesFile + at}
	case PDM:
		export = []string{env + t.Command + " lock --check" + at, env + t.Command + " export --prod --output " + DependenciesFile + at}
	case Pipenv:
		export = []string{env + t.Command + " verify", env + t.Command + " requirements --hash > " + DependenciesFile}
		if index != "" {
			// pipenv requirements writes the lock's sources (-i
			// https://pypi.org/simple), not PIPENV_PYPI_MIRROR, and a
			// requirements file's -i wins over pip's --index-url: drop
			// PyPI's, as the mirror replaces it.
			export = append(export, `sed -i -E '\#^(-i|--extra-index-url) https?://pypi(\.python)?\.org/simple/?$#d' `+DependenciesFile)
		}
	}
	deps = &Step{Caches: []string{t.Cache, PipCache}, Commands: append(export,
		DependencyWheels+" pip wheel --wheel-dir /wheels"+index+" --require-hashes -r "+DependenciesFile)}
	if b.Project != "" {
		project = &Step{Caches: []string{PipCache}, Commands: []string{"pip wheel --wheel-dir /wheels" + index + " --no-deps " + word(localPath(b.Project))}}
	}
	return setup, deps, project
}
