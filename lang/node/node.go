// Package node is wharf's Node recipe: dependencies installed from the
// lockfile, the build script run, and the project pruned to production
// dependencies in the builder; the runner gets only what runs.
//
// It holds everything about the language: the node section of the spec,
// the package managers (Tools), the Dockerfile data and blocks
// (node.tmpl), the .dockerignore defaults and init's detection.
package node

import (
	"encoding/json"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec"
)

// Language is the Node language unit.
var Language language

type language struct{}

// Name is the spec's language value and section key.
func (language) Name() string { return "node" }

// Images are the default base images: the official slim image for both stages.
func (language) Images() spec.Images {
	img := spec.BaseImage{Ref: "node:24-trixie-slim", Family: spec.Debian}
	return spec.Images{Builder: img, Runner: img}
}

// Recipe is the decoded node section.
type Recipe struct {
	Manager string // a key of Tools: "npm", "yarn", "pnpm" or "bun"
	// ManagerVersion pins the manager's version, as package.json's
	// packageManager field does ("yarn@4.5.1" is manager yarn,
	// manager_version 4.5.1): the builder installs it with npm install -g,
	// never with Corepack. Empty installs the tool's DefaultVersion.
	ManagerVersion string
	// YarnPath is a Yarn 2+ release committed in the project (.yarnrc.yml's
	// yarnPath), relative to the spec's folder: the builder runs it with
	// node and installs no Yarn.
	YarnPath string
	// Linker is Yarn 2+'s nodeLinker, LinkerNodeModules or LinkerPnP; the
	// builder sets it (YARN_NODE_LINKER), so it wins over .yarnrc.yml.
	Linker string
	// Build is the package.json script to run; empty skips the build.
	Build string
	// Output is the folder the runner needs besides node_modules and
	// package.json, relative to the spec's folder; empty means the whole
	// pruned project.
	Output string
	// NextStandalone says the build is Next.js's output: 'standalone':
	// the runner gets .next/standalone, .next/static and public only.
	NextStandalone bool
	// Registry is the package registry to install from; nil means the
	// manager's default. Its secret is an .npmrc file, e.g. with
	// //npm.example.com/:_authToken=...
	Registry *spec.PackageIndex
}

// NpmrcPath is where the install steps mount a registry's secret: npm,
// yarn 1 and pnpm read auth tokens there.
const NpmrcPath = "/root/.npmrc"

const scriptPattern = `^[A-Za-z0-9][A-Za-z0-9:._-]*$`

var scriptRE = lazyregexp.New(scriptPattern)

// Yarn 2+ linkers.
const (
	LinkerNodeModules = "node-modules"
	LinkerPnP         = "pnp"
)

// versionPattern is an exact version, as packageManager pins it.
const versionPattern = `^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`

var versionRE = lazyregexp.New(versionPattern)

var keys = []string{"manager", "manager_version", "yarn_path", "linker", "build", "output", "next_standalone", "registry"}

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
		case "manager_version":
			if m, ok := d.NonEmpty(v, p); ok {
				name, version, hasName := strings.Cut(m, "@")
				if !hasName {
					version = m
				}
				exact, _, _ := strings.Cut(version, "+")
				switch {
				case hasName:
					d.Errorf(v, spec.ErrInvalid, "%s %q names the manager; write only the version (manager_version: %q) and the manager in node.manager (%q)", p, m, exact, name)
				case !versionRE.MatchString(exact):
					d.Errorf(v, spec.ErrInvalid, "%s %q is not an exact version; write major.minor.patch as package.json's packageManager pins it, e.g. 4.5.1", p, m)
				case exact != version:
					d.Errorf(v, spec.ErrInvalid, "%s %q holds a Corepack hash, which npm install cannot check; write %q", p, m, exact)
				}
				r.ManagerVersion = m
			}
		case "yarn_path":
			if y, ok := d.NonEmpty(v, p); ok {
				r.YarnPath = d.RelPath(v, p, y)
				if !strings.HasSuffix(y, ".cjs") && !strings.HasSuffix(y, ".js") {
					d.Errorf(v, spec.ErrInvalid, "%s %q is not a Yarn release; name the committed file that .yarnrc.yml's yarnPath names, e.g. .yarn/releases/yarn-4.5.1.cjs", p, y)
				}
			}
		case "linker":
			if l, ok := d.NonEmpty(v, p); ok {
				if l != LinkerNodeModules && l != LinkerPnP {
					d.Errorf(v, spec.ErrInvalid, "%s %q is not a Yarn linker; use %q or %q", p, l, LinkerNodeModules, LinkerPnP)
				}
				r.Linker = l
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
				if r.Output == "." {
					d.Errorf(v, spec.ErrPath, "%s %q is the whole project, which the runner gets when output is left out; remove output, or name the build's output folder (e.g. dist)", p, o)
				}
			}
		case "next_standalone":
			r.NextStandalone = d.Bool(v, p)
		case "registry":
			r.Registry = d.PackageIndex(v, p, "https://npm.example.com/", "an .npmrc file, e.g. \"//npm.example.com/:_authToken=...\"", false)
		}
	})
	return r
}

// BunImage is the default image of both stages with manager: bun.
var BunImage = spec.BaseImage{Ref: "oven/bun:1-slim", Family: spec.Debian}

// Berry reports whether the recipe uses Yarn 2 or later: manager yarn with
// a committed release or a pinned version from 2 on.
func (r *Recipe) Berry() bool {
	return r.Manager == Yarn.Name && (r.YarnPath != "" || major(r.ManagerVersion) >= 2)
}

// Tool is the recipe's package manager.
func (r *Recipe) Tool() *Tool {
	if r.Berry() {
		return YarnBerry
	}
	return Tools[r.Manager]
}

// major is a version's major number, or 0.
func major(version string) int {
	m, _, _ := strings.Cut(version, ".")
	n, _ := strconv.Atoi(m)
	return n
}

// Complete picks Bun's images, checks the manager's settings against each
// other and the builder, checks that the runner can run node, and that the
// spec says how the app starts.
func (r *Recipe) Complete(d *spec.Decoder, s *spec.Spec) {
	if r.Manager == Bun.Name {
		if !d.Has("images.builder") {
			s.Images.Builder = BunImage
		}
		if !d.Has("images.runner") {
			s.Images.Runner = BunImage
		}
	}
	r.checkManager(d, s)
	if s.Images.Runner.Family == spec.Scratch {
		d.Errorf(d.At("images.runner"), spec.ErrNoShell, "a Node runner needs the node runtime, which scratch lacks; use a node image (e.g. %s) or gcr.io/distroless/nodejs24-debian13", s.Images.Builder.Ref)
	}
	d.RequireSameLibc(s, "node_modules (native addons)")
	out := "dist"
	if r.Output != "" {
		out = r.Output
	}
	run, entry := "node", out+"/index.js"
	if r.Manager == Bun.Name {
		run = "bun"
	}
	if r.NextStandalone {
		entry = "server.js"
	}
	d.RequireCmd(s, []string{run, entry})
	// A distroless node image's own ENTRYPOINT runs node, with cmd as its
	// arguments; tini's ENTRYPOINT replaces it, so there tini also needs
	// the entrypoint.
	ownEntrypoint := !s.Images.Runner.Family.HasShell() && !d.Has("runtime.entrypoint")
	if s.Runtime.Init == "" && !ownEntrypoint {
		s.Runtime.Init = spec.InitTini
	}
	if s.Runtime.Init == spec.InitTini && ownEntrypoint {
		d.Errorf(d.At("runtime.init"), spec.ErrInvalid, "runtime.init tini replaces the ENTRYPOINT of %s, which runs node with runtime.cmd as its arguments; set runtime.entrypoint: [/nodejs/bin/node] (the image's node) as well, or runtime.init: none", s.Images.Runner.Ref)
	}
}

// checkManager reports manager settings that contradict each other, and
// a manager the builder image does not have.
func (r *Recipe) checkManager(d *spec.Decoder, s *spec.Spec) {
	if r.Linker == "" && r.Berry() {
		r.Linker = LinkerNodeModules
	}
	switch {
	case r.YarnPath != "" && r.Manager != Yarn.Name:
		d.Errorf(d.At("node.yarn_path"), spec.ErrInvalid, "node.yarn_path is a Yarn release, but node.manager is %s; set manager: yarn or remove yarn_path", r.Manager)
	case r.YarnPath != "" && r.ManagerVersion != "":
		d.Errorf(d.At("node.manager_version"), spec.ErrInvalid, "node.manager_version is not installed when node.yarn_path names the committed release, which runs instead; remove one of them")
	case r.Linker != "" && !r.Berry():
		d.Errorf(d.At("node.linker"), spec.ErrInvalid, "node.linker is a Yarn 2+ setting, but this spec uses %s; set manager: yarn with manager_version 2 or later (or yarn_path), or remove linker", r.describeManager())
	case r.Manager == Bun.Name && r.ManagerVersion != "":
		d.Errorf(d.At("node.manager_version"), spec.ErrInvalid, "node.manager_version cannot pin bun, which comes with its image; pin it with the image tag instead, e.g. images: {builder: oven/bun:1.2.5-slim, runner: oven/bun:1.2.5-slim}")
	}
	if r.NextStandalone && r.Build == "" {
		d.Errorf(d.At("node.next_standalone"), spec.ErrInvalid, "node.next_standalone needs the build that writes .next/standalone; set node.build to the script that runs next build (e.g. build)")
	}
	if r.NextStandalone && r.Output != "" {
		d.Errorf(d.At("node.output"), spec.ErrInvalid, "node.output is not used with node.next_standalone: the runner gets .next/standalone, .next/static and public; remove output")
	}
	if r.NextStandalone && r.Linker == LinkerPnP {
		d.Errorf(d.At("node.linker"), spec.ErrInvalid, "node.linker pnp cannot make Next.js's standalone output, which needs node_modules; use linker: node-modules or remove next_standalone")
	}
	if r.Berry() && r.Registry != nil {
		d.Errorf(d.At("node.registry"), spec.ErrInvalid, "node.registry works through --registry and an .npmrc secret, neither of which Yarn 2+ reads; set npmRegistryServer in .yarnrc.yml (with npmAuthToken: \"${NPM_TOKEN}\"), or use Yarn 1, npm or pnpm")
	}
}

// describeManager names the manager and version for messages.
func (r *Recipe) describeManager() string {
	if r.ManagerVersion != "" {
		return r.Manager + " " + r.ManagerVersion
	}
	return r.Manager
}

// Explain writes the section's effective values.
func (r *Recipe) Explain(e *spec.Explainer, m *yaml.Node) {
	e.Add(m, "manager", e.Str("node.manager", r.Manager))
	if r.ManagerVersion != "" {
		e.Add(m, "manager_version", e.Str("node.manager_version", r.ManagerVersion))
	}
	if r.YarnPath != "" {
		e.Add(m, "yarn_path", e.Str("node.yarn_path", r.YarnPath))
	}
	if r.Linker != "" {
		e.Add(m, "linker", e.Str("node.linker", r.Linker))
	}
	if r.Build != "" {
		e.Add(m, "build", e.Str("node.build", r.Build))
	}
	if r.Output != "" {
		e.Add(m, "output", e.Str("node.output", r.Output))
	}
	if r.NextStandalone {
		e.Add(m, "next_standalone", e.Bool("node.next_standalone", true))
	}
	if r.Registry != nil {
		e.Add(m, "registry", e.PackageIndex("node.registry", r.Registry))
	}
}

// Schema is the node section's JSON Schema.
func (language) Schema() *spec.SchemaNode {
	return spec.SchemaObject("The Node recipe: install from the lockfile, run a build script, prune to production dependencies.", map[string]*spec.SchemaNode{
		"manager":         spec.SchemaEnum("The package manager, which decides the lockfile: npm (package-lock.json), yarn (yarn.lock), pnpm (pnpm-lock.yaml) or bun (bun.lock or bun.lockb; default images "+BunImage.Ref+").", toolNames()...).WithDefault(NPM.Name),
		"manager_version": spec.SchemaPattern("The manager's exact version, as package.json's packageManager pins it (\"pnpm@10.6.0\" is manager pnpm, manager_version 10.6.0). The builder installs it with npm install -g (never Corepack, which Node 25+ images lack). For yarn, 2 or later means Yarn Berry (yarn install --immutable, yarn workspaces focus --production). Unset installs yarn `+DefaultYarn+` or pnpm `+DefaultPNPM+`, and keeps the image's npm.", versionPattern).WithExamples("4.5.1"),
		"yarn_path":       spec.SchemaRelPath("A Yarn 2+ release committed in the project, as .yarnrc.yml's yarnPath names it, relative to the spec's folder: the builder runs it with node and installs no Yarn.").WithExamples(".yarn/releases/yarn-4.5.1.cjs"),
		"linker":          spec.SchemaEnum("Yarn 2+'s nodeLinker, set in the builder over .yarnrc.yml's: node-modules, or pnp (Plug'n'Play: the runner gets .pnp.cjs, .pnp.loader.mjs and .yarn, and NODE_OPTIONS requires .pnp.cjs).", LinkerNodeModules, LinkerPnP).WithDefault(LinkerNodeModules),
		"build":           spec.SchemaPattern("The package.json script to run in the builder, which package.json must define; unset skips the build (in a stage: build).", scriptPattern).WithExamples("build"),
		"output":          spec.SchemaRelPath("The folder the runner needs besides node_modules and package.json; unset copies the whole pruned project.").WithExamples("dist"),
		"next_standalone": spec.SchemaBool("Next.js with output: 'standalone' in next.config: the runner gets .next/standalone, .next/static and public only, and runs node server.js.", false),
		"registry": spec.SchemaPackageIndex("A private package registry. Its token is never in the spec, the Dockerfile or the image: the install steps mount it from a BuildKit secret holding an .npmrc file (docker build --secret id=ID,src=FILE).",
			"https://npm.example.com/"),
	})
}

// CompleteStage completes the recipe of an extra build stage (stages:):
// Bun's image and the manager's settings, as Complete does. A stage has
// no runner of its own: the stage's output says what the runner gets, so
// node.output and node.next_standalone are refused, and node.build, the
// script that writes the output, is required.
func (r *Recipe) CompleteStage(d *spec.Decoder, s *spec.Spec) {
	if r.Manager == Bun.Name && !d.Has("images.builder") {
		s.Images.Builder = BunImage
	}
	r.checkManager(d, s)
	if r.Output != "" {
		d.Errorf(d.At("node.output"), spec.ErrInvalid, "node.output is the runner's folder of a node service; in a stage, the stage's own output names the folder the runner gets: remove node.output")
	}
	if r.NextStandalone {
		d.Errorf(d.At("node.next_standalone"), spec.ErrInvalid, "node.next_standalone runs a Next.js server, which a stage's output of plain files cannot; build a static export (next build with output: 'export', output: out) or give the server a spec of its own")
	}
	if r.Build == "" {
		r.Build = StageBuild
	}
}

// StageBuild is the script a stage runs when node.build is unset: the
// stage exists to build its output.
const StageBuild = "build"

// CheckStageFolder checks that the stage's package.json defines the
// script the stage runs.
func (r *Recipe) CheckStageFolder(d *spec.Decoder, fsys fs.FS, dir string) {
	at := d.At("node.build")
	if at == nil {
		at = d.At("stages.context")
	}
	file := path.Join(dir, "package.json")
	if data, err := fs.ReadFile(fsys, file); err == nil { // the manifests' own checks speak of a missing file
		r.checkBuildScript(d, at, file, data)
	}
}

// checkBuildScript reports a node.build script that package.json (data,
// read from file) does not define: the build would stop with "Missing
// script".
func (r *Recipe) checkBuildScript(d *spec.Decoder, at *yaml.Node, file string, data []byte) {
	if r.Build == "" || at == nil {
		return
	}
	var pkg packageJSON
	if json.Unmarshal(data, &pkg) != nil {
		return
	}
	if _, ok := pkg.Scripts[r.Build]; ok {
		return
	}
	what := "node.build names"
	if !d.Has("node.build") {
		what = "a stage runs by default"
	}
	d.Errorf(at, spec.ErrInvalid, "%s has no %q script, which %s: the build would stop with \"Missing script\"; add the script that writes the output to package.json's scripts, or set node.build to one it has (%s)", file, r.Build, what, scriptList(pkg.Scripts))
}

// scriptList names the scripts of a package.json, sorted, for a message.
func scriptList(scripts map[string]string) string {
	if len(scripts) == 0 {
		return "it has none"
	}
	names := make([]string, 0, len(scripts))
	for name := range scripts {
		names = append(names, name)
	}
	slices.Sort(names)
	return "it has " + strings.Join(names, ", ")
}

// StageManifests are package.json and the manager's lockfile, which must
// be in a stage's folder.
func (r *Recipe) StageManifests() []string {
	return []string{"package.json", r.Tool().Manifests[0]}
}
