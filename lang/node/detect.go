package node

import (
	"encoding/json"
	"fmt"
	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec/detect"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// nodeMajors are the Node majors with node:N-*-slim images that
// detection chooses from, oldest first; those from oldestNodeTrixie on have
// Debian 13 (trixie) images, wharf's default line, and older ones Debian 12.
var nodeMajors = []int{18, 20, 22, 24}

const oldestNodeTrixie = 20

// defaultNodeMajor is the major of the default node image.
const defaultNodeMajor = 24

// packageJSON is the part of package.json detection reads.
type packageJSON struct {
	Name           string            `json:"name"`
	Main           string            `json:"main"`
	Scripts        map[string]string `json:"scripts"`
	Engines        map[string]any    `json:"engines"`
	PackageManager string            `json:"packageManager"`
	Gypfile        bool              `json:"gypfile"`
	Workspaces     any               `json:"workspaces"`

	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

// nodeLockfiles maps each lockfile to its manager, in the order a tie is
// broken.
var nodeLockfiles = []struct{ file, manager string }{
	{"pnpm-lock.yaml", "pnpm"},
	{"yarn.lock", "yarn"},
	{"package-lock.json", "npm"},
	{"bun.lock", "bun"},
	{"bun.lockb", "bun"},
}

var (
	// distOutput and buildOutput spot a build script's output folder.
	distOutput  = lazyregexp.New(`(^|[\s=/'"])dist(/|\s|$|['"])`)
	buildOutput = lazyregexp.New(`(--out-?[dD]ir|--output|-o|-d)[\s=]+\.?/?build(/|\s|$)|react-scripts build|(^|\s)\.?/?build/`)
	// plainArgs are words of a start script that need no shell.
	plainArgs = lazyregexp.New(`^[A-Za-z0-9_./:=@%+,-]+$`)
)

// Detect reads the project into p.
func (language) Detect(fsys fs.FS, p *detect.Proposal) error {
	data, ok := detect.ReadFile(fsys, "package.json")
	if !ok {
		return fmt.Errorf("node: found no package.json; the node recipe installs from package.json and its lockfile: run npm init first")
	}
	p.Sources = append(p.Sources, "package.json")
	var pkg packageJSON
	if err := json.Unmarshal([]byte(data), &pkg); err != nil {
		return fmt.Errorf("read package.json: %w", err)
	}
	if pkg.Name != "" {
		name := pkg.Name
		if i := strings.LastIndex(name, "/"); i >= 0 {
			name = name[i+1:] // @scope/name
		}
		p.Name = detect.SpecName(name)
	}

	n := &proposal{}
	defer func() { p.Section = n.fields() }()
	var locks []string
	for _, l := range nodeLockfiles {
		if detect.IsFile(fsys, l.file) {
			locks = append(locks, l.file)
			if n.Manager == "" {
				n.Manager = l.manager
			}
		}
	}
	p.Sources = append(p.Sources, locks...)
	declared, pinned, _ := strings.Cut(pkg.PackageManager, "@")
	pinned, _, _ = strings.Cut(pinned, "+") // Corepack's hash
	switch {
	case Tools[declared] != nil:
		n.Manager = declared
		n.ManagerWhy = fmt.Sprintf("From packageManager in package.json (%s).", pkg.PackageManager)
		switch {
		case declared == Bun.Name:
			n.ManagerWhy += " Bun comes with its image; pin it with the image tag (oven/bun:" + pinned + "-slim)."
		case versionRE.MatchString(pinned):
			n.ManagerVersion = pinned
		}
	case len(locks) == 1:
		n.ManagerWhy = fmt.Sprintf("From the lockfile, %s.", locks[0])
	case len(locks) > 1:
		n.ManagerWhy = fmt.Sprintf("The project has %s; wharf chose %s. Delete the lockfile you do not use.", detect.JoinList(locks), locks[0])
	default:
		n.Manager = "npm"
		n.ManagerWhy = "The project has no lockfile yet."
	}
	if n.Manager == Yarn.Name {
		yarnrc(fsys, n)
	}
	if n.ManagerVersion != "" {
		n.ManagerWhy += " The builder installs that version with npm, not Corepack."
	}
	if n.Manager == Yarn.Name && n.ManagerVersion == "" && n.YarnPath == "" && berryLock(fsys) {
		n.ManagerWhy += " yarn.lock is Yarn 2+'s, but nothing pins the version: set manager_version to it (package.json's packageManager), or Yarn " + DefaultYarn + " is installed."
	}
	if lock := lockfileOf(n.Manager); !slices.Contains(locks, lock) && !(lock == "bun.lock" && slices.Contains(locks, "bun.lockb")) {
		p.Notes = append(p.Notes, fmt.Sprintf("no %s found: the Dockerfile installs from it; run %s install and commit it before building", lock, n.Manager))
	}

	buildScript := pkg.Scripts["build"]
	if buildScript != "" {
		n.Build = "build"
		switch {
		case distOutput.MatchString(buildScript):
			n.Output = "dist"
		case buildOutput.MatchString(buildScript):
			n.Output = "build"
		}
		if n.Output != "" {
			n.OutputWhy = fmt.Sprintf("The build script (%s) writes to %s/, as far as wharf can tell: the runner gets it, node_modules and package.json.", buildScript, n.Output)
		}
	}

	major, why := nodeVersion(pkg.Engines)
	codename := "trixie"
	if major < oldestNodeTrixie {
		codename = "bookworm"
		why += fmt.Sprintf(" Node %d has no Debian 13 image, so it runs on Debian 12.", major)
	}
	p.Builder = fmt.Sprintf("node:%d-%s-slim", major, codename)
	p.Runner = p.Builder
	p.ImagesWhy = why + " Keep both stages on one Node version: native addons are built for it."
	if n.Manager == Bun.Name {
		p.Builder, p.Runner = BunImage.Ref, BunImage.Ref
		p.ImagesWhy = "Bun's own image for both stages: bun installs, builds and runs the app."
	}

	st := nodeCmd(fsys, pkg, p)
	if cfg := nextStandalone(fsys); cfg != "" && pkg.Dependencies["next"] != "" {
		if n.Build == "" {
			p.Notes = append(p.Notes, fmt.Sprintf("%s sets output: 'standalone', but package.json has no build script to run next build; add one (\"build\": \"next build\") and set node.next_standalone: true", cfg))
		} else {
			n.NextStandalone = true
			n.NextWhy = fmt.Sprintf("%s sets output: 'standalone': the runner gets .next/standalone, .next/static and public only.", cfg)
			n.Output, n.OutputWhy = "", ""
			st = start{cmd: []string{"node", "server.js"}, why: "Next.js's standalone server, which next build writes to .next/standalone.", sure: detect.Likely}
		}
	}
	if n.Manager == Bun.Name && len(st.cmd) > 0 && st.cmd[0] == "node" {
		st.cmd = append([]string{"bun"}, st.cmd[1:]...) // Bun's image has no node
	}
	p.Cmd, p.CmdWhy, p.CmdSure, p.CmdFails = st.cmd, st.why, st.sure, st.fails
	if slices.ContainsFunc(p.Cmd, func(w string) bool { b := path.Base(w); return b == "pm2" || b == "pm2-runtime" }) {
		p.SetEnv("PM2_HOME", "/tmp/.pm2", "pm2 keeps its logs and pid files in PM2_HOME, $HOME/.pm2 by default; the runner's user has no home (/nonexistent), so they go to /tmp.")
	}
	if port, why := nodePort(fsys, pkg, st.source); port > 0 {
		p.Expose, p.ExposeWhy = []int{port}, why
	}
	if why := nativeAddons(fsys, pkg); why != "" {
		p.BuildPackages = []string{"python3", "make", "g++"}
		p.BuildPackagesWhy = why + ": the builder needs python3, make and g++ for node-gyp. They stay out of the runner."
	}
	if n.Output != "" && !n.NextStandalone {
		// The runner holds only the output folder: the command must be in it.
		if len(p.Cmd) < 2 || p.Cmd[0] != "node" || !strings.HasPrefix(detect.CleanRel(p.Cmd[1])+"/", n.Output+"/") {
			n.OutputWhy = fmt.Sprintf("The build script writes to %s/, but the command runs outside it, so the runner gets the whole pruned project. Set output: %s if the runner needs only that folder.", n.Output, n.Output)
			n.Output = ""
		}
	}
	return nil
}

func lockfileOf(manager string) string {
	for _, l := range nodeLockfiles {
		if l.manager == manager {
			return l.file
		}
	}
	return ""
}

// nodeVersion chooses the Node major of the images: the default if
// engines.node allows it, else the newest it allows.
func nodeVersion(engines map[string]any) (int, string) {
	want, _ := engines["node"].(string)
	if want == "" {
		return defaultNodeMajor, fmt.Sprintf("Node %d: package.json has no engines.node.", defaultNodeMajor)
	}
	c, ok := detect.ParseNodeRange(want)
	if !ok {
		return defaultNodeMajor, fmt.Sprintf("Node %d: wharf could not read engines.node %q; check that it fits.", defaultNodeMajor, want)
	}
	allowed := func(major int) bool { return c.AllowsSeries(detect.Version{major}, 1) }
	if allowed(defaultNodeMajor) {
		return defaultNodeMajor, fmt.Sprintf("Node %d, which engines.node %q allows.", defaultNodeMajor, want)
	}
	for i := len(nodeMajors) - 1; i >= 0; i-- {
		if allowed(nodeMajors[i]) {
			return nodeMajors[i], fmt.Sprintf("Node %d, the newest that engines.node %q allows.", nodeMajors[i], want)
		}
	}
	return defaultNodeMajor, fmt.Sprintf("Node %d, although engines.node %q allows none of %d to %d; check it.", defaultNodeMajor, want, nodeMajors[0], nodeMajors[len(nodeMajors)-1])
}

// proposal is the proposed node section.
type proposal struct {
	Manager        string
	ManagerWhy     string
	ManagerVersion string // from packageManager
	YarnPath       string // .yarnrc.yml's yarnPath, when committed
	Linker         string // .yarnrc.yml's nodeLinker
	YarnWhy        string
	Build          string // a package.json script name, or ""
	Output         string
	OutputWhy      string
	NextStandalone bool
	NextWhy        string
}

func (n *proposal) fields() []detect.Field {
	f := []detect.Field{{Key: "manager", Value: n.Manager, Why: n.ManagerWhy}}
	if n.ManagerVersion != "" {
		f = append(f, detect.Field{Key: "manager_version", Value: detect.Scalar(n.ManagerVersion)})
	}
	if n.YarnPath != "" {
		f = append(f, detect.Field{Key: "yarn_path", Value: detect.Scalar(n.YarnPath), Why: n.YarnWhy})
	}
	if n.Linker != "" {
		f = append(f, detect.Field{Key: "linker", Value: detect.Scalar(n.Linker)})
	}
	if n.Build != "" {
		f = append(f, detect.Field{Key: "build", Value: detect.Scalar(n.Build)})
	}
	if n.NextStandalone {
		return append(f, detect.Field{Key: "next_standalone", Value: "true", Why: n.NextWhy})
	}
	return append(f, detect.Field{Key: "output", Value: scalarOrEmpty(n.Output), Why: n.OutputWhy})
}

// yarnrcLine reads a top-level key of .yarnrc.yml.
var yarnrcLine = lazyregexp.New(`(?m)^(yarnPath|nodeLinker):[ \t]*["']?([^"'#\s]+)`)

// yarnrc proposes yarn_path and linker from .yarnrc.yml: a committed
// release runs as it is (and wins over packageManager's version, which
// would be a second Yarn), and nodeLinker pnp is Plug'n'Play.
func yarnrc(fsys fs.FS, n *proposal) {
	data, ok := detect.ReadFile(fsys, ".yarnrc.yml")
	if !ok {
		return
	}
	for _, m := range yarnrcLine.FindAllStringSubmatch(data, -1) {
		switch {
		case m[1] == "yarnPath" && detect.IsFile(fsys, detect.CleanRel(m[2])):
			n.YarnPath = detect.CleanRel(m[2])
			n.YarnWhy = ".yarnrc.yml's yarnPath, committed: the builder runs it with node and installs no Yarn."
			n.ManagerVersion = ""
		case m[1] == "nodeLinker" && (m[2] == LinkerPnP || m[2] == LinkerNodeModules):
			n.Linker = m[2]
		}
	}
	if n.Linker == LinkerNodeModules {
		n.Linker = "" // the default
	}
	if n.YarnPath == "" && major(n.ManagerVersion) < 2 {
		n.Linker = "" // a Yarn 1 setting would be refused
	}
}

// berryLock reports a Yarn 2+ yarn.lock (it has a __metadata entry).
func berryLock(fsys fs.FS) bool {
	data, _ := detect.ReadFile(fsys, "yarn.lock")
	return strings.Contains(data, "\n__metadata:")
}

// nextConfigStandalone finds output: 'standalone' in a Next.js config.
var nextConfigStandalone = lazyregexp.New(`\boutput\s*:\s*["'\x60]standalone["'\x60]`)

// nextStandalone returns the next.config.* file that asks for the
// standalone output, or "".
func nextStandalone(fsys fs.FS) string {
	for _, f := range []string{"next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts", "next.config.mts"} {
		if data, ok := detect.ReadFile(fsys, f); ok && nextConfigStandalone.MatchString(data) {
			return f
		}
	}
	return ""
}

func scalarOrEmpty(s string) string {
	if s == "" {
		return ""
	}
	return detect.Scalar(s)
}

// Markers are the files that tell a Node project.
func (language) Markers() []string { return []string{"package.json"} }
