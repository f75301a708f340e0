package node

import "strings"

// A Tool is a Node package manager: its lockfile, how it installs and
// prunes, and what it caches between builds.
type Tool struct {
	Name     string
	Lockfile string
	// Setup is a step that makes the tool available in the builder, or "".
	Setup string
	// Cache is the folder the install steps mount as a cache.
	Cache string
	// Install installs exactly what the lockfile says.
	Install string
	// Prune leaves only production dependencies; PruneInstalls says it
	// installs again (and so needs the cache and the registry).
	Prune         string
	PruneInstalls bool
	// InDir is the flag that runs a script in another folder.
	InDir string
}

// The package managers.
var (
	NPM  = &Tool{Name: "npm", Lockfile: "package-lock.json", Cache: "/root/.npm", Install: "npm ci", Prune: "npm prune --omit=dev", InDir: "--prefix"}
	Yarn = &Tool{Name: "yarn", Lockfile: "yarn.lock", Cache: "/usr/local/share/.cache/yarn", Install: "yarn install --frozen-lockfile",
		Prune: "yarn install --frozen-lockfile --production --prefer-offline", PruneInstalls: true, InDir: "--cwd"}
	PNPM = &Tool{Name: "pnpm", Lockfile: "pnpm-lock.yaml", Setup: "corepack enable", Cache: "/root/.local/share/pnpm/store",
		Install: "pnpm install --frozen-lockfile", Prune: "pnpm prune --prod", InDir: "--dir"}
)

// Tools are the package managers by name; toolOrder lists them for messages.
var (
	Tools     = map[string]*Tool{NPM.Name: NPM, Yarn.Name: Yarn, PNPM.Name: PNPM}
	toolOrder = []*Tool{NPM, Yarn, PNPM}
)

func toolNames() []string {
	names := make([]string, len(toolOrder))
	for i, t := range toolOrder {
		names[i] = t.Name
	}
	return names
}

// toolList is "npm, yarn or pnpm".
func toolList() string {
	names := toolNames()
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
