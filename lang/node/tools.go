package node

import (
	"strings"

	"github.com/wharf-dev/wharf/spec"
)

// A Tool is a Node package manager: its lockfile, how it installs and
// prunes, and what it caches between builds. Its commands start with the
// manager's name; Build turns them into the commands a spec runs (a Yarn
// 2+ release committed in the project runs as "node <file>").
type Tool struct {
	Name     string
	Lockfile string
	// Manifests are copied with package.json before the install step, as
	// paths at the context's root: the lockfile, and the tool's optional
	// settings as globs ("pnpm-workspace.yaml*"), which COPY skips when
	// absent.
	Manifests []string
	// Package is the npm package the builder installs the tool from
	// (npm install -g Package@version), never through Corepack, which
	// Node 25+ images lack; "" when only the image has the tool (bun).
	Package string
	// DefaultVersion is installed when the spec pins no version; "" keeps
	// the image's copy (npm).
	DefaultVersion string
	// Cache is the folder the install steps mount as a cache.
	Cache string
	// Fetch downloads what the lockfile names into the cache before the
	// source is copied (pnpm fetch), so that step's layer depends on the
	// lockfile alone; "" when the tool has no such step. Install then
	// runs offline after the source is copied.
	Fetch string
	// Install installs exactly what the lockfile says.
	Install string
	// Prune leaves only production dependencies; PruneInstalls says it
	// installs again (and so needs the cache and the registry).
	Prune         string
	PruneInstalls bool
	// InDir is the flag that runs a script in another folder; "" runs it
	// with cd instead.
	InDir string
	// Berry is Yarn 2 and later: settings in .yarnrc.yml, a node-modules
	// or Plug'n'Play linker, no .npmrc.
	Berry bool
	// Stamped are the files, in node_modules, that the prune writes with
	// its time in them (pnpm's .modules.yaml: prunedAt), removed after it
	// so that two builds match; only the manager reads them.
	Stamped []string
}

// The versions installed when neither the spec nor package.json's
// packageManager pins one: the last Yarn 1 (a Yarn 2+ yarn.lock needs a
// pinned version or yarn_path) and the newest pnpm 10.
const (
	DefaultYarn = "1.22.22"
	DefaultPNPM = "10.34.8"
)

// The package managers. Yarn is Yarn 1 (classic); a spec pinning Yarn 2
// or later (manager_version, yarn_path) gets YarnBerry.
var (
	NPM = &Tool{Name: "npm", Lockfile: "package-lock.json", Manifests: []string{"package-lock.json"}, Package: "npm",
		Cache: "/root/.npm", Install: "npm ci", Prune: "npm prune --omit=dev", InDir: "--prefix"}
	Yarn = &Tool{Name: "yarn", Lockfile: "yarn.lock", Manifests: []string{"yarn.lock"}, Package: "yarn", DefaultVersion: DefaultYarn,
		Cache: "/usr/local/share/.cache/yarn", Install: "yarn install --frozen-lockfile",
		Prune: "yarn install --frozen-lockfile --production --prefer-offline", PruneInstalls: true, InDir: "--cwd"}
	YarnBerry = &Tool{Name: "yarn", Lockfile: "yarn.lock", Manifests: []string{"yarn.lock", ".yarnrc.yml*"}, Package: "@yarnpkg/cli-dist",
		Cache: "/root/.yarn/berry/cache", Install: "yarn install --immutable",
		Prune: "yarn workspaces focus --production", PruneInstalls: true, Berry: true}
	PNPM = &Tool{Name: "pnpm", Lockfile: "pnpm-lock.yaml", Manifests: []string{"pnpm-lock.yaml", "pnpm-workspace.yaml*", ".npmrc*"}, Package: "pnpm", DefaultVersion: DefaultPNPM,
		Cache: "/root/.local/share/pnpm/store",
		Fetch: "pnpm fetch", Install: "pnpm install --frozen-lockfile --offline", Prune: "pnpm prune --prod", InDir: "--dir",
		Stamped: []string{".modules.yaml"}}
	Bun = &Tool{Name: "bun", Lockfile: "bun.lock", Manifests: []string{"bun.lock*"},
		Cache: "/root/.bun/install/cache", Install: "bun install --frozen-lockfile",
		Prune: "rm -rf node_modules && bun install --frozen-lockfile --production", PruneInstalls: true}
)

// Tools are the package managers by the spec's name for them; toolOrder
// lists them for messages.
var (
	Tools     = map[string]*Tool{NPM.Name: NPM, Yarn.Name: Yarn, PNPM.Name: PNPM, Bun.Name: Bun}
	toolOrder = []*Tool{NPM, Yarn, PNPM, Bun}
)

func toolNames() []string {
	names := make([]string, len(toolOrder))
	for i, t := range toolOrder {
		names[i] = t.Name
	}
	return names
}

// toolList is "npm, yarn, pnpm or bun".
func toolList() string {
	return spec.OrList(toolNames())
}

// command is one of t's commands run as cmd instead of t.Name.
func (t *Tool) command(c, cmd string) string {
	if c == "" || cmd == t.Name {
		return c
	}
	return cmd + strings.TrimPrefix(c, t.Name)
}
