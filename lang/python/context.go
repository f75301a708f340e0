package python

import (
	"io/fs"
	"path"
	"strings"

	"github.com/wharf-dev/wharf/spec"
)

// stdlibMains are standard-library modules that run with python -m.
var stdlibMains = map[string]bool{
	"asyncio": true, "ast": true, "base64": true, "calendar": true, "compileall": true, "cProfile": true,
	"dis": true, "doctest": true, "ensurepip": true, "gzip": true, "http": true, "idlelib": true,
	"inspect": true, "json": true, "pdb": true, "pickle": true, "pickletools": true, "pip": true,
	"platform": true, "profile": true, "py_compile": true, "pydoc": true, "site": true, "sqlite3": true,
	"sysconfig": true, "tabnanny": true, "tarfile": true, "timeit": true, "tokenize": true, "trace": true,
	"unittest": true, "uuid": true, "venv": true, "webbrowser": true, "zipapp": true, "zipfile": true,
}

// dependencyFiles are the files whose text names the project's
// dependencies, lockfiles included (they name the indirect ones).
var dependencyFiles = []string{"pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "pdm.lock"}

// CheckContext reports a python -m module that the runner will not have:
// a package of the project without __main__.py, or a module that is
// neither in the project nor named by its dependency files. It checks
// only when the spec's folder holds the project (its pyproject.toml,
// setup.py or requirements files).
func (r *Recipe) CheckContext(d *spec.Decoder, s *spec.Spec, fsys fs.FS) {
	if d.Has("runtime.entrypoint") || len(s.Runtime.Cmd) < 3 {
		return
	}
	exe := path.Base(s.Runtime.Cmd[0])
	if exe != "python" && !strings.HasPrefix(exe, "python3") {
		return
	}
	i := 1
	for i < len(s.Runtime.Cmd) && strings.HasPrefix(s.Runtime.Cmd[i], "-") && s.Runtime.Cmd[i] != "-m" {
		i++
	}
	if i >= len(s.Runtime.Cmd) {
		return
	}
	if s.Runtime.Cmd[i] != "-m" {
		r.checkScript(d, s, fsys, i)
		return
	}
	if i+1 >= len(s.Runtime.Cmd) {
		return
	}
	module := s.Runtime.Cmd[i+1]
	var evidence []string
	roots := []string{"."}
	if r.Project != "" {
		roots = []string{r.Project, path.Join(r.Project, "src")}
		for _, f := range []string{"pyproject.toml", "setup.py"} {
			if isFile(fsys, path.Join(r.Project, f)) {
				evidence = append(evidence, path.Join(r.Project, f))
			}
		}
	} else {
		roots = append(roots, "src")
		for _, f := range r.Requirements {
			if isFile(fsys, f) {
				evidence = append(evidence, f)
			}
		}
	}
	if len(evidence) == 0 {
		return // the folder does not hold the project: nothing to tell
	}
	rel := strings.ReplaceAll(module, ".", "/")
	top, _, _ := strings.Cut(module, ".")
	var pkgNoMain string
	at := d.Item("runtime.cmd", i+1)
	if at == nil {
		at = d.At("runtime.cmd")
	}
	for _, root := range roots {
		dir := path.Join(root, rel)
		if isFile(fsys, path.Join(dir, "__main__.py")) || isFile(fsys, dir+".py") {
			if r.Project == "" && len(s.Artifacts) == 0 {
				d.Errorf(at, spec.ErrInvalid, "runtime.cmd runs python -m %s, from the project's code, but the runner gets only the requirements' packages: with requirements and no python.project, add the code as an artifact, e.g. artifacts: [{from: /src, to: /app}]", module)
			}
			return
		}
		if pkgNoMain == "" && isFile(fsys, path.Join(dir, "__init__.py")) {
			pkgNoMain = dir
		}
	}
	if pkgNoMain != "" {
		d.Errorf(at, spec.ErrInvalid, "runtime.cmd runs python -m %s, but the package %s has no __main__.py: the container would exit with \"No module named %s.__main__\"; add %s/__main__.py, or run the app's server or entry file instead (e.g. gunicorn or uvicorn with the app object, or python main.py)", module, pkgNoMain, module, pkgNoMain)
		return
	}
	if stdlibMains[top] {
		return
	}
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "-") }
	want := norm(top)
	files := append(append([]string(nil), r.Requirements...), dependencyFiles...)
	for _, f := range files {
		if r.Project != "" && !strings.HasPrefix(f, "requirements") {
			f = path.Join(r.Project, f)
		}
		if data, err := fs.ReadFile(fsys, f); err == nil && strings.Contains(norm(string(data)), want) {
			return // a dependency may well hold it
		}
	}
	d.Errorf(at, spec.ErrInvalid, "runtime.cmd runs python -m %s, but the runner will not have it: there is no %s/__main__.py or %s.py in the project, and %s names no dependency %q; the container would exit with \"No module named %s\". Name a module the project has, or run its server or entry file", module, rel, rel, strings.Join(evidence, " and "), top, top)
}

func isFile(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.Mode().IsRegular()
}

// checkScript reports python FILE.py, the script at cmd[i], that the
// runner will not have: with requirements only, a script that is not in
// the project, or that no artifact copies.
func (r *Recipe) checkScript(d *spec.Decoder, s *spec.Spec, fsys fs.FS, i int) {
	script := s.Runtime.Cmd[i]
	if r.Project != "" || !strings.HasSuffix(script, ".py") || path.IsAbs(script) {
		return
	}
	evidence := false
	for _, f := range r.Requirements {
		evidence = evidence || isFile(fsys, f)
	}
	if !evidence {
		return
	}
	at := d.Item("runtime.cmd", i)
	if at == nil {
		at = d.At("runtime.cmd")
	}
	switch {
	case len(s.Artifacts) == 0:
		d.Errorf(at, spec.ErrInvalid, "runtime.cmd runs %s, but the runner gets only the requirements' packages: with requirements and no python.project, add the code as an artifact, e.g. artifacts: [{from: /src, to: /app}]", script)
	case !isFile(fsys, path.Clean(script)) && !d.Has("build.run") && !d.Has("build.before"):
		d.Errorf(at, spec.ErrInvalid, "runtime.cmd runs %s, which is not in the project: the container would exit with \"can't open file\"; name the script that starts the app", script)
	}
}
