package node

import (
	"encoding/json"
	"io/fs"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/spec"
)

// CheckContext reports a start command the runner cannot run: node FILE
// with FILE outside node.output (the runner gets only output,
// node_modules and package.json), and a start script, or a binary of
// node_modules/.bin, that the production prune removes because it
// belongs to a devDependency.
func (r *Recipe) CheckContext(d *spec.Decoder, s *spec.Spec, fsys fs.FS) {
	// package.json is read at most once, and only when a check needs it.
	var data []byte
	var readErr error
	read := func() ([]byte, error) {
		if data == nil && readErr == nil {
			data, readErr = fs.ReadFile(fsys, "package.json")
		}
		return data, readErr
	}
	if r.Build != "" {
		if pkg, err := read(); err == nil {
			r.checkBuildScript(d, d.At("node.build"), "package.json", pkg)
		}
	}
	cmd := s.Runtime.Cmd
	if d.Has("runtime.entrypoint") || len(cmd) == 0 {
		return
	}
	at := func(i int) *yaml.Node {
		if n := d.Item("runtime.cmd", i); n != nil {
			return n
		}
		return d.At("runtime.cmd")
	}
	exe := path.Base(cmd[0])
	if (exe == "node" || exe == "bun") && len(cmd) >= 2 && !strings.HasPrefix(cmd[1], "-") && !path.IsAbs(cmd[1]) {
		file := path.Clean(cmd[1])
		if r.Output != "" && !inFolder(file, r.Output) && !inFolder(file, "node_modules") && file != "package.json" {
			d.Errorf(at(1), spec.ErrInvalid, "runtime.cmd runs %s, which is outside node.output (%s): the runner gets only %s/, node_modules and package.json, so the container would exit with \"Cannot find module\"; run a file the build writes to %s/, or remove output to copy the whole pruned project", cmd[1], r.Output, r.Output, r.Output)
		}
		return
	}
	if _, err := read(); err != nil {
		return
	}
	script := ""
	switch {
	case (exe == "npm" || exe == "pnpm" || exe == "yarn" || exe == "bun") && len(cmd) == 2 && cmd[1] == "start":
		script = "start"
	case (exe == "npm" || exe == "pnpm" || exe == "yarn" || exe == "bun") && len(cmd) >= 3 && cmd[1] == "run":
		script = cmd[2]
	case strings.HasPrefix(path.Clean(cmd[0]), "node_modules/.bin/"):
		var pkg packageJSON
		if json.Unmarshal(data, &pkg) == nil {
			if why := devDependencyBin(pkg, path.Base(cmd[0])); why != "" {
				d.Errorf(at(0), spec.ErrInvalid, "runtime.cmd runs %s, but %s: the container would exit with 127 (not found); move the package to dependencies, or run the built entry point with node", cmd[0], why)
			}
		}
		return
	default:
		return
	}
	if b, why := DevBinary(data, script); b != "" {
		d.Errorf(at(0), spec.ErrInvalid, "runtime.cmd runs the %q script of package.json, but %s: the container would exit with 127 (%s: not found); run the built entry point with node (e.g. cmd: [\"node\", \"dist/index.js\"]), or move the package to dependencies", script, why, b)
	}
}

// inFolder reports whether the clean path p is dir or below it.
func inFolder(p, dir string) bool {
	dir = path.Clean(dir)
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}
