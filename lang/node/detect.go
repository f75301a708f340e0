package node

import (
	"encoding/json"
	"fmt"
	"github.com/wharf-dev/wharf/spec/detect"
	"io/fs"
	"path"
	"regexp"
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
}

var (
	// distOutput and buildOutput spot a build script's output folder.
	distOutput  = regexp.MustCompile(`(^|[\s=/'"])dist(/|\s|$|['"])`)
	buildOutput = regexp.MustCompile(`(--out-?[dD]ir|--output|-o|-d)[\s=]+\.?/?build(/|\s|$)|react-scripts build|(^|\s)\.?/?build/`)
	// plainArgs are words of a start script that need no shell.
	plainArgs = regexp.MustCompile(`^[A-Za-z0-9_./:=@%+,-]+$`)
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
	declared, _, _ := strings.Cut(pkg.PackageManager, "@")
	switch {
	case declared == "npm" || declared == "yarn" || declared == "pnpm":
		n.Manager = declared
		n.ManagerWhy = fmt.Sprintf("From packageManager in package.json (%s).", pkg.PackageManager)
	case len(locks) == 1:
		n.ManagerWhy = fmt.Sprintf("From the lockfile, %s.", locks[0])
	case len(locks) > 1:
		n.ManagerWhy = fmt.Sprintf("The project has %s; wharf chose %s. Delete the lockfile you do not use.", detect.JoinList(locks), locks[0])
	default:
		n.Manager = "npm"
		n.ManagerWhy = "The project has no lockfile yet."
	}
	if lock := lockfileOf(n.Manager); !slices.Contains(locks, lock) {
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

	st := nodeCmd(fsys, pkg, p)
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
	if n.Output != "" {
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
	Manager    string
	ManagerWhy string
	Build      string // a package.json script name, or ""
	Output     string
	OutputWhy  string
}

func (n *proposal) fields() []detect.Field {
	f := []detect.Field{{Key: "manager", Value: n.Manager, Why: n.ManagerWhy}}
	if n.Build != "" {
		f = append(f, detect.Field{Key: "build", Value: detect.Scalar(n.Build)})
	}
	return append(f, detect.Field{Key: "output", Value: scalarOrEmpty(n.Output), Why: n.OutputWhy})
}

func scalarOrEmpty(s string) string {
	if s == "" {
		return ""
	}
	return detect.Scalar(s)
}

// Markers are the files that tell a Node project.
func (language) Markers() []string { return []string{"package.json"} }
