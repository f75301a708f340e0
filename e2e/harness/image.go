package harness

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	securejoin "github.com/cyphar/filepath-securejoin"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// refNameAnnotation is the OCI index annotation that names a tag.
const refNameAnnotation = "org.opencontainers.image.ref.name"

// Image is a built image, unpacked by umoci into a runtime bundle.
type Image struct {
	// Layout is the OCI layout extracted from the build's tarball.
	Layout string
	// Bundle is umoci's runtime bundle: config.json and rootfs/.
	Bundle string
	// Config is the image config (Env, User, Labels, ...).
	Config *v1.ConfigFile
}

// Unpack extracts the OCI tarball ociTar into work/oci and unpacks its image
// with `umoci unpack` into work/bundle. It must run as root so file owners
// survive.
func Unpack(ctx context.Context, ociTar, work string) (*Image, error) {
	im := &Image{Layout: filepath.Join(work, "oci"), Bundle: filepath.Join(work, "bundle")}
	if err := os.MkdirAll(im.Layout, 0o755); err != nil {
		return nil, err
	}
	if out, err := exec.CommandContext(ctx, "tar", "-xf", ociTar, "-C", im.Layout).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("extract %s: %w\n%s", ociTar, err, out)
	}
	tag, err := ensureTag(im.Layout)
	if err != nil {
		return nil, err
	}
	img, err := layoutImage(im.Layout)
	if err != nil {
		return nil, err
	}
	if im.Config, err = img.ConfigFile(); err != nil {
		return nil, fmt.Errorf("read image config: %w", err)
	}
	out, err := exec.CommandContext(ctx, "umoci", "unpack", "--image", im.Layout+":"+tag, im.Bundle).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("umoci unpack: %w\n%s", err, out)
	}
	return im, nil
}

// ensureTag returns the tag of the layout's only manifest, adding the tag
// "latest" to index.json when the exporter wrote none (umoci needs one).
func ensureTag(dir string) (string, error) {
	path := filepath.Join(dir, "index.json")
	dt, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var idx map[string]any
	if err := json.Unmarshal(dt, &idx); err != nil {
		return "", fmt.Errorf("parse %s: %w", path, err)
	}
	ms, _ := idx["manifests"].([]any)
	if len(ms) != 1 {
		return "", fmt.Errorf("%s: want 1 manifest, have %d", path, len(ms))
	}
	m, _ := ms[0].(map[string]any)
	ann, _ := m["annotations"].(map[string]any)
	if tag, ok := ann[refNameAnnotation].(string); ok && tag != "" && !strings.ContainsAny(tag, "/:") {
		return tag, nil
	}
	if ann == nil {
		ann = map[string]any{}
	}
	ann[refNameAnnotation] = "latest"
	m["annotations"] = ann
	out, err := json.Marshal(idx)
	if err != nil {
		return "", err
	}
	return "latest", os.WriteFile(path, out, 0o644)
}

// Rootfs is the unpacked root filesystem.
func (im *Image) Rootfs() string { return filepath.Join(im.Bundle, "rootfs") }

// User is the image config's USER ("" when unset, which means root).
func (im *Image) User() string { return im.Config.Config.User }

// Env is the image config's environment as a map.
func (im *Image) Env() map[string]string {
	env := map[string]string{}
	for _, kv := range im.Config.Config.Env {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return env
}

// Labels are the image config's labels.
func (im *Image) Labels() map[string]string { return im.Config.Config.Labels }

// Healthcheck is the image config's HEALTHCHECK, or nil.
func (im *Image) Healthcheck() *v1.HealthConfig { return im.Config.Config.Healthcheck }

// ExposedPorts are the image config's EXPOSE entries, e.g. "8080/tcp".
func (im *Image) ExposedPorts() []string {
	var ports []string
	for p := range im.Config.Config.ExposedPorts {
		ports = append(ports, p)
	}
	return ports
}

// Exists reports whether path (absolute, as seen inside the image) exists in
// the rootfs. Symlinks in the parent folders resolve inside the rootfs; the
// last element is not followed, so a dangling symlink exists.
func (im *Image) Exists(path string) (bool, error) {
	parent, err := securejoin.SecureJoin(im.Rootfs(), filepath.Dir(path))
	if err != nil {
		return false, err
	}
	_, err = os.Lstat(filepath.Join(parent, filepath.Base(path)))
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return false, nil
	}
	return err == nil, err
}

// ReadFile reads a file of the rootfs, resolving symlinks inside it.
func (im *Image) ReadFile(path string) ([]byte, error) {
	p, err := securejoin.SecureJoin(im.Rootfs(), path)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// RunResult is what one run of the image's own command produced.
type RunResult struct {
	Stdout, Stderr string
	ExitCode       int
}

// Run runs the image with runc: the ENTRYPOINT/CMD, USER, WORKDIR and ENV
// that umoci wrote to config.json are used as they are; only the terminal
// is turned off and a network namespace (loopback only) is ensured.
func (im *Image) Run(ctx context.Context, timeout time.Duration) (*RunResult, error) {
	if err := im.prepareRuntimeConfig(); err != nil {
		return nil, err
	}
	return runBundle(ctx, im.Bundle, timeout)
}

// RunCommand runs args in the image in place of its ENTRYPOINT and CMD
// (as docker run --entrypoint does), with everything else as Run has it:
// user, workdir, environment. The image's bundle is left as it is: the
// command runs from a bundle of its own whose root is the image's rootfs.
func (im *Image) RunCommand(ctx context.Context, args []string, timeout time.Duration) (*RunResult, error) {
	if err := im.prepareRuntimeConfig(); err != nil {
		return nil, err
	}
	spec, err := im.RuntimeSpec()
	if err != nil {
		return nil, err
	}
	proc, _ := spec["process"].(map[string]any)
	root, _ := spec["root"].(map[string]any)
	if proc == nil || root == nil {
		return nil, fmt.Errorf("%s: config.json has no process or root section", im.Bundle)
	}
	proc["args"] = args
	root["path"] = im.Rootfs()
	bundle, err := os.MkdirTemp("", "wharf-e2e-bundle-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(bundle)
	out, err := json.MarshalIndent(spec, "", "\t")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(bundle, "config.json"), out, 0o644); err != nil {
		return nil, err
	}
	return runBundle(ctx, bundle, timeout)
}

// runBundle runs the OCI bundle's process with runc until it exits or
// timeout passes.
func runBundle(ctx context.Context, bundle string, timeout time.Duration) (*RunResult, error) {
	stateDir, err := os.MkdirTemp("", "wharf-e2e-runc-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stateDir)
	var rb [6]byte
	_, _ = rand.Read(rb[:])
	id := "wharf-e2e-" + hex.EncodeToString(rb[:])

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "runc", "--root", stateDir, "run", "--bundle", bundle, id)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Stdin = nil
	runErr := cmd.Run()
	_ = exec.Command("runc", "--root", stateDir, "delete", "--force", id).Run()

	res := &RunResult{Stdout: stdout.String(), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return res, fmt.Errorf("runc run: timed out after %s", timeout)
	case errors.As(runErr, &exit):
		res.ExitCode = exit.ExitCode()
	case runErr != nil:
		return res, fmt.Errorf("runc run: %w", runErr)
	}
	return res, nil
}

// Serve runs the image like Run, but as a server: while it runs, probe
// is run inside the container (runc exec: same user, network and
// filesystem) every half second until it exits 0 or timeout passes; then
// the container is killed. It returns the server's output and the last
// probe's combined output, and an error if the probe never passed.
func (im *Image) Serve(ctx context.Context, probe []string, timeout time.Duration) (*RunResult, string, error) {
	res, out, _, err := im.serve(ctx, probe, timeout, nil)
	return res, out, err
}

// Stop is what ServeThenStop measured: how long the container took to
// exit after the signal, and whether it did within the wait.
type Stop struct {
	Took    time.Duration
	Stopped bool
}

// ServeThenStop is Serve, but once the probe passes it sends signal to
// the container's init process (runc kill, as docker stop does) and waits
// up to wait for the container to exit, then kills it if it has not.
func (im *Image) ServeThenStop(ctx context.Context, probe []string, timeout time.Duration, signal string, wait time.Duration) (*RunResult, Stop, error) {
	st := &stopRequest{signal: signal, wait: wait}
	res, _, stop, err := im.serve(ctx, probe, timeout, st)
	return res, stop, err
}

type stopRequest struct {
	signal string
	wait   time.Duration
}

func (im *Image) serve(ctx context.Context, probe []string, timeout time.Duration, stopReq *stopRequest) (*RunResult, string, Stop, error) {
	var stop Stop
	if err := im.prepareRuntimeConfig(); err != nil {
		return nil, "", stop, err
	}
	stateDir, err := os.MkdirTemp("", "wharf-e2e-runc-")
	if err != nil {
		return nil, "", stop, err
	}
	defer os.RemoveAll(stateDir)
	var rb [6]byte
	_, _ = rand.Read(rb[:])
	id := "wharf-e2e-" + hex.EncodeToString(rb[:])
	ctx, cancel := context.WithTimeout(ctx, timeout+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "runc", "--root", stateDir, "run", "--bundle", im.Bundle, id)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		return nil, "", stop, fmt.Errorf("runc run: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var probeOut []byte
	probeErr := fmt.Errorf("not probed")
	deadline := time.Now().Add(timeout)
	serverGone := false
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			serverGone = true
		case <-time.After(500 * time.Millisecond):
		}
		if serverGone {
			probeErr = fmt.Errorf("the server exited before the probe passed")
			break
		}
		args := append([]string{"--root", stateDir, "exec", id}, probe...)
		probeOut, probeErr = exec.CommandContext(ctx, "runc", args...).CombinedOutput()
		if probeErr == nil {
			break
		}
	}
	if !serverGone && probeErr == nil && stopReq != nil {
		t0 := time.Now()
		if out, err := exec.Command("runc", "--root", stateDir, "kill", id, stopReq.signal).CombinedOutput(); err != nil {
			probeErr = fmt.Errorf("runc kill %s: %v\n%s", stopReq.signal, err, out)
		} else {
			select {
			case <-exited:
				stop = Stop{Took: time.Since(t0), Stopped: true}
				serverGone = true
			case <-time.After(stopReq.wait):
				stop = Stop{Took: time.Since(t0)}
			}
		}
	}
	if !serverGone {
		_ = exec.Command("runc", "--root", stateDir, "kill", id, "KILL").Run()
		<-exited
	}
	_ = exec.Command("runc", "--root", stateDir, "delete", "--force", id).Run()
	res := &RunResult{Stdout: stdout.String(), Stderr: stderr.String()}
	if probeErr != nil {
		return res, string(probeOut), stop, fmt.Errorf("probe %q: %v\n%s", probe, probeErr, probeOut)
	}
	return res, string(probeOut), stop, nil
}

// RuntimeSpec returns the process section of the bundle's config.json.
func (im *Image) RuntimeSpec() (map[string]any, error) {
	dt, err := os.ReadFile(filepath.Join(im.Bundle, "config.json"))
	if err != nil {
		return nil, err
	}
	var spec map[string]any
	return spec, json.Unmarshal(dt, &spec)
}

// prepareRuntimeConfig edits umoci's config.json in place: terminal off and
// a network namespace. Nothing else is touched.
func (im *Image) prepareRuntimeConfig() error {
	path := filepath.Join(im.Bundle, "config.json")
	spec, err := im.RuntimeSpec()
	if err != nil {
		return err
	}
	proc, ok := spec["process"].(map[string]any)
	if !ok {
		return fmt.Errorf("%s: no process section", path)
	}
	proc["terminal"] = false
	linux, _ := spec["linux"].(map[string]any)
	if linux == nil {
		linux = map[string]any{}
		spec["linux"] = linux
	}
	nss, _ := linux["namespaces"].([]any)
	hasNet := false
	for _, ns := range nss {
		if m, _ := ns.(map[string]any); m["type"] == "network" {
			hasNet = true
			delete(m, "path") // a fresh namespace, never the host's
		}
	}
	if !hasNet {
		linux["namespaces"] = append(nss, map[string]any{"type": "network"})
	}
	out, err := json.MarshalIndent(spec, "", "\t")
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}

// RuntimeUID is the uid that runc will run the process as: umoci resolves
// the image's USER against the rootfs's /etc/passwd into config.json.
func (im *Image) RuntimeUID() (int, error) {
	spec, err := im.RuntimeSpec()
	if err != nil {
		return 0, err
	}
	proc, _ := spec["process"].(map[string]any)
	user, _ := proc["user"].(map[string]any)
	uid, ok := user["uid"].(float64)
	if !ok {
		return 0, errors.New("config.json has no process.user.uid")
	}
	return int(uid), nil
}

// BlobsContaining returns the blobs of the image's OCI layout (layers,
// config, manifests) whose bytes contain needle; gzip blobs are searched
// decompressed. A layout holds only this build's image.
func (im *Image) BlobsContaining(needle []byte) ([]string, error) {
	var found []string
	err := filepath.WalkDir(filepath.Join(im.Layout, "blobs"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		dt, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(dt, needle) {
			found = append(found, filepath.Base(path))
			return nil
		}
		if len(dt) > 2 && dt[0] == 0x1f && dt[1] == 0x8b {
			zr, err := gzip.NewReader(bytes.NewReader(dt))
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if bytes.Contains(plain, needle) {
				found = append(found, filepath.Base(path)+" (decompressed)")
			}
		}
		return nil
	})
	return found, err
}
