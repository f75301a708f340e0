// Package harness builds Dockerfiles with a real BuildKit daemon, against a
// loopback registry of Debian-built base images, and runs the results with
// runc. It needs root, runc, umoci and debootstrap; it needs no Docker engine
// and reaches no network but the Debian mirror (while building base images)
// and whatever the Dockerfiles under test fetch.
package harness

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Tools holds the paths of the binaries that the e2e module's go.mod pins
// with `tool` directives.
type Tools struct {
	Buildkitd string
	Buildctl  string
	Crane     string
}

// toolPackages are the `tool` packages of e2e/go.mod, built together.
var toolPackages = []string{
	"github.com/moby/buildkit/cmd/buildkitd",
	"github.com/moby/buildkit/cmd/buildctl",
	"github.com/google/go-containerregistry/cmd/crane",
}

// BuildTools builds buildkitd, buildctl and crane from the module in
// moduleDir into cacheDir/bin/<versions>/, or reuses them if that folder is
// complete. The folder name carries the module versions and the Go version,
// so bumping either in go.mod builds afresh.
func BuildTools(ctx context.Context, moduleDir, cacheDir string, log func(string, ...any)) (*Tools, error) {
	key, err := toolsKey(ctx, moduleDir)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(cacheDir, "bin", key)
	tools := &Tools{
		Buildkitd: filepath.Join(dir, "buildkitd"),
		Buildctl:  filepath.Join(dir, "buildctl"),
		Crane:     filepath.Join(dir, "crane"),
	}
	if allExist(tools.Buildkitd, tools.Buildctl, tools.Crane) {
		log("tools: cached in %s", dir)
		return tools, nil
	}
	log("tools: building %s into %s", strings.Join(toolPackages, ", "), dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	args := append([]string{"build", "-trimpath", "-o", tmp + string(os.PathSeparator)}, toolPackages...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = moduleDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build tools: %w\n%s", err, out)
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, err
	}
	return tools, nil
}

// toolsKey names the tool cache folder after the pinned module versions.
func toolsKey(ctx context.Context, moduleDir string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Path}}@{{.Version}}",
		"github.com/moby/buildkit", "github.com/google/go-containerregistry")
	cmd.Dir = moduleDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list -m: %w\n%s", err, stderr.String())
	}
	var parts []string
	for _, line := range strings.Fields(string(out)) {
		parts = append(parts, filepath.Base(line)) // buildkit@v0.34.2
	}
	parts = append(parts, runtime.Version())
	return strings.Join(parts, "_"), nil
}

func allExist(paths ...string) bool {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}
