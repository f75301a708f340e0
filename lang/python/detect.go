package python

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

// pythonMinors are the Python 3 minor versions with python:3.N-slim
// images that detection chooses from, oldest first.
var pythonMinors = []int{9, 10, 11, 12, 13, 14}

// defaultPythonMinor is the minor of the default python image.
const defaultPythonMinor = 13

// pyproject is the part of pyproject.toml detection reads.
type pyproject struct {
	Project struct {
		Name           string            `toml:"name"`
		RequiresPython string            `toml:"requires-python"`
		Dependencies   []string          `toml:"dependencies"`
		Scripts        map[string]string `toml:"scripts"`
	} `toml:"project"`
	BuildSystem struct {
		Backend string `toml:"build-backend"`
	} `toml:"build-system"`
	Tool struct {
		Poetry struct {
			Name         string         `toml:"name"`
			Scripts      map[string]any `toml:"scripts"`
			Dependencies map[string]any `toml:"dependencies"`
		} `toml:"poetry"`
		Setuptools struct {
			ExtModules []any `toml:"ext-modules"`
		} `toml:"setuptools"`
		UV  map[string]any `toml:"uv"`
		PDM map[string]any `toml:"pdm"`
	} `toml:"tool"`
}

var (
	setupName       = lazyregexp.New(`\bname\s*=\s*["']([^"']+)["']`)
	setupRequires   = lazyregexp.New(`\bpython_requires\s*=\s*["']([^"']+)["']`)
	setupExtension  = lazyregexp.New(`\bExtension\s*\(|\bext_modules\b|\bcythonize\s*\(`)
	setupScript     = lazyregexp.New(`["']\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\s*=\s*[A-Za-z_][A-Za-z0-9_.]*\s*:\s*[A-Za-z_][A-Za-z0-9_.]*\s*["']`)
	pythonVersionRe = lazyregexp.New(`^([0-9]+)\.([0-9]+)`)
	devRequirements = lazyregexp.New(`(?i)[-_.](dev|develop|test|tests|testing|lint|docs?|ci)[-_.]`)
)

// nativeBackends are build backends that compile C or C++.
var nativeBackends = []string{"scikit_build_core.build", "mesonpy", "setuptools_ext"}

// Detect reads the project into p.
func (language) Detect(fsys fs.FS, p *detect.Proposal) error {
	var (
		py        pyproject
		name      string
		requires  string
		reqFrom   string
		scripts   = map[string]string{} // name to where it was declared
		extension string
	)
	hasPyproject, hasSetup := detect.IsFile(fsys, "pyproject.toml"), detect.IsFile(fsys, "setup.py")
	if data, ok := detect.ReadFile(fsys, "pyproject.toml"); ok {
		p.Sources = append(p.Sources, "pyproject.toml")
		if _, err := toml.Decode(data, &py); err != nil {
			return fmt.Errorf("read pyproject.toml: %w", err)
		}
		name = firstNonEmpty(py.Project.Name, py.Tool.Poetry.Name)
		if py.Project.RequiresPython != "" {
			requires, reqFrom = py.Project.RequiresPython, "requires-python in pyproject.toml"
		} else if v, ok := py.Tool.Poetry.Dependencies["python"].(string); ok {
			requires, reqFrom = v, "[tool.poetry.dependencies] python in pyproject.toml"
		}
		for s := range py.Project.Scripts {
			scripts[s] = "[project.scripts] in pyproject.toml"
		}
		for s := range py.Tool.Poetry.Scripts {
			scripts[s] = "[tool.poetry.scripts] in pyproject.toml"
		}
		if len(py.Tool.Setuptools.ExtModules) > 0 {
			extension = "pyproject.toml declares ext-modules"
		}
		if slices.Contains(nativeBackends, py.BuildSystem.Backend) {
			extension = fmt.Sprintf("pyproject.toml builds with %s", py.BuildSystem.Backend)
		}
	}
	if data, ok := detect.ReadFile(fsys, "setup.py"); ok {
		p.Sources = append(p.Sources, "setup.py")
		if m := setupName.FindStringSubmatch(data); m != nil && name == "" {
			name = m[1]
		}
		if m := setupRequires.FindStringSubmatch(data); m != nil && requires == "" {
			requires, reqFrom = m[1], "python_requires in setup.py"
		}
		if strings.Contains(data, "console_scripts") {
			for _, m := range setupScript.FindAllStringSubmatch(data, -1) {
				scripts[m[1]] = "console_scripts in setup.py"
			}
		}
		if setupExtension.MatchString(data) && extension == "" {
			extension = "setup.py declares C extensions"
		}
	}
	if extension == "" {
		detect.WalkFiles(fsys, ".", func(name string) {
			switch path.Ext(name) {
			case ".c", ".cc", ".cpp", ".cxx", ".pyx":
				if extension == "" {
					extension = fmt.Sprintf("the project has C sources (%s)", name)
				}
			}
		})
	}

	// Requirements: requirements.txt, or the requirements*.txt files that
	// are not for development when the project has no pyproject or setup.py.
	var reqs []string
	if detect.IsFile(fsys, "requirements.txt") {
		reqs = []string{"requirements.txt"}
	} else if !hasPyproject && !hasSetup {
		names, _ := fs.Glob(fsys, "requirements*.txt")
		for _, n := range names {
			if !devRequirements.MatchString(n) {
				reqs = append(reqs, n)
			}
		}
		if len(reqs) == 0 && len(names) > 0 {
			reqs = names[:1]
		}
	}
	manager, managerWhy, hint := detectManager(fsys, &py, hasPyproject)
	if manager != nil {
		reqs = nil // the lockfile holds the dependencies
	}
	hasPipfile := manager == Pipenv
	if !hasPyproject && !hasSetup && len(reqs) == 0 && !hasPipfile {
		return fmt.Errorf("python: found no pyproject.toml, setup.py, requirements*.txt or Pipfile.lock; the python recipe installs from them")
	}
	p.Sources = append(p.Sources, reqs...)
	r := &proposal{Requirements: reqs, Manager: manager, ManagerWhy: managerWhy, Hint: hint}
	if manager != nil {
		p.Sources = append(p.Sources, manager.Lockfile)
	}
	defer func() { p.Section = r.fields() }()
	if hasPyproject || hasSetup {
		r.Project = "."
	}
	if name != "" {
		p.Name = detect.SpecName(name)
	}

	// Files that the requirements name must be in the builder before the
	// dependency step: included requirement files and local packages.
	var deps []string
	for _, r := range reqs {
		deps = append(deps, localRequirements(fsys, r, reqs)...)
	}
	slices.Sort(deps)
	p.DependencyFiles = slices.Compact(deps)
	if len(p.DependencyFiles) > 0 {
		p.DependencyWhy = fmt.Sprintf("%s names these local files: they are copied into the builder before the dependency step.", detect.JoinList(reqs))
	}

	if extension != "" {
		p.BuildPackages = []string{"gcc", "libc6-dev"}
		p.BuildPackagesWhy = extension + ": the builder needs a C compiler and the C library's headers. They stay out of the runner. Add the -dev packages of libraries the extensions link."
	}

	declared := requirements(fsys, py, reqs)
	proposeNative(p, declared)
	minor, why, note := pythonVersion(fsys, requires, reqFrom, declared)
	p.ImagesNote = note
	p.Builder = fmt.Sprintf("python:3.%d-slim", minor)
	p.Runner = p.Builder
	p.ImagesWhy = why + " Keep both stages on one Python version: wheels built for one do not install on the other."

	p.Cmd, p.CmdWhy = pythonCmd(fsys, p, r.Project, name, scripts)
	if cmd, why, port, ok := startCommand(fsys, dependencies(declared), len(scripts) > 0); ok {
		p.Cmd, p.CmdWhy, p.CmdSure = cmd, why, detect.Likely
		if port > 0 {
			p.Expose, p.ExposeWhy = []int{port}, fmt.Sprintf("The port the command binds (%d).", port)
		}
		if port > 0 && usesPortVar(cmd) {
			p.SetEnv("PORT", strconv.Itoa(port), "The command reads its port from $PORT, which a platform like Heroku sets and a container does not: set here to the exposed port.")
		}
	} else if p.CmdSure == detect.Unknown {
		p.Cmd, p.CmdFails = []string{"python3", "-c", "raise SystemExit('set runtime.cmd in wharf.yaml')"}, true
		p.Notes = append(p.Notes, "cannot tell how the app starts: set runtime.cmd in wharf.yaml (until then the container exits saying so)")
	}
	if r.Project == "" {
		p.Artifacts = []spec.Artifact{{From: "/src", To: "/app"}}
		p.ArtifactsWhy = "With requirements only, the runner receives the installed packages but not your code: this copies the project into the runner's workdir. Narrow it to what the app needs."
	}
	return nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// pythonVersion chooses the Python minor of the images: .python-version
// if the project pins one, else the default if the project's constraint
// allows it, else the newest it allows; with neither, what its pinned
// requirements allow (pinnedPython, whose note it returns).
func pythonVersion(fsys fs.FS, requires, reqFrom string, reqs []requirement) (int, string, string) {
	if data, ok := detect.ReadFile(fsys, ".python-version"); ok {
		if m := pythonVersionRe.FindStringSubmatch(strings.TrimSpace(data)); m != nil && m[1] == "3" {
			var minor int
			fmt.Sscan(m[2], &minor)
			return minor, fmt.Sprintf("Python 3.%d, from .python-version.", minor), ""
		}
	}
	if requires == "" {
		return pinnedPython(reqs)
	}
	minor, why := requiredPython(requires, reqFrom)
	return minor, why, ""
}

// requiredPython is the default Python minor if the constraint requires
// (from reqFrom) allows it, else the newest it allows.
func requiredPython(requires, reqFrom string) (int, string) {
	c, ok := detect.ParsePythonRange(requires)
	if !ok {
		return defaultPythonMinor, fmt.Sprintf("Python 3.%d: wharf could not read %s %q; check that it fits.", defaultPythonMinor, reqFrom, requires)
	}
	allowed := func(minor int) bool { return c.AllowsSeries(detect.Version{3, minor}, 2) }
	if allowed(defaultPythonMinor) {
		return defaultPythonMinor, fmt.Sprintf("Python 3.%d, which %s %q allows.", defaultPythonMinor, reqFrom, requires)
	}
	for i := len(pythonMinors) - 1; i >= 0; i-- {
		if allowed(pythonMinors[i]) {
			return pythonMinors[i], fmt.Sprintf("Python 3.%d, the newest that %s %q allows.", pythonMinors[i], reqFrom, requires)
		}
	}
	return defaultPythonMinor, fmt.Sprintf("Python 3.%d, although %s %q allows none of 3.%d to 3.%d; check it.", defaultPythonMinor, reqFrom, requires, pythonMinors[0], pythonMinors[len(pythonMinors)-1])
}

// pythonCmd proposes how the container starts: a console script the
// project declares, else a package or module that can run with -m.
func pythonCmd(fsys fs.FS, p *detect.Proposal, project, name string, scripts map[string]string) ([]string, string) {
	if len(scripts) > 0 {
		names := make([]string, 0, len(scripts))
		for s := range scripts {
			names = append(names, s)
		}
		slices.Sort(names)
		chosen := names[0]
		for _, s := range names {
			if name != "" && detect.SpecName(s) == detect.SpecName(name) {
				chosen = s
			}
		}
		why := fmt.Sprintf("The console script %q from %s, which pip installs on the PATH.", chosen, scripts[chosen])
		if len(names) > 1 {
			why += fmt.Sprintf(" The project declares %s.", detect.JoinList(quoteAll(names)))
		}
		return []string{chosen}, why
	}
	module := strings.NewReplacer("-", "_", ".", "_").Replace(strings.ToLower(name))
	var mains []string
	for _, root := range []string{".", "src"} {
		entries, _ := fs.ReadDir(fsys, root)
		for _, e := range entries {
			if e.IsDir() && !detect.SkipDir(e.Name()) && detect.IsFile(fsys, path.Join(root, e.Name(), "__main__.py")) {
				mains = append(mains, e.Name())
			}
		}
	}
	if len(mains) > 0 {
		chosen := mains[0]
		if slices.Contains(mains, module) {
			chosen = module
		}
		return []string{"python", "-m", chosen}, fmt.Sprintf("The package %s has a __main__.py.", chosen)
	}
	if project == "" {
		for _, f := range []string{"main.py", "app.py", "server.py", "manage.py"} {
			if detect.IsFile(fsys, f) {
				return []string{"python", f}, fmt.Sprintf("%s is the project's entry point, as far as wharf can tell; check it.", f)
			}
		}
	}
	if module == "" {
		module = "app"
	}
	p.CmdSure = detect.Unknown
	return nil, "wharf found no Procfile, console script, framework app, __main__.py or main.py; set runtime.cmd to how your app starts. Until then the container exits with this message."
}

func quoteAll(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

var (
	reqInclude = lazyregexp.New(`^(?:-r|-c|--requirement|--constraint)[ =]?\s*(\S+)`)
	reqLocal   = lazyregexp.New(`^(?:-e\s+|--editable[ =]\s*)?(?:\S+\s*@\s*)?(?:file:)?(\.{1,2}/\S*|\.)$`)
)

// localRequirements returns the top-level files and folders that the
// requirements file names, so they reach the builder with it: included
// requirement and constraint files, and local packages (./vendor/x).
// Files already in reqs are left out.
func localRequirements(fsys fs.FS, file string, reqs []string) []string {
	data, ok := detect.ReadFile(fsys, file)
	if !ok {
		return nil
	}
	var out []string
	add := func(p string) {
		p = detect.CleanRel(path.Join(path.Dir(file), p))
		if p == "" || p == "." || slices.Contains(reqs, p) {
			return
		}
		top, _, _ := strings.Cut(p, "/")
		if detect.IsFile(fsys, p) && !strings.Contains(p, "/") {
			top = p
		}
		out = append(out, top)
	}
	for _, line := range strings.Split(data, "\n") {
		line, _, _ = strings.Cut(line, " #")
		line = strings.TrimSpace(line)
		if m := reqInclude.FindStringSubmatch(line); m != nil {
			add(m[1])
		} else if m := reqLocal.FindStringSubmatch(line); m != nil {
			add(m[1])
		}
	}
	return out
}

// detectManager proposes the package manager whose lockfile the project
// has (uv.lock, poetry.lock, pdm.lock, Pipfile.lock), with why. A
// [tool.uv], [tool.poetry] or [tool.pdm] table without its lockfile gives
// no manager (the build would fail on the missing lockfile) but a hint.
func detectManager(fsys fs.FS, py *pyproject, hasPyproject bool) (*Tool, string, string) {
	tables := []struct {
		tool *Tool
		has  bool
	}{{UV, py.Tool.UV != nil}, {Poetry, py.Tool.Poetry.Name != "" || py.Tool.Poetry.Dependencies != nil}, {PDM, py.Tool.PDM != nil}}
	for _, t := range []*Tool{UV, Poetry, PDM, Pipenv} {
		if !detect.IsFile(fsys, t.Lockfile) || (t.Manifest == "pyproject.toml" && !hasPyproject) || !detect.IsFile(fsys, t.Manifest) {
			continue
		}
		return t, fmt.Sprintf("%s is locked in %s: the builder installs exactly those versions (%s fails the build when the lockfile is out of date with %s).", t.Manifest, t.Lockfile, t.Name, t.Manifest), ""
	}
	for _, tb := range tables {
		if tb.has {
			return nil, "", fmt.Sprintf("pyproject.toml has [tool.%s] but no %s: run %s lock and set manager: %s to install the locked versions.", tb.tool.Name, tb.tool.Lockfile, tb.tool.Name, tb.tool.Name)
		}
	}
	return nil, "", ""
}

// proposal is the proposed python section.
type proposal struct {
	Manager      *Tool  // nil for pip
	ManagerWhy   string // why Manager
	Hint         string // a manager that could be used, as a comment
	Project      string // "" when only requirements are installed
	Requirements []string
}

func (r *proposal) fields() []detect.Field {
	var f []detect.Field
	switch {
	case r.Manager != nil:
		f = append(f, detect.Field{Key: "manager", Value: detect.Scalar(r.Manager.Name), Why: r.ManagerWhy})
	case r.Hint != "":
		f = append(f, detect.Field{Key: "manager", Value: detect.Scalar(Pip.Name), Why: r.Hint})
	}
	if r.Project != "" {
		f = append(f, detect.Field{Key: "project", Value: detect.Scalar(r.Project)})
	}
	if len(r.Requirements) > 0 {
		f = append(f, detect.Field{Key: "requirements", Value: detect.FlowList(r.Requirements)})
	}
	return f
}

// Markers are the files that tell a Python project.
func (language) Markers() []string {
	return []string{"pyproject.toml", "setup.py", "requirements*.txt", "Pipfile.lock"}
}
