package detect_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/generate"
	_ "github.com/wharf-dev/wharf/lang"
	"github.com/wharf-dev/wharf/lang/golang"
	"github.com/wharf-dev/wharf/lang/node"
	"github.com/wharf-dev/wharf/lang/python"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

func files(kv ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i+1 < len(kv); i += 2 {
		fsys[kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return fsys
}

// detectCases are projects and the proposals detection should make.
var detectCases = []struct {
	name  string
	lang  string
	fsys  fstest.MapFS
	want  detect.Proposal
	notes int
	// imagesNote: detection says something on stderr about its images.
	imagesNote bool
}{
	{
		name: "python with a C extension and a console script",
		fsys: files(
			"pyproject.toml", "[project]\nname = \"Fast_Hash\"\nrequires-python = \">=3.9,<3.13\"\ndependencies = [\n  \"click\",\n]\n[project.scripts]\nfast-hash = \"fast_hash.cli:main\"\nfh-admin = \"fast_hash.admin:main\"\n",
			"setup.py", "from setuptools import Extension, setup\nsetup(ext_modules=[Extension('fast_hash._c', ['src/fast_hash/_c.c'])])\n",
			"src/fast_hash/__init__.py", "",
			"src/fast_hash/_c.c", "int x;\n",
		),
		want: detect.Proposal{
			Language: "python", Name: "fast_hash", Sources: []string{"pyproject.toml", "setup.py"},
			Builder: "python:3.12-slim", Runner: "python:3.12-slim",
			BuildPackages: []string{"gcc", "libc6-dev"},
			Section:       pySection("."),
			Cmd:           []string{"fast-hash"},
		},
	},
	{
		name: "python pinned by .python-version, C sources only, __main__ package",
		fsys: files(
			"pyproject.toml", "[project]\nname = \"svc\"\nrequires-python = \">=3.8\"\n",
			".python-version", "3.11.4\n",
			"svc/__init__.py", "",
			"svc/__main__.py", "",
			"svc/speed.c", "",
		),
		want: detect.Proposal{
			Language: "python", Name: "svc", Sources: []string{"pyproject.toml"},
			Builder: "python:3.11-slim", Runner: "python:3.11-slim",
			BuildPackages: []string{"gcc", "libc6-dev"},
			Section:       pySection("."),
			Cmd:           []string{"python", "-m", "svc"},
		},
	},
	{
		name: "python requirements only, with local files",
		fsys: files(
			"requirements.txt", "-r base.txt\nflask==3.0.0  # web\n./vendor/tally\n-e ./libs/greeting\n",
			"requirements-dev.txt", "pytest\n",
			"base.txt", "requests\n",
			"vendor/tally/pyproject.toml", "",
			"libs/greeting/setup.py", "",
			"app.py", "",
		),
		want: detect.Proposal{
			Language: "python", Sources: []string{"requirements.txt"},
			Builder: "python:3.13-slim", Runner: "python:3.13-slim",
			DependencyFiles: []string{"base.txt", "libs", "vendor"},
			Section:         pySection("", "requirements.txt"),
			Artifacts:       []spec.Artifact{{From: "/src", To: "/app"}},
			Cmd:             []string{"python", "app.py"},
		},
		imagesNote: true, // Python 3.13 assumed: flask==3.0.0 cannot be checked offline
	},
	{
		name: "python with dependencies built from source: psycopg2, uWSGI, mysqlclient",
		fsys: files(
			"requirements.txt", "requests>=2\npsycopg2==2.9.10\nuWSGI\nmysqlclient>=2\n",
			"app.py", "",
		),
		want: detect.Proposal{
			Language: "python", Sources: []string{"requirements.txt"},
			Builder: "python:3.13-slim", Runner: "python:3.13-slim",
			BuildPackages: []string{"gcc", "libc6-dev", "libpq-dev", "pkg-config", "default-libmysqlclient-dev"},
			Section:       pySection("", "requirements.txt"),
			Artifacts:     []spec.Artifact{{From: "/src", To: "/app"}},
			Runtime:       []detect.Field{{Key: "packages", Value: "[libpq5, libmariadb3]", Sure: detect.Likely}},
			Cmd:           []string{"python", "app.py"},
		},
	},
	{
		name: "python with psycopg 3: the binary extra needs nothing, the plain package libpq5",
		fsys: files(
			"pyproject.toml", "[project]\nname = \"store\"\nrequires-python = \">=3.12\"\ndependencies = [\"psycopg[binary,pool]>=3.2\"]\n",
			"store/__main__.py", "",
		),
		want: detect.Proposal{
			Language: "python", Name: "store", Sources: []string{"pyproject.toml"},
			Builder: "python:3.13-slim", Runner: "python:3.13-slim",
			Section: pySection("."),
			Cmd:     []string{"python", "-m", "store"},
		},
	},
	{
		name: "python with psycopg 3 without the binary extra",
		fsys: files(
			"pyproject.toml", "[project]\nname = \"store\"\nrequires-python = \">=3.12\"\ndependencies = [\"psycopg[pool,docs]>=3.2\"]\n",
			"store/__main__.py", "",
		),
		want: detect.Proposal{
			Language: "python", Name: "store", Sources: []string{"pyproject.toml"},
			Builder: "python:3.13-slim", Runner: "python:3.13-slim",
			Section: pySection("."),
			Runtime: []detect.Field{{Key: "packages", Value: "[libpq5]", Sure: detect.Likely}},
			Cmd:     []string{"python", "-m", "store"},
		},
	},
	{
		name: "poetry",
		fsys: files(
			"pyproject.toml", "[tool.poetry]\nname = \"worker\"\n[tool.poetry.dependencies]\npython = \"~3.10\"\n[tool.poetry.scripts]\nworker = \"worker:run\"\n",
		),
		want: detect.Proposal{
			Language: "python", Name: "worker", Sources: []string{"pyproject.toml"},
			Builder: "python:3.10-slim", Runner: "python:3.10-slim",
			// no poetry.lock: pip, and a comment saying how to lock
			Section: append([]detect.Field{{Key: "manager", Value: "pip"}}, pySection(".")...),
			Cmd:     []string{"worker"},
		},
	},
	{
		name: "uv project with its lockfile",
		fsys: files(
			"pyproject.toml", "[project]\nname = \"api\"\nrequires-python = \">=3.12\"\n[project.scripts]\napi = \"api:main\"\n[tool.uv]\ndev-dependencies = [\"pytest\"]\n",
			"uv.lock", "version = 1\n",
			"requirements.txt", "flask\n",
		),
		want: detect.Proposal{
			Language: "python", Name: "api", Sources: []string{"pyproject.toml", "uv.lock"},
			Builder: "python:3.13-slim", Runner: "python:3.13-slim",
			Section: append([]detect.Field{{Key: "manager", Value: "uv"}}, pySection(".")...),
			Cmd:     []string{"api"},
		},
	},
	{
		name: "poetry project with its lockfile",
		fsys: files(
			"pyproject.toml", "[tool.poetry]\nname = \"worker\"\n[tool.poetry.dependencies]\npython = \"^3.11\"\n",
			"poetry.lock", "",
			"worker/__main__.py", "",
		),
		want: detect.Proposal{
			Language: "python", Name: "worker", Sources: []string{"poetry.lock", "pyproject.toml"},
			Builder: "python:3.13-slim", Runner: "python:3.13-slim",
			Section: append([]detect.Field{{Key: "manager", Value: "poetry"}}, pySection(".")...),
			Cmd:     []string{"python", "-m", "worker"},
		},
	},
	{
		name: "pdm table without a lockfile stays pip, with a hint",
		fsys: files(
			"pyproject.toml", "[project]\nname = \"svc\"\n[tool.pdm]\ndistribution = true\n",
		),
		want: detect.Proposal{
			Language: "python", Name: "svc", Sources: []string{"pyproject.toml"},
			Builder: "python:3.13-slim", Runner: "python:3.13-slim",
			Section: append([]detect.Field{{Key: "manager", Value: "pip"}}, pySection(".")...),
			Cmd:     []string{"python3", "-c", "raise SystemExit('set runtime.cmd in wharf.yaml')"}, CmdSure: detect.Unknown, CmdFails: true,
		},
		notes: 1, // cannot tell how it starts
	},
	{
		name: "pipenv app",
		fsys: files(
			"Pipfile", "[packages]\nflask = \"*\"\n",
			"Pipfile.lock", "{}\n",
			"app.py", "",
		),
		want: detect.Proposal{
			Language: "python", Sources: []string{"Pipfile.lock"},
			Builder: "python:3.13-slim", Runner: "python:3.13-slim",
			Section:   []detect.Field{{Key: "manager", Value: "pipenv"}},
			Cmd:       []string{"python", "app.py"},
			Artifacts: []spec.Artifact{{From: "/src", To: "/app"}},
		},
	},
	{
		name: "go with several commands and cgo",
		fsys: files(
			"go.mod", "module github.com/acme/shop/v2\n\ngo 1.22.1\n\ntoolchain go1.23.4\n",
			"cmd/shop/main.go", "package main\nfunc main() {}\n",
			"cmd/migrate/main.go", "package main\nfunc main() {}\n",
			"internal/db/db.go", "package db\n// #include <sqlite3.h>\nimport \"C\"\n",
			"internal/db/db_windows.go", "package db\n",
			"tools/gen.go", "//go:build ignore\n\npackage main\n",
			"tools/tools.go", "package tools\n",
			"vendor/x/main.go", "package main\n",
			"nested/go.mod", "module nested\n",
			"nested/main.go", "package main\n",
		),
		want: detect.Proposal{
			Language: "go", Name: "shop", Sources: []string{"go.mod"},
			Builder: "golang:1.23-bookworm", Runner: "gcr.io/distroless/base-debian12",
			Section: goBinaries([]string{"- main: ./cmd/shop", "- main: ./cmd/migrate"}, true),
		},
	},
	{
		name: "go with several commands, none named like the module",
		fsys: files(
			"go.mod", "module example.com/platform\n\ngo 1.26\n",
			"cmd/worker/main.go", "package main\nfunc main() {}\n",
			"cmd/api+v2/main.go", "package main\nfunc main() {}\n",
			"tools/gen/main.go", "package main\nfunc main() {}\n",
		),
		want: detect.Proposal{
			Language: "go", Name: "platform", Sources: []string{"go.mod"},
			Builder: "golang:1.26-trixie", Runner: "gcr.io/distroless/static-debian13",
			Section: goBinaries([]string{"- {main: ./cmd/api+v2, binary: api-v2}", "- main: ./cmd/worker"}, false),
		},
	},
	{
		name: "go with a root main package",
		fsys: files(
			"go.mod", "module example.com/tiny-tool\ngo 1.21\n",
			"main.go", "package main\nfunc main() {}\n",
			"main_test.go", "package main_test\n",
		),
		want: detect.Proposal{
			Language: "go", Name: "tiny-tool", Sources: []string{"go.mod"},
			Builder: "golang:1.21-bookworm", Runner: "gcr.io/distroless/static-debian12",
			Section: goSection(".", "", false),
		},
	},
	{
		name: "go with one command named apart from the module",
		fsys: files(
			"go.mod", "module example.com/Platform\ngo 1.12\n",
			"cmd/api-server/main.go", "package main\n",
		),
		want: detect.Proposal{
			Language: "go", Name: "platform", Sources: []string{"go.mod"},
			Builder: "golang:1.26-trixie", Runner: "gcr.io/distroless/static-debian13",
			Section: goSection("./cmd/api-server", "api-server", false),
		},
	},
	{
		name: "node with yarn, a dist build and engines",
		fsys: files(
			"package.json", `{"name": "@acme/web", "main": "dist/server.js", "scripts": {"build": "tsc -p . --outDir dist", "start": "node dist/server.js --port=3000"}, "engines": {"node": "^18 || ^20"}}`,
			"yarn.lock", "",
		),
		want: detect.Proposal{
			Language: "node", Name: "web", Sources: []string{"package.json", "yarn.lock"},
			Builder: "node:20-trixie-slim", Runner: "node:20-trixie-slim",
			Section: nodeSection("yarn", "build", "dist"),
			Cmd:     []string{"node", "dist/server.js", "--port=3000"},
		},
	},
	{
		name: "node with pnpm, output outside the command",
		fsys: files(
			"package.json", `{"name": "site", "scripts": {"build": "vite build --outDir dist", "start": "NODE_ENV=production node server.js"}}`,
			"pnpm-lock.yaml", "",
			"server.js", "",
		),
		want: detect.Proposal{
			Language: "node", Name: "site", Sources: []string{"package.json", "pnpm-lock.yaml"},
			Builder: "node:24-trixie-slim", Runner: "node:24-trixie-slim",
			Section: nodeSection("pnpm", "build", ""),
			Cmd:     []string{"node", "server.js"},
		},
	},
	{
		name: "node without a lockfile",
		fsys: files(
			"package.json", `{"name": "bare", "scripts": {"start": "nodemon app.js && echo done"}}`,
		),
		want: detect.Proposal{
			Language: "node", Name: "bare", Sources: []string{"package.json"},
			Builder: "node:24-trixie-slim", Runner: "node:24-trixie-slim",
			Section: nodeSection("npm", "", ""),
			Cmd:     []string{"node", "-e", "throw new Error('set runtime.cmd in wharf.yaml')"},
			CmdSure: detect.Unknown, CmdFails: true,
		},
		notes: 2,
	},
	{
		name: "node start script of a devDependency, main instead",
		fsys: files(
			"package.json", `{"name": "api", "main": "server.js", "scripts": {"start": "nodemon server.js"}, "dependencies": {"express": "4"}, "devDependencies": {"nodemon": "3"}}`,
			"package-lock.json", `{"packages": {"node_modules/bcrypt": {"hasInstallScript": true}}}`,
			"server.js", "app.listen(process.env.PORT || 8081)\n",
		),
		want: detect.Proposal{
			Language: "node", Name: "api", Sources: []string{"package-lock.json", "package.json"},
			Builder: "node:24-trixie-slim", Runner: "node:24-trixie-slim",
			BuildPackages: []string{"python3", "make", "g++"},
			Section:       nodeSection("npm", "", ""),
			Cmd:           []string{"node", "server.js"}, CmdSure: detect.Likely,
			Expose: []int{8081}, ExposeWhy: "server.js listens on 8081.",
		},
	},
	{
		name: "node start script of a production dependency",
		fsys: files(
			"package.json", `{"name": "web", "scripts": {"build": "next build", "start": "next start"}, "dependencies": {"next": "15", "better-sqlite3": "11"}}`,
			"package-lock.json", "{}",
		),
		want: detect.Proposal{
			Language: "node", Name: "web", Sources: []string{"package-lock.json", "package.json"},
			Builder: "node:24-trixie-slim", Runner: "node:24-trixie-slim",
			BuildPackages: []string{"python3", "make", "g++"},
			Section:       nodeSection("npm", "build", ""),
			Cmd:           []string{"node_modules/.bin/next", "start"},
			Expose:        []int{3000}, ExposeWhy: "next start listens on 3000 by default.",
		},
	},
	{
		name: "node nest with the nest cli in devDependencies",
		fsys: files(
			"package.json", `{"name": "svc", "scripts": {"build": "nest build", "start": "nest start", "start:prod": "node dist/main"}, "dependencies": {"@nestjs/core": "10"}, "devDependencies": {"@nestjs/cli": "10"}}`,
			"yarn.lock", "",
			"src/main.ts", "await app.listen(process.env.PORT ?? 3001);\n",
		),
		want: detect.Proposal{
			Language: "node", Name: "svc", Sources: []string{"package.json", "yarn.lock"},
			Builder: "node:24-trixie-slim", Runner: "node:24-trixie-slim",
			Section: nodeSection("yarn", "build", ""),
			Cmd:     []string{"node", "dist/main"}, CmdSure: detect.Likely,
			Expose: []int{3001}, ExposeWhy: "src/main.ts listens on 3001.",
		},
	},
	{
		name: "node typescript outDir",
		fsys: files(
			"package.json", `{"name": "bot", "scripts": {"build": "tsc", "start": "ts-node src/index.ts"}, "devDependencies": {"ts-node": "10", "typescript": "5"}}`,
			"package-lock.json", "{}",
			"tsconfig.json", "{\n  // comment\n  \"compilerOptions\": {\"outDir\": \"./build\", \"rootDir\": \"src\"}\n}\n",
			"src/index.ts", "",
		),
		want: detect.Proposal{
			Language: "node", Name: "bot", Sources: []string{"package-lock.json", "package.json"},
			Builder: "node:24-trixie-slim", Runner: "node:24-trixie-slim",
			Section: nodeSection("npm", "build", ""),
			Cmd:     []string{"node", "build/index.js"}, CmdSure: detect.Likely,
		},
	},
	{
		name: "forced language in an ambiguous project",
		lang: "go",
		fsys: files(
			"go.mod", "module example.com/svc\ngo 1.24\n",
			"main.go", "package main\n",
			"package.json", `{"name": "tooling"}`,
		),
		want: detect.Proposal{
			Language: "go", Name: "svc", Sources: []string{"go.mod"},
			Builder: "golang:1.24-trixie", Runner: "gcr.io/distroless/static-debian13",
			Section: goSection(".", "", false),
		},
	},
}

// ignoreWhy leaves out the explanations, which the YAML tests cover.
var ignoreWhy = cmp.Options{
	cmpopts.IgnoreFields(detect.Proposal{}, "ImagesWhy", "BuildPackagesWhy", "DependencyWhy", "ArtifactsWhy", "CmdWhy", "Notes", "ImagesNote"),
	cmpopts.IgnoreFields(detect.Field{}, "Why"),
	cmpopts.EquateEmpty(),
}

func TestDetect(t *testing.T) {
	for _, tc := range detectCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := detect.Detect(tc.fsys, "project", tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want.Name == "" {
				want.Name = "project"
			}
			if diff := cmp.Diff(&want, got, ignoreWhy); diff != "" {
				t.Errorf("proposal mismatch (-want +got):\n%s", diff)
			}
			if len(got.Notes) != tc.notes {
				t.Errorf("notes = %q, want %d", got.Notes, tc.notes)
			}
			if (got.ImagesNote != "") != tc.imagesNote {
				t.Errorf("images note %q, want one: %v", got.ImagesNote, tc.imagesNote)
			}
		})
	}
}

// TestProposalYAML checks properties of every proposal's wharf.yaml: it
// names the schema first, is valid against it, loads, generates, keeps
// every proposed value, and is the same on every run.
func TestProposalYAML(t *testing.T) {
	sch := compileSchema(t)
	for _, tc := range detectCases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := detect.Detect(tc.fsys, "project", tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			data := p.YAML()
			again, _ := detect.Detect(tc.fsys, "project", tc.lang)
			if !bytes.Equal(data, again.YAML()) {
				t.Error("two runs give different YAML")
			}
			if first, _, _ := strings.Cut(string(data), "\n"); first != "# yaml-language-server: $schema="+spec.SchemaURL {
				t.Errorf("first line = %q", first)
			}
			for _, line := range strings.Split(string(data), "\n") {
				if len(line) > 80 && !strings.Contains(line, "$schema=") {
					t.Errorf("comment longer than 80 columns: %q", line)
				}
			}
			s, err := spec.Parse("wharf.yaml", data)
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			if _, err := generate.Files(s); err != nil {
				t.Fatal(err)
			}
			var doc any
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(toJSON(t, doc)); err != nil {
				t.Errorf("the schema rejects the proposal: %v\n%s", err, data)
			}
			checkLoaded(t, p, s)
		})
	}
}

// checkLoaded compares the loaded spec with the proposal it came from.
func checkLoaded(t *testing.T, p *detect.Proposal, s *spec.Spec) {
	t.Helper()
	check := func(field string, got, want any) {
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s (-proposed +loaded):\n%s", field, diff)
		}
	}
	check("name", s.Name, p.Name)
	check("language", s.Language, p.Language)
	check("images.builder", s.Images.Builder.Ref, p.Builder)
	check("images.runner", s.Images.Runner.Ref, p.Runner)
	check("build.packages", s.Build.Packages, p.BuildPackages)
	check("build.dependency_files", s.Build.DependencyFiles, p.DependencyFiles)
	check("runtime.cmd", s.Runtime.Cmd, p.Cmd)
	check("artifacts", s.Artifacts, p.Artifacts)
	var r spec.Recipe
	switch s.Language {
	case "python":
		r = &python.Recipe{Tool: "pip", Install: python.InstallCopy}
	case "go":
		r = &golang.Recipe{LDFlags: "-s -w", Binary: p.Name}
	case "node":
		r = &node.Recipe{}
	}
	// The section, as proposed, decoded onto the defaults.
	var section map[string]any
	if err := yaml.Unmarshal([]byte(sectionYAML(p.Section)), &section); err != nil {
		t.Fatal(err)
	}
	for k, v := range section {
		switch r := r.(type) {
		case *python.Recipe:
			switch k {
			case "manager":
				r.Tool = v.(string)
			case "handoff":
				r.Handoff = v.(string)
			case "project":
				r.Project = v.(string)
			case "requirements":
				for _, x := range v.([]any) {
					r.Requirements = append(r.Requirements, x.(string))
				}
			}
		case *golang.Recipe:
			switch k {
			case "main":
				r.Main = v.(string)
			case "binary":
				r.Binary = v.(string)
			case "binaries":
				// Each entry's binary defaults to the last element of
				// its package.
				r.Binary = ""
				for _, x := range v.([]any) {
					m := x.(map[string]any)
					prog := golang.Program{Main: m["main"].(string), Binary: path.Base(m["main"].(string))}
					if b, ok := m["binary"].(string); ok {
						prog.Binary = b
					}
					r.Programs = append(r.Programs, prog)
				}
			case "cgo":
				r.CGO = v.(bool)
			}
		case *node.Recipe:
			switch k {
			case "manager":
				r.Manager = v.(string)
			case "build":
				r.Build = v.(string)
			case "output":
				r.Output = v.(string)
			}
		}
	}
	if r, ok := r.(*golang.Recipe); ok && len(r.Programs) == 0 {
		if r.Main == "" {
			r.Main = "."
		}
		r.Programs = []golang.Program{{Main: r.Main, Binary: r.Binary}}
	}
	// handoff's default: wheels for pip (shell runners), venv for the managers.
	if r, ok := r.(*python.Recipe); ok && r.Handoff == "" {
		r.Handoff = python.HandoffVenv
		if r.Tool == "pip" && s.Images.Runner.Family.HasShell() {
			r.Handoff = python.HandoffWheels
		}
	}
	check(s.Language, s.Recipe, r)
}

func TestDetectErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		lang string
		fsys fstest.MapFS
		kind error
		msg  string
	}{
		{"empty folder", "", files(), detect.ErrNoProject, "wharf looks for pyproject.toml, setup.py, requirements*.txt, Pipfile.lock, go.mod, package.json, Cargo.toml, pom.xml, build.gradle or build.gradle.kts"},
		{"unrelated files", "", files("README.md", "hi", "src/main.rs", ""), detect.ErrNoProject, "run wharf init in the project's folder"},
		{"go and node", "", files("go.mod", "module x\n", "package.json", "{}"), detect.ErrAmbiguous, "found go.mod (go), package.json (node); pass --language go or --language node to choose"},
		{"python and node", "", files("requirements.txt", "", "package.json", "{}"), detect.ErrAmbiguous, "found requirements.txt (python), package.json (node)"},
		{"go without main", "", files("go.mod", "module x\n", "lib.go", "package x\n"), nil, "found no main package"},
		{"forced go without go.mod", "go", files("package.json", "{}"), nil, "go: found no go.mod"},
		{"forced node without package.json", "node", files(), nil, "node: found no package.json"},
		{"forced python without files", "python", files("go.mod", ""), nil, "python: found no pyproject.toml"},
		{"bad package.json", "", files("package.json", "{"), nil, "read package.json"},
		{"bad pyproject", "", files("pyproject.toml", "[project\n"), nil, "read pyproject.toml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := detect.Detect(tc.fsys, "project", tc.lang)
			if err == nil {
				t.Fatal("Detect succeeded, want an error")
			}
			if tc.kind != nil && !errors.Is(err, tc.kind) {
				t.Errorf("error %q is not %v", err, tc.kind)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not contain %q", err, tc.msg)
			}
		})
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := spec.Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(spec.SchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(spec.SchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func toJSON(t *testing.T, v any) any {
	t.Helper()
	var buf bytes.Buffer
	if err := jsonEncode(&buf, v); err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func jsonEncode(buf *bytes.Buffer, v any) error { return json.NewEncoder(buf).Encode(v) }

func pySection(project string, reqs ...string) []detect.Field {
	var f []detect.Field
	if project != "" {
		f = append(f, detect.Field{Key: "project", Value: detect.Scalar(project)})
	}
	if len(reqs) > 0 {
		f = append(f, detect.Field{Key: "requirements", Value: detect.FlowList(reqs)})
	}
	return f
}

// goBinaries is a go section with binaries, written as lines.
func goBinaries(lines []string, cgo bool) []detect.Field {
	f := []detect.Field{{Key: "binaries", Lines: lines, Sure: detect.Likely}}
	if cgo {
		f = append(f, detect.Field{Key: "cgo", Value: "true"})
	}
	return f
}

func goSection(main, binary string, cgo bool) []detect.Field {
	f := []detect.Field{{Key: "main", Value: detect.Scalar(main)}}
	if binary != "" {
		f = append(f, detect.Field{Key: "binary", Value: detect.Scalar(binary)})
	}
	if cgo {
		f = append(f, detect.Field{Key: "cgo", Value: "true"})
	}
	return f
}

func nodeSection(manager, build, output string) []detect.Field {
	f := []detect.Field{{Key: "manager", Value: manager}}
	if build != "" {
		f = append(f, detect.Field{Key: "build", Value: detect.Scalar(build)})
	}
	if output != "" {
		output = detect.Scalar(output)
	}
	return append(f, detect.Field{Key: "output", Value: output})
}

// sectionYAML is the proposed section as a YAML mapping.
func sectionYAML(fields []detect.Field) string {
	var b strings.Builder
	for _, f := range fields {
		switch {
		case f.Sure == detect.Unknown:
		case f.Value != "":
			b.WriteString(f.Key + ": " + f.Value + "\n")
		case len(f.Lines) > 0:
			b.WriteString(f.Key + ":\n")
			for _, l := range f.Lines {
				b.WriteString("  " + l + "\n")
			}
		}
	}
	return b.String()
}
