package node

import (
	"embed"
	"io/fs"
	"path"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Build is the Node data the blocks read (.Node).
type Build struct {
	*Recipe
	Tool     *Tool
	Lockfile string
	// NPM, Yarn, PNPM and Bun report the Manager, for blocks that dispatch
	// on it; Yarn is true for every Yarn, Tool.Berry for Yarn 2+.
	NPM, Yarn, PNPM, Bun bool
	// PnP says Yarn's Plug'n'Play linker: no node_modules, but .pnp.cjs,
	// .pnp.loader.mjs and .yarn.
	PnP bool
	// Dir is the spec's folder in the build context: "" when it is the
	// context, else where the build script runs and the app lives.
	Dir string
	// Command runs the manager: its name, or "node <release>" for a
	// committed Yarn release (yarn_path).
	Command string
	// Setup is the step that makes the manager available: npm install -g
	// of the pinned or default version (with SetupCache mounted), or ""
	// (npm and bun as the image has them, a committed Yarn release).
	Setup, SetupCache string
	// Fetch, Install and Prune are the tool's commands as this spec runs
	// them (Fetch may be empty); BuildStep runs the build script in Dir,
	// or is empty.
	Fetch, Install, Prune, BuildStep string
	// ModulesDir says the prune step makes sure node_modules exists: the
	// runner copies it, and a project with no dependencies has none.
	ModulesDir bool
	// Deploy is the folder that `pnpm deploy --prod` fills with a pnpm
	// workspace member (Dir) and its production dependencies, which the
	// runner copies instead of the workspace; "" otherwise.
	Deploy string
	// Public is the Next.js public folder in the builder, made if missing,
	// with NextStandalone.
	Public string
	// Stamped are the tool's Stamped files in the node_modules folder the
	// runner gets, removed after the prune.
	Stamped []string
}

// DeployDir is where pnpm deploy writes a workspace member in the builder.
const DeployDir = "/deploy"

//go:embed *.tmpl
var blocks embed.FS

// Field is the name of the recipe's data in templates.
func (language) Field() string { return "Node" }

// Blocks are node.tmpl's blocks.
func (language) Blocks() fs.FS { return blocks }

// Prepare sets the Node data; the manifests are at the context's root,
// where a workspace keeps its lockfile.
func (language) Prepare(d *generate.Dockerfile, s *spec.Spec) generate.Prepared {
	r := s.Recipe.(*Recipe)
	t := r.Tool()
	b := &Build{Recipe: r, Tool: t, Lockfile: t.Lockfile, NPM: t == NPM, Yarn: t.Name == Yarn.Name, PNPM: t == PNPM, Bun: t == Bun,
		PnP: r.Linker == LinkerPnP, Command: t.Name}
	if s.SpecDir != "." {
		b.Dir = s.SpecDir
	}
	manifests := append([]string{"package.json"}, t.Manifests...)
	if b.Dir != "" && t != PNPM {
		// A workspace member: npm, Yarn and Bun install a workspace's
		// members from their manifests, and without them install none of
		// their dependencies (pnpm fetch reads the lockfile alone).
		manifests = append(manifests, "**/package.json")
	}
	switch {
	case r.YarnPath != "":
		release := s.InContext(r.YarnPath)
		manifests = append(manifests, release)
		b.Command = "node " + path.Join(generate.SourceDir, release)
	case t.Package != "" && (r.ManagerVersion != "" || t.DefaultVersion != ""):
		version := r.ManagerVersion
		if version == "" {
			version = t.DefaultVersion
		}
		force := ""
		if b.Yarn {
			force = "--force " // over the Yarn 1 that node images up to 24 bundle
		}
		b.Setup, b.SetupCache = "npm install -g "+force+t.Package+"@"+version, NPM.Cache
	}
	b.Fetch, b.Install, b.Prune = t.command(t.Fetch, b.Command), t.command(t.Install, b.Command), t.command(t.Prune, b.Command)
	if r.Build != "" {
		b.BuildStep = b.Command + " run " + r.Build
		if b.Dir != "" && t.InDir != "" {
			b.BuildStep = b.Command + " " + t.InDir + " " + b.Dir + " run " + r.Build
		} else if b.Dir != "" {
			b.BuildStep = "cd " + b.Dir + " && " + b.BuildStep
		}
	}
	switch {
	case d.Builder.Output != "":
		b.Prune = "" // an extra build stage: the runner gets only its output
	case r.NextStandalone:
		b.Prune = "" // .next/standalone holds the traced production files
		b.Public = path.Join(b.Dir, "public")
	case t == PNPM && b.Dir != "":
		// The member and its production dependencies, workspace packages
		// included, as a self-contained folder. force-legacy-deploy: pnpm
		// 10's deploy otherwise needs inject-workspace-packages=true.
		b.Deploy = DeployDir
		b.Prune = "pnpm --filter ./" + b.Dir + " --config.force-legacy-deploy=true deploy --prod --offline " + DeployDir
	case t.Berry && b.Dir != "":
		b.Prune = "cd " + b.Dir + " && " + b.Prune // focus the spec's workspace
	}
	if b.Prune != "" {
		modules := path.Join(generate.SourceDir, "node_modules")
		if b.Deploy != "" {
			modules = path.Join(b.Deploy, "node_modules")
		}
		for _, f := range t.Stamped {
			b.Stamped = append(b.Stamped, path.Join(modules, f))
		}
	}
	d.Recipe = b
	// The build script mounts no cache; build.before and build.run get
	// the manager's, which the install and prune steps mount.
	d.Builder.Caches = []string{t.Cache}
	builderEnv := map[string]string{}
	runnerEnv := map[string]string{"NODE_ENV": "production"}
	if t.Berry {
		builderEnv["YARN_NODE_LINKER"] = r.Linker
	}
	b.ModulesDir = r.Output != "" && !b.PnP && b.Deploy == ""
	if r.NextStandalone {
		// Next's server listens on HOSTNAME, which is the container's id
		// unless set; the builder sends no telemetry.
		runnerEnv["HOSTNAME"] = "0.0.0.0"
		builderEnv["NEXT_TELEMETRY_DISABLED"] = "1"
	}
	if b.PnP {
		// The runner keeps the packages in .yarn/cache, so the builder
		// must write them there, not to Yarn's global cache.
		builderEnv["YARN_ENABLE_GLOBAL_CACHE"] = "false"
		runnerEnv["NODE_OPTIONS"] = "--require " + path.Join(s.Runtime.Workdir, ".pnp.cjs")
	}
	return generate.Prepared{Manifests: manifests, BuilderEnv: builderEnv, RunnerEnv: runnerEnv}
}

// Ignore lists what a Node build never needs, the managers' caches, and
// the build's output.
func (language) Ignore(s *spec.Spec) []string {
	lines := []string{"**/node_modules", "npm-debug.log*", "yarn-debug.log*", "yarn-error.log*", "pnpm-debug.log*", ".npm", "coverage",
		// Managers' local caches and install state, rebuilt in the builder;
		// Next.js's build cache.
		".yarn/cache", ".yarn/unplugged", ".yarn/install-state.gz", ".yarn/build-state.yml", ".pnpm-store", ".bun", "**/.next/cache"}
	r := s.Recipe.(*Recipe)
	if r.Output != "" {
		lines = append(lines, s.InContext(r.Output))
	}
	if r.NextStandalone {
		lines = append(lines, s.InContext(".next"))
	}
	return lines
}
