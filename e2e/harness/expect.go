package harness

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"go.yaml.in/yaml/v3"
)

// Expect is a case's expect.yaml: what the built runner image must do and
// contain. Every field but Stdout is optional; an empty list or map checks
// nothing. See e2e/README.md.
type Expect struct {
	// Stdout is the exact output of running the image's own
	// ENTRYPOINT/CMD with no arguments; the run must also exit 0. With
	// Probe, it is the exact output of the probe instead.
	Stdout string `yaml:"stdout"`
	// Probe, if set, makes the image a server: it is started with its own
	// ENTRYPOINT/CMD, and this command runs inside the container (runc
	// exec) until it exits 0; its output is what Stdout must be.
	Probe []string `yaml:"probe"`
	// User is the uid the process runs as ("10001").
	User string `yaml:"user"`
	// FilesPresent and FilesAbsent are absolute paths in the rootfs.
	FilesPresent []string `yaml:"files_present"`
	FilesAbsent  []string `yaml:"files_absent"`
	// Env and Labels must be subsets of the image config's.
	Env    map[string]string `yaml:"env"`
	Labels map[string]string `yaml:"labels"`
	// Healthcheck is the image config's Healthcheck.Test, exactly.
	Healthcheck []string `yaml:"healthcheck"`
	// Expose lists ports that must be in the config's ExposedPorts, as
	// "8080/tcp".
	Expose []string `yaml:"expose"`
	// Secrets are build secrets, id to content: each is written to a file
	// and passed as --secret id=ID,src=FILE.
	Secrets map[string]string `yaml:"secrets"`
	// Spec is the folder of the case's wharf.yaml, relative to the case
	// folder, for a workspace member whose build context is the case
	// folder (context: ../..); empty means the case folder itself.
	Spec string `yaml:"spec"`
	// SecretAbsent are strings that must not occur in any blob of the
	// image (layers decompressed, config and its history, manifest).
	SecretAbsent []string `yaml:"secret_absent"`
	// Lockfile, a file of the case (poetry.lock, pdm.lock, Pipfile.lock),
	// is compared with the `dist NAME VERSION` lines the run prints (what
	// importlib.metadata sees in the runner): every runtime package at its
	// locked version, no dev-only package, and nothing else but Unlocked
	// (the project itself, the venv's pip).
	Lockfile string   `yaml:"lockfile"`
	Unlocked []string `yaml:"unlocked"`
	// Rebuild, if set, changes one line of the source or the build
	// arguments and builds again.
	Rebuild *Rebuild `yaml:"rebuild"`
	// BuildArgs are passed to the build (--opt build-arg:K=V).
	BuildArgs map[string]string `yaml:"build_args"`
	// Commands run in the image one after another, each in place of its
	// ENTRYPOINT and CMD (as docker run --entrypoint does), as the
	// image's user, in its workdir, with its environment; each must exit
	// 0 and print exactly Stdout.
	Commands []Command `yaml:"commands"`
	// Refused, if set, builds again with other build arguments, and the
	// build must fail with Log in its output.
	Refused *Refused `yaml:"refused"`
}

// Rebuild is a change of the source or of build arguments, what it must
// reuse and what it must run again.
type Rebuild struct {
	// Touch is a file of the case that gets a line appended; then
	// COPY . . must run again, or, with Ran set, the step Ran names.
	Touch string `yaml:"touch"`
	// BuildArgs replace those of the same name for the second build.
	BuildArgs map[string]string `yaml:"build_args"`
	// Cached is part of the dependency step, which must come from cache.
	Cached string `yaml:"cached"`
	// Ran, if set, is part of a step that must run again.
	Ran string `yaml:"ran"`
	// Stdout, if set, is the exact output of the rebuilt image's own
	// ENTRYPOINT/CMD.
	Stdout string `yaml:"stdout"`
}

// Command is one command run in the image and its expected output.
type Command struct {
	Run    []string `yaml:"run"`
	Stdout string   `yaml:"stdout"`
}

// Refused is a build that must fail: its build arguments (replacing those
// of the same name) and a part of its log.
type Refused struct {
	BuildArgs map[string]string `yaml:"build_args"`
	Log       string            `yaml:"log"`
}

// LoadExpect strictly decodes an expect.yaml: unknown keys are errors.
func LoadExpect(path string) (*Expect, error) {
	dt, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(dt))
	dec.KnownFields(true)
	var e Expect
	if err := dec.Decode(&e); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// A stdout of "" would pass for an app that printed nothing at all.
	if e.Stdout == "" {
		return nil, fmt.Errorf("%s: stdout is required and must not be empty", path)
	}
	if e.Rebuild != nil && ((e.Rebuild.Touch == "" && len(e.Rebuild.BuildArgs) == 0) || e.Rebuild.Cached == "") {
		return nil, fmt.Errorf("%s: rebuild needs touch or build_args, and cached", path)
	}
	for i, c := range e.Commands {
		if len(c.Run) == 0 || c.Stdout == "" {
			return nil, fmt.Errorf("%s: commands[%d] needs run and a stdout that is not empty", path, i)
		}
	}
	if e.Refused != nil && (len(e.Refused.BuildArgs) == 0 || e.Refused.Log == "") {
		return nil, fmt.Errorf("%s: refused needs build_args and log", path)
	}
	return &e, nil
}

// Check compares a built image and one run of it with e. It returns one
// line per mismatch, empty when everything matches.
func (e *Expect) Check(im *Image, run *RunResult) []string {
	var bad []string
	if run.ExitCode != 0 {
		bad = append(bad, fmt.Sprintf("exit status %d, want 0 (stderr: %q)", run.ExitCode, run.Stderr))
	}
	if run.Stdout != e.Stdout {
		bad = append(bad, fmt.Sprintf("stdout:\n got: %q\nwant: %q", run.Stdout, e.Stdout))
	}
	if e.User != "" {
		uid, err := im.RuntimeUID()
		switch {
		case err != nil:
			bad = append(bad, fmt.Sprintf("user: %v", err))
		case fmt.Sprint(uid) != e.User:
			bad = append(bad, fmt.Sprintf("user: process runs as uid %d (USER %q), want %s", uid, im.User(), e.User))
		}
	}
	for _, p := range e.FilesPresent {
		if ok, err := im.Exists(p); err != nil || !ok {
			bad = append(bad, fmt.Sprintf("file %s: missing, want present (err=%v)", p, err))
		}
	}
	for _, p := range e.FilesAbsent {
		if ok, err := im.Exists(p); err != nil || ok {
			bad = append(bad, fmt.Sprintf("file %s: present, want absent (err=%v)", p, err))
		}
	}
	env := im.Env()
	for _, k := range sortedKeys(e.Env) {
		if got, ok := env[k]; !ok || got != e.Env[k] {
			bad = append(bad, fmt.Sprintf("env %s=%q (set=%v), want %q", k, got, ok, e.Env[k]))
		}
	}
	labels := im.Labels()
	for _, k := range sortedKeys(e.Labels) {
		if got, ok := labels[k]; !ok || got != e.Labels[k] {
			bad = append(bad, fmt.Sprintf("label %s=%q (set=%v), want %q", k, got, ok, e.Labels[k]))
		}
	}
	if e.Healthcheck != nil {
		var got []string
		if hc := im.Healthcheck(); hc != nil {
			got = hc.Test
		}
		if !slices.Equal(got, e.Healthcheck) {
			bad = append(bad, fmt.Sprintf("healthcheck test %q, want %q", got, e.Healthcheck))
		}
	}
	ports := im.ExposedPorts()
	for _, p := range e.Expose {
		if !slices.Contains(ports, p) {
			bad = append(bad, fmt.Sprintf("exposed port %s missing (have %v)", p, ports))
		}
	}
	for _, secret := range e.SecretAbsent {
		found, err := im.BlobsContaining([]byte(secret))
		switch {
		case err != nil:
			bad = append(bad, fmt.Sprintf("secret_absent: scan blobs: %v", err))
		case len(found) > 0:
			bad = append(bad, fmt.Sprintf("secret_absent: %q found in %v", secret, found))
		}
	}
	return bad
}

// CheckLock compares the run's `dist` lines with e.Lockfile in caseDir
// (nothing when no lockfile is named). It returns one line per mismatch.
func (e *Expect) CheckLock(caseDir string, run *RunResult) []string {
	if e.Lockfile == "" {
		return nil
	}
	l, err := ReadLockfile(filepath.Join(caseDir, e.Lockfile))
	if err != nil {
		return []string{err.Error()}
	}
	installed := Dists(run.Stdout)
	if len(installed) == 0 {
		return []string{"lockfile: the run printed no `dist NAME VERSION` lines"}
	}
	return l.CheckInstalled(installed, e.Unlocked)
}

// WithArgs is base with over's values in place of those of the same name.
func WithArgs(base, over map[string]string) map[string]string {
	out := make(map[string]string, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
