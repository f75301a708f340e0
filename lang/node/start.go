package node

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec/detect"
)

// binPackages maps the binaries that start scripts commonly run to the
// package that installs them, where the names differ (each from the
// package's package.json "bin" field).
var binPackages = map[string]string{
	"nest":          "@nestjs/cli",
	"tsc":           "typescript",
	"pm2-runtime":   "pm2",
	"ts-node-dev":   "ts-node-dev",
	"tsnd":          "ts-node-dev",
	"react-scripts": "react-scripts",
	"vite":          "vite",
	"remix-serve":   "@remix-run/serve",
	"nuxt":          "nuxt",
	"astro":         "astro",
	"serve":         "serve",
	"babel-node":    "@babel/node",
	"node-dev":      "node-dev",
}

// shellWords are the words of a script that are not binaries of a package.
var shellWords = map[string]bool{"node": true, "exec": true, "cd": true, "echo": true, "true": true, "sh": true, "test": true, "[": true}

// envAssign is a leading VAR=value of a script's command.
var envAssign = lazyregexp.New(`^[A-Za-z_][A-Za-z0-9_]*=`)

// scriptCommands splits a package.json script into its commands' words.
var scriptSplit = lazyregexp.New(`\s*(?:&&|\|\||;|\|)\s*`)

// scriptBins returns the binaries each command of the script runs, after
// environment assignments, and the npm scripts it runs in turn.
func scriptBins(script string) (bins, runs []string) {
	for _, c := range scriptSplit.Split(script, -1) {
		words := strings.Fields(c)
		for len(words) > 0 && envAssign.MatchString(words[0]) {
			words = words[1:]
		}
		if len(words) > 0 && words[0] == "cross-env" {
			bins = append(bins, "cross-env")
			words = words[1:]
			for len(words) > 0 && envAssign.MatchString(words[0]) {
				words = words[1:]
			}
		}
		if len(words) == 0 {
			continue
		}
		switch w := words[0]; {
		case (w == "npm" || w == "pnpm" || w == "yarn" || w == "bun") && len(words) >= 3 && words[1] == "run":
			runs = append(runs, words[2])
		case (w == "npm" || w == "pnpm" || w == "yarn") && len(words) == 2 && words[1] == "start":
			runs = append(runs, "start")
		case w == "yarn" && len(words) == 2:
			runs = append(runs, words[1])
		case w == "npx" && len(words) >= 2:
			bins = append(bins, words[1])
		case !shellWords[w]:
			bins = append(bins, w)
		}
	}
	return bins, runs
}

// packageOf is the package that installs the binary bin.
func packageOf(bin string) string {
	if p, ok := binPackages[bin]; ok {
		return p
	}
	return bin
}

// prunedBin returns the first binary the script (and the scripts it runs)
// calls that the production prune removes, or cannot be traced to a
// production dependency; "" when everything it runs survives.
func prunedBin(pkg packageJSON, script string, depth int) (bin, why string) {
	bins, runs := scriptBins(script)
	for _, b := range bins {
		p := packageOf(b)
		switch {
		case pkg.Dependencies[p] != "":
		case pkg.DevDependencies[p] != "":
			return b, fmt.Sprintf("%s is from %s, a devDependency, which the production prune removes", b, p)
		default:
			return b, fmt.Sprintf("%s is from no production dependency in package.json", b)
		}
	}
	for _, r := range runs {
		s, ok := pkg.Scripts[r]
		if !ok || depth > 3 {
			return "npm run " + r, fmt.Sprintf("it runs the script %q, which wharf cannot follow", r)
		}
		if b, why := prunedBin(pkg, s, depth+1); b != "" {
			return b, why
		}
	}
	return "", ""
}

// DevBinary reports the binary that the package.json script named script
// runs that the production prune removes (a devDependency's binary), and
// why; "" when none. validate uses it for a cmd that runs npm start.
func DevBinary(packageJSONData []byte, script string) (bin, why string) {
	var pkg packageJSON
	if json.Unmarshal(packageJSONData, &pkg) != nil {
		return "", ""
	}
	return devBinary(pkg, script, 0)
}

func devBinary(pkg packageJSON, script string, depth int) (bin, why string) {
	s, ok := pkg.Scripts[script]
	if !ok || depth > 3 {
		return "", ""
	}
	bins, runs := scriptBins(s)
	for _, b := range bins {
		if why := devDependencyBin(pkg, b); why != "" {
			return b, why
		}
	}
	for _, r := range runs {
		if b, why := devBinary(pkg, r, depth+1); b != "" {
			return b, why
		}
	}
	return "", ""
}

// devDependencyBin says why the binary bin is pruned: its package is a
// devDependency and not a dependency; "" when it is not.
func devDependencyBin(pkg packageJSON, bin string) string {
	if p := packageOf(bin); pkg.DevDependencies[p] != "" && pkg.Dependencies[p] == "" {
		return fmt.Sprintf("%s is from %s, a devDependency, which the production prune removes", bin, p)
	}
	return ""
}

// tsOutDir reads compilerOptions.outDir and rootDir of tsconfig.json.
var (
	tsOutDir  = lazyregexp.New(`"outDir"\s*:\s*"([^"]+)"`)
	tsRootDir = lazyregexp.New(`"rootDir"\s*:\s*"([^"]+)"`)
)

// entryNames are the usual names of an app's entry file, most usual first.
var entryNames = []string{"main", "index", "server", "app"}

// start is a proposed start command with its reason and trust.
type start struct {
	cmd  []string
	why  string
	sure detect.Confidence
	// source is the file that holds the app's listen call, when known.
	source string
	fails  bool
}

// nodeCmd proposes how the container starts, in order of trust: the start
// script when everything it runs survives the production prune, main in
// package.json, tsconfig's outDir with the entry file it compiles, a
// framework's production entry (Nest's dist/main.js, next start), a usual
// entry file; else a command that exits saying wharf cannot tell.
func nodeCmd(fsys fs.FS, pkg packageJSON, p *detect.Proposal) start {
	startScript := pkg.Scripts["start"]
	var rejected string
	if startScript != "" {
		if bin, why := prunedBin(pkg, startScript, 0); bin != "" {
			rejected = fmt.Sprintf("The start script (%s) will not run in the image: %s.", startScript, why)
		} else if words := withoutEnv(strings.Fields(startScript)); len(words) >= 2 && words[0] == "node" && allPlain(words) && len(scriptSplit.FindAllString(startScript, -1)) == 0 {
			return start{cmd: words, why: "The start script in package.json, run without npm so that the app receives signals.", source: sourceOf(fsys, words[1])}
		} else if bins, runs := scriptBins(startScript); len(runs) == 0 && len(bins) == 1 && len(words) >= 1 && words[0] == bins[0] && allPlain(words) {
			cmd := append([]string{"node_modules/.bin/" + words[0]}, words[1:]...)
			return start{cmd: cmd, why: fmt.Sprintf("The start script in package.json (%s), whose binary is from a production dependency, run without npm so that the app receives signals.", startScript)}
		} else {
			return start{cmd: []string{"npm", "start"}, why: fmt.Sprintf("The start script (%s), whose binaries survive the production prune, needs a shell or npm.", startScript)}
		}
	}
	prefix := ""
	if rejected != "" {
		prefix = rejected + " Instead: "
		for _, name := range []string{"start:prod", "start:production", "prod"} {
			script := pkg.Scripts[name]
			if words := withoutEnv(strings.Fields(script)); len(words) >= 2 && words[0] == "node" && allPlain(words) && len(scriptSplit.FindAllString(script, -1)) == 0 {
				return start{cmd: words, why: fmt.Sprintf("%sthe %s script in package.json, run without npm so that the app receives signals.", prefix, name), sure: detect.Likely, source: sourceOf(fsys, words[1])}
			}
		}
	}
	if pkg.Main != "" {
		if main := detect.CleanRel(pkg.Main); main != "" && (detect.IsFile(fsys, main) || pkg.Scripts["build"] != "") {
			return start{cmd: []string{"node", main}, why: prefix + "main in package.json.", sure: detect.Likely, source: sourceOf(fsys, main)}
		}
	}
	if data, ok := detect.ReadFile(fsys, "tsconfig.json"); ok && pkg.Scripts["build"] != "" {
		if m := tsOutDir.FindStringSubmatch(data); m != nil {
			out := detect.CleanRel(m[1])
			root := "src"
			if r := tsRootDir.FindStringSubmatch(data); r != nil {
				root = detect.CleanRel(r[1])
			}
			for _, n := range entryNames {
				for _, ext := range []string{".ts", ".mts"} {
					if src := path.Join(root, n+ext); out != "" && detect.IsFile(fsys, src) {
						js := path.Join(out, n+strings.Replace(ext, "ts", "js", 1))
						return start{cmd: []string{"node", js}, why: fmt.Sprintf("%sThe build compiles %s to %s (tsconfig.json's outDir).", prefix, src, js), sure: detect.Likely, source: src}
					}
				}
			}
		}
	}
	switch {
	case pkg.Dependencies["@nestjs/core"] != "":
		return start{cmd: []string{"node", "dist/main.js"}, why: prefix + "A NestJS app (@nestjs/core): its build writes dist/main.js.", sure: detect.Likely, source: "src/main.ts"}
	case pkg.Dependencies["next"] != "":
		return start{cmd: []string{"node_modules/.bin/next", "start"}, why: prefix + "A Next.js app (next is a dependency): next start serves the build.", sure: detect.Likely}
	}
	for _, dir := range []string{"", "src"} {
		for _, n := range []string{"index.js", "server.js", "app.js", "main.js", "index.mjs", "server.mjs", "bin/www"} {
			if f := path.Join(dir, n); detect.IsFile(fsys, f) {
				return start{cmd: []string{"node", f}, why: fmt.Sprintf("%s%s is the project's entry point, as far as wharf can tell; check it.", prefix, f), sure: detect.Likely, source: f}
			}
		}
	}
	why := "wharf found no start script that survives the production prune, no main in package.json, no built entry point and no known framework; set runtime.cmd to how your app starts. Until then the container exits with this message."
	if rejected != "" {
		why = rejected + " " + why
	}
	if pkg.Workspaces != nil || detect.IsFile(fsys, "pnpm-workspace.yaml") {
		why = "The folder is a workspace root, which starts no app of its own: run wharf init in the folder of the app to build. " + why
	}
	p.Notes = append(p.Notes, "cannot tell how the app starts: set runtime.cmd in wharf.yaml (until then the container exits saying so)")
	return start{cmd: []string{"node", "-e", "throw new Error('set runtime.cmd in wharf.yaml')"}, why: why, sure: detect.Unknown, fails: true}
}

// withoutEnv drops a command's leading VAR=value words.
func withoutEnv(words []string) []string {
	for len(words) > 0 && envAssign.MatchString(words[0]) {
		words = words[1:]
	}
	return words
}

func allPlain(words []string) bool {
	for _, w := range words {
		if !plainArgs.MatchString(w) {
			return false
		}
	}
	return true
}

// sourceOf is the file that holds the code of the entry file f: f itself,
// or the TypeScript source of a built file (dist/main.js is src/main.ts).
func sourceOf(fsys fs.FS, f string) string {
	f = detect.CleanRel(f)
	if detect.IsFile(fsys, f) {
		return f
	}
	if _, rest, ok := strings.Cut(f, "/"); ok {
		base := strings.TrimSuffix(strings.TrimSuffix(rest, ".js"), ".mjs")
		for _, c := range []string{"src/" + base + ".ts", "src/" + base + ".js", base + ".ts"} {
			if detect.IsFile(fsys, c) {
				return c
			}
		}
	}
	return ""
}

var (
	// listenPort is a literal port passed to listen(), or the default of
	// a PORT variable (process.env.PORT || 3000).
	listenPort  = lazyregexp.New(`\.listen\(\s*([0-9]{2,5})\b`)
	portDefault = lazyregexp.New(`PORT\s*(?:\|\||\?\?)\s*['"]?([0-9]{2,5})\b`)
)

// nodePort finds the port the app listens on: a literal in the entry
// file's listen call or PORT default, else the framework's default.
func nodePort(fsys fs.FS, pkg packageJSON, source string) (int, string) {
	if source != "" {
		// The entry file first, then the files beside it (an Express app
		// often sets its port in app.js and listens in server.js).
		files := []string{source}
		entries, _ := fs.ReadDir(fsys, path.Dir(source))
		for _, e := range entries {
			if n := path.Join(path.Dir(source), e.Name()); n != source && !e.IsDir() && len(files) < 12 && (strings.HasSuffix(n, ".js") || strings.HasSuffix(n, ".ts") || strings.HasSuffix(n, ".mjs")) {
				files = append(files, n)
			}
		}
		for _, f := range files {
			text, ok := detect.ReadFile(fsys, f)
			if !ok {
				continue
			}
			for _, re := range []*lazyregexp.Regexp{portDefault, listenPort} {
				if m := re.FindStringSubmatch(text); m != nil {
					if port, err := strconv.Atoi(m[1]); err == nil && port > 0 && port < 65536 {
						if f != source {
							return port, fmt.Sprintf("%s sets port %d for the app that %s starts.", f, port, source)
						}
						return port, fmt.Sprintf("%s listens on %d.", source, port)
					}
				}
			}
		}
	}
	switch {
	case pkg.Dependencies["next"] != "":
		return 3000, "next start listens on 3000 by default."
	case pkg.Dependencies["@nestjs/core"] != "" && source == "":
		return 3000, "A NestJS app listens on 3000 unless its main.ts says otherwise."
	}
	return 0, ""
}

// nativeDeps are packages whose install builds a native addon with
// node-gyp when no prebuilt binary fits (each package's README says so).
var nativeDeps = []string{"argon2", "bcrypt", "better-sqlite3", "canvas", "node-pty", "re2", "sharp", "sqlite3"}

// hasInstallScript is package-lock's mark on a package that runs an
// install script (usually node-gyp).
var hasInstallScript = lazyregexp.New(`"hasInstallScript"\s*:\s*true`)

// nativeAddons says why the builder needs a C toolchain, or "".
func nativeAddons(fsys fs.FS, pkg packageJSON) string {
	var found []string
	for _, d := range nativeDeps {
		if pkg.Dependencies[d] != "" || pkg.DevDependencies[d] != "" {
			found = append(found, d)
		}
	}
	if len(found) > 0 {
		return fmt.Sprintf("%s: native addons that node-gyp builds when no prebuilt binary fits", detect.JoinList(found))
	}
	if pkg.Gypfile || detect.IsFile(fsys, "binding.gyp") {
		return "The package builds its own native addon (gypfile, binding.gyp)"
	}
	if lock, ok := detect.ReadFile(fsys, "package-lock.json"); ok && hasInstallScript.MatchString(lock) {
		return "package-lock.json marks packages with install scripts (hasInstallScript), which usually build native addons"
	}
	return ""
}
