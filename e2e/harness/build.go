package harness

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// BuildRequest is one `buildctl build` of a Dockerfile with the built-in
// dockerfile frontend.
type BuildRequest struct {
	// ContextDir is the build context; DockerfileDir holds the Dockerfile
	// (often the same folder).
	ContextDir, DockerfileDir string
	// Filename is the Dockerfile's name in DockerfileDir; "" is
	// "Dockerfile". BuildKit reads the ignore file beside it
	// (FILENAME.dockerignore) before .dockerignore.
	Filename string
	// Target is the stage to build; wharf's final stage is "runner".
	Target string
	// BuildArgs are passed as --opt build-arg:K=V.
	BuildArgs map[string]string
	// OutputTar is where the OCI image tarball is written.
	OutputTar string
	// Name is the image name recorded in the tarball's index.json.
	Name string
	// Secrets maps a secret id to the file that holds it, passed as
	// --secret id=K,src=PATH (for RUN --mount=type=secret,id=K).
	Secrets map[string]string
	// NoCache builds every step again (--no-cache).
	NoCache bool
	// Platform, if set, is the target platform (--opt platform=...), or
	// several, comma-separated, for a multi-platform image.
	Platform string
	// Hosts maps host names to IP addresses in the /etc/hosts of every
	// RUN step (--opt add-hosts=NAME=IP,...).
	Hosts map[string]string
	// Push, if set, is the image name to push to instead of writing
	// OutputTar: a multi-platform build pushes an index.
	Push string
	// RewriteTimestamp sets the exporter's rewrite-timestamp=true: every
	// file newer than the SOURCE_DATE_EPOCH build argument gets that time
	// in the exported layers.
	RewriteTimestamp bool
}

// CheckErrorArg makes every Dockerfile check warning fail the build, as
// `docker build --check` would report them.
const CheckErrorArg = "BUILDKIT_DOCKERFILE_CHECK"

// Build runs buildctl against d and returns its plain progress log, which
// holds every step's output. The error, if any, is buildctl's exit.
//
// `--opt cmdline=` makes BuildKit use its built-in Dockerfile frontend and
// ignore any `# syntax=` line, which would otherwise pull an image from
// Docker Hub.
func (d *Daemon) Build(ctx context.Context, tools *Tools, req BuildRequest) (string, error) {
	args := []string{
		"--addr", d.Addr, "build",
		"--progress", "plain",
		"--frontend", "dockerfile.v0",
		"--opt", "cmdline=",
		"--local", "context=" + req.ContextDir,
		"--local", "dockerfile=" + req.DockerfileDir,
	}
	if req.Filename != "" {
		args = append(args, "--opt", "filename="+req.Filename)
	}
	if req.Target != "" {
		args = append(args, "--opt", "target="+req.Target)
	}
	keys := make([]string, 0, len(req.BuildArgs))
	for k := range req.BuildArgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "--opt", "build-arg:"+k+"="+req.BuildArgs[k])
	}
	if req.Platform != "" {
		args = append(args, "--opt", "platform="+req.Platform)
	}
	if len(req.Hosts) > 0 {
		names := make([]string, 0, len(req.Hosts))
		for name := range req.Hosts {
			names = append(names, name)
		}
		sort.Strings(names)
		pairs := make([]string, len(names))
		for i, name := range names {
			pairs[i] = name + "=" + req.Hosts[name]
		}
		args = append(args, "--opt", "add-hosts="+strings.Join(pairs, ","))
	}
	if req.NoCache {
		args = append(args, "--no-cache")
	}
	ids := make([]string, 0, len(req.Secrets))
	for id := range req.Secrets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		args = append(args, "--secret", "id="+id+",src="+req.Secrets[id])
	}
	out := "type=oci,dest=" + req.OutputTar
	if req.Name != "" {
		out += ",name=" + req.Name
	}
	if req.Push != "" {
		out = "type=image,name=" + req.Push + ",push=true,registry.insecure=true"
	}
	if req.RewriteTimestamp {
		out += ",rewrite-timestamp=true"
	}
	args = append(args, "--output", out)

	cmd := exec.CommandContext(ctx, tools.Buildctl, args...)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	err := cmd.Run()
	if err != nil {
		return log.String(), fmt.Errorf("buildctl build %s: %w", filepath.Base(req.ContextDir), err)
	}
	return log.String(), nil
}
