package python

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec/detect"
)

// requirementSpec is a requirement: the distribution name, its extras
// and its version specifier (up to a marker or a comment).
var requirementSpec = lazyregexp.New(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;#]*)`)

// A requirement is one runtime dependency as the project declares it.
type requirement struct {
	Name   string // normalized: lower case, "-" for "_" and "."
	AsIs   string // the name as declared, "Django"
	Extras string // "[standard]", or ""
	Spec   string // the version specifier, ">=4.2,<5.0"; "" for any
	From   string // the file that declares it
}

// requirements returns the project's runtime dependencies: pyproject's,
// Poetry's, the Pipfile's and the requirements files', each once (the
// first declaration), in that order.
func requirements(fsys fs.FS, py pyproject, reqs []string) []requirement {
	var out []requirement
	seen := map[string]bool{}
	add := func(text, from string) {
		m := requirementSpec.FindStringSubmatch(text)
		if m == nil {
			return
		}
		name := strings.NewReplacer("_", "-", ".", "-").Replace(strings.ToLower(m[1]))
		if seen[name] {
			return
		}
		seen[name] = true
		out = append(out, requirement{Name: name, AsIs: m[1], Extras: strings.ReplaceAll(m[2], " ", ""), Spec: strings.Join(strings.Fields(m[3]), ""), From: from})
	}
	// specOf is the version of a Poetry or Pipfile entry: "^1.2", or a
	// table with a version key.
	specOf := func(v any) string {
		if t, ok := v.(map[string]any); ok {
			v = t["version"]
		}
		if s, ok := v.(string); ok && s != "*" {
			return s
		}
		return ""
	}
	for _, d := range py.Project.Dependencies {
		add(d, "pyproject.toml")
	}
	for _, d := range slices.Sorted(maps.Keys(py.Tool.Poetry.Dependencies)) {
		if d != "python" {
			add(d+" "+specOf(py.Tool.Poetry.Dependencies[d]), "pyproject.toml")
		}
	}
	for _, r := range reqs {
		text, _ := detect.ReadFile(fsys, r)
		for _, line := range strings.Split(text, "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "-") {
				add(line, r)
			}
		}
	}
	if text, ok := detect.ReadFile(fsys, "Pipfile"); ok {
		var pipfile struct {
			Packages map[string]any `toml:"packages"`
		}
		if _, err := toml.Decode(text, &pipfile); err == nil {
			for _, d := range slices.Sorted(maps.Keys(pipfile.Packages)) {
				add(d+" "+specOf(pipfile.Packages[d]), "Pipfile")
			}
		}
	}
	return out
}

// dependencies returns the set of the normalized names of the project's
// runtime dependencies (see requirements).
func dependencies(reqs []requirement) map[string]bool {
	deps := map[string]bool{}
	for _, r := range reqs {
		deps[r.Name] = true
		// fastapi[standard] installs uvicorn and the fastapi CLI.
		if r.Name == "fastapi" && strings.Contains(r.Extras, "[standard") {
			deps["uvicorn"] = true
		}
	}
	return deps
}

var (
	// procfileWeb is the web process of a Procfile.
	procfileWeb = lazyregexp.New(`(?m)^web:\s*(.+?)\s*$`)
	// appObject finds `app = Flask(...)` or `api = FastAPI(...)`.
	appObject = lazyregexp.New(`(?m)^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(Flask|FastAPI|Starlette|Quart|Sanic)\(`)
	// flaskFactory finds a Flask application factory: def create_app()
	// that builds a Flask(...) app.
	flaskFactory = lazyregexp.New(`(?ms)^def\s+(create_app|make_app)\s*\([^)]*\)\s*(?:->[^:]*)?:.*?\bFlask\(`)
	// celeryApp finds `app = Celery(...)`.
	celeryApp = lazyregexp.New(`(?m)^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*Celery\(`)
	// djangoSettings finds the settings module manage.py sets.
	djangoSettings = lazyregexp.New(`DJANGO_SETTINGS_MODULE["']\s*,\s*["']([A-Za-z_][A-Za-z0-9_]*)\.settings`)
	// bindPort finds the port of a --bind or --port option.
	bindPort = lazyregexp.New(`(?:--bind[= ](?:[0-9.]*|\[::\]):|--port[= ]|-b [0-9.]*:|-p )([0-9]{2,5})\b`)
	// plainWord is a word that needs no shell.
	plainWord = lazyregexp.New(`^[A-Za-z0-9_./:=@%+,-]+$`)
)

// startCommand proposes how a Python app starts, in order of trust: the
// Procfile's web process, then a web framework's production server found
// in the dependencies (Django with gunicorn, a FastAPI or Starlette app
// with uvicorn, a Flask app with gunicorn), then a Celery worker. It
// returns false when none applies; console scripts (hasScripts) come
// before the framework guesses.
func startCommand(fsys fs.FS, deps map[string]bool, hasScripts bool) (cmd []string, why string, port int, ok bool) {
	if text, found := detect.ReadFile(fsys, "Procfile"); found {
		if m := procfileWeb.FindStringSubmatch(text); m != nil {
			line := m[1]
			port = portOf(line)
			words := strings.Fields(line)
			plain := true
			for _, w := range words {
				plain = plain && plainWord.MatchString(w)
			}
			if plain {
				return words, "The web process of the Procfile.", port, true
			}
			if usesPortVar([]string{line}) {
				port = 8000
			}
			return []string{"sh", "-c", "exec " + line}, "The web process of the Procfile, run by sh because it uses shell syntax (exec keeps signals reaching the app).", port, true
		}
	}
	if hasScripts {
		return nil, "", 0, false
	}
	gunicorn, uvicorn := deps["gunicorn"], deps["uvicorn"]
	if deps["django"] && detect.IsFile(fsys, "manage.py") {
		text, _ := detect.ReadFile(fsys, "manage.py")
		if m := djangoSettings.FindStringSubmatch(text); m != nil && detect.IsFile(fsys, path.Join(m[1], "wsgi.py")) {
			if gunicorn {
				return []string{"gunicorn", "--bind", "0.0.0.0:8000", m[1] + ".wsgi"}, fmt.Sprintf("A Django project (manage.py sets %s.settings) served by gunicorn, which the dependencies name.", m[1]), 8000, true
			}
			return []string{"python", "manage.py", "runserver", "0.0.0.0:8000", "--noreload"}, "A Django project; runserver is Django's development server: add gunicorn to the dependencies and serve " + m[1] + ".wsgi with it in production.", 8000, true
		}
	}
	if module, obj, kind := findApp(fsys, appObject); module != "" {
		ref := module + ":" + obj
		switch {
		case (kind == "FastAPI" || kind == "Starlette") && uvicorn:
			return []string{"uvicorn", ref, "--host", "0.0.0.0", "--port", "8000"}, fmt.Sprintf("The %s app %s, served by uvicorn, which the dependencies name.", kind, ref), 8000, true
		case gunicorn && kind == "Flask":
			return []string{"gunicorn", "--bind", "0.0.0.0:8000", ref}, fmt.Sprintf("The Flask app %s, served by gunicorn, which the dependencies name.", ref), 8000, true
		case kind == "Flask" && selfRun(fsys, module) > 0:
			file := strings.ReplaceAll(module, ".", "/") + ".py"
			port := selfRun(fsys, module)
			return []string{"python", file}, fmt.Sprintf("The Flask app %s runs itself (app.run in %s's __main__ block) on port %d; Flask's server is for development: add gunicorn to the dependencies for production.", ref, file, port), port, true
		case kind == "Flask":
			return []string{"flask", "--app", ref, "run", "--host", "0.0.0.0", "--port", "5000"}, fmt.Sprintf("The Flask app %s with Flask's development server: add gunicorn to the dependencies for production.", ref), 5000, true
		}
	}
	if deps["flask"] {
		if module, fn, _ := findApp(fsys, flaskFactory); module != "" {
			if gunicorn {
				return []string{"gunicorn", "--bind", "0.0.0.0:8000", module + ":" + fn + "()"}, fmt.Sprintf("The Flask app factory %s.%s, served by gunicorn, which the dependencies name.", module, fn), 8000, true
			}
			return []string{"flask", "--app", module, "run", "--host", "0.0.0.0", "--port", "5000"}, fmt.Sprintf("The Flask app factory %s.%s with Flask's development server (flask --app finds the factory): add gunicorn to the dependencies for production.", module, fn), 5000, true
		}
	}
	if deps["celery"] {
		if module, _, _ := findApp(fsys, celeryApp); module != "" {
			return []string{"celery", "-A", module, "worker", "--loglevel=INFO"}, fmt.Sprintf("A Celery app in %s, run as a worker.", module), 0, true
		}
	}
	return nil, "", 0, false
}

// runPort finds the literal port of an app.run(...) call.
var runPort = lazyregexp.New(`\.run\([^)]*\bport\s*=\s*([0-9]{2,5})\b`)

// selfRun returns the port a module's __main__ block runs its app on
// (app.run(port=N)), or 0 when it does not run itself so.
func selfRun(fsys fs.FS, module string) int {
	text, _ := detect.ReadFile(fsys, strings.ReplaceAll(module, ".", "/")+".py")
	i := strings.Index(text, "__name__ == \"__main__\"")
	if i < 0 {
		i = strings.Index(text, "__name__ == '__main__'")
	}
	if i < 0 {
		return 0
	}
	if m := runPort.FindStringSubmatch(text[i:]); m != nil {
		port, _ := strconv.Atoi(m[1])
		return port
	}
	return 0
}

// findApp returns the module, object and kind of the first match of re in
// the project's Python files, the shallowest and conventionally named
// first (app.py, main.py, wsgi.py, asgi.py).
func findApp(fsys fs.FS, re *lazyregexp.Regexp) (module, obj, kind string) {
	var files []string
	detect.WalkFiles(fsys, ".", func(name string) {
		if strings.HasSuffix(name, ".py") && !strings.HasPrefix(path.Base(name), "test") {
			files = append(files, name)
		}
	})
	rank := func(f string) int {
		r := strings.Count(f, "/") * 10
		switch strings.TrimSuffix(path.Base(f), ".py") {
		case "app", "main", "wsgi", "asgi", "server", "api":
		default:
			r += 5
		}
		return r
	}
	slices.SortStableFunc(files, func(a, b string) int { return rank(a) - rank(b) })
	for _, f := range files {
		text, _ := detect.ReadFile(fsys, f)
		m := re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		mod := strings.TrimSuffix(strings.TrimPrefix(f, "src/"), ".py")
		mod = strings.TrimSuffix(mod, "/__init__")
		kind = ""
		if len(m) > 2 {
			kind = m[2]
		}
		return strings.ReplaceAll(mod, "/", "."), m[1], kind
	}
	return "", "", ""
}

// portOf is the port a command line binds, or 0.
func portOf(line string) int {
	if m := bindPort.FindStringSubmatch(line); m != nil {
		if p, err := strconv.Atoi(m[1]); err == nil && p < 65536 {
			return p
		}
	}
	return 0
}

// usesPortVar reports whether a command reads $PORT.
func usesPortVar(cmd []string) bool {
	return slices.ContainsFunc(cmd, func(w string) bool { return strings.Contains(w, "$PORT") || strings.Contains(w, "${PORT") })
}
