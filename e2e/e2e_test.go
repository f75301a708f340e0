package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wharf-dev/wharf/e2e/harness"
	"github.com/wharf-dev/wharf/e2e/lint"
)

// e2eVar gates the real-build tests: they need root, runc, umoci,
// debootstrap and minutes, so plain `go test ./...` only lints.
const e2eVar = "WHARF_E2E"

// wharfBinVar names a prebuilt wharf CLI to use instead of building
// ../cmd/wharf from the working tree.
const wharfBinVar = "WHARF_E2E_WHARF"

// logDirVar names a folder that receives every build's full log, named
// after the test, whether the build passed or not.
const logDirVar = "WHARF_E2E_LOGDIR"

// snapshotterVar picks buildkitd's snapshotter: "native" or "overlayfs".
// Unset, overlayfs is used where an overlay mount works (6 minutes for a
// cold run here, against 16 with native, which copies the parent
// filesystem for every step), native elsewhere.
const snapshotterVar = "WHARF_E2E_SNAPSHOTTER"

// cacheVar names the folder that keeps the built tools and base images
// between runs; unset, it is wharf-e2e in the user's cache folder, so runs
// from fresh clones on the same machine share it.
const cacheVar = "WHARF_E2E_CACHE"

// indexUser and indexPassword are the login of the loopback index's
// private part: cases reach it with a netrc build secret holding them, and
// check that the password is in no blob of the image.
const indexUser, indexPassword = "wharf", "WHARF-CANARY-7f3a9c"

// indexHost in a case's wharf.yaml is replaced by the loopback index's
// host:port before generating (the port is new every run).
const indexHost = "pypi.e2e.invalid"

// env is the running e2e environment; nil unless WHARF_E2E=1.
var env *e2eEnv

type e2eEnv struct {
	tools    *harness.Tools
	registry *harness.Registry
	index    *harness.PyIndex
	daemon   *harness.Daemon
	// snapshotter is buildkitd's, for tests that start daemons of their own.
	snapshotter string
	// wharf is the built wharf CLI, or "" with wharfErr saying why not.
	wharf    string
	wharfErr error
	tmp      string
}

func TestMain(m *testing.M) {
	if os.Getenv(e2eVar) != "1" {
		os.Exit(m.Run())
	}
	e, err := setup()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e setup: %v\n", err)
		if e != nil {
			e.close()
		}
		os.Exit(1)
	}
	env = e
	code := m.Run()
	e.close()
	os.Exit(code)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "e2e: "+format+"\n", args...)
}

// setup builds the tools and base images (or takes them from .cache/),
// starts the loopback registry and buildkitd, and builds the wharf CLI.
func setup() (*e2eEnv, error) {
	start := time.Now()
	ctx := context.Background()
	if os.Geteuid() != 0 {
		return nil, fmt.Errorf("%s=1 needs root (buildkitd, umoci unpack and runc run as root)", e2eVar)
	}
	for _, bin := range []string{"runc", "umoci", "debootstrap", "unshare", "chroot", "tar", "gzip"} {
		if _, err := exec.LookPath(bin); err != nil {
			return nil, fmt.Errorf("%s not found: apt-get install -y runc umoci debootstrap", bin)
		}
	}
	cache, err := cacheDir()
	if err != nil {
		return nil, err
	}
	e := &e2eEnv{}
	if e.tmp, err = os.MkdirTemp("", "wharf-e2e-"); err != nil {
		return nil, err
	}

	var wg sync.WaitGroup
	var toolsErr, imagesErr error
	var layouts map[string]string
	wg.Add(3)
	go func() {
		defer wg.Done()
		t0 := time.Now()
		e.tools, toolsErr = harness.BuildTools(ctx, ".", cache, logf)
		logf("tools ready in %s", time.Since(t0).Round(time.Second))
	}()
	go func() {
		defer wg.Done()
		t0 := time.Now()
		mirror, security := harness.DebianMirrors()
		b := &harness.ImageBuilder{CacheDir: cache, Mirror: mirror, SecurityMirror: security, ExtraCAs: harness.HostCAs(), Log: logf}
		layouts, imagesErr = b.Prepare(ctx, harness.BaseImages)
		logf("base images ready in %s (mirror %s)", time.Since(t0).Round(time.Second), mirror)
	}()
	go func() {
		defer wg.Done()
		t0 := time.Now()
		if bin := os.Getenv(wharfBinVar); bin != "" {
			e.wharf = bin
			logf("wharf CLI from %s=%s", wharfBinVar, bin)
			return
		}
		e.wharf, e.wharfErr = buildWharf(ctx, e.tmp)
		if e.wharfErr != nil {
			logf("wharf CLI not built: %v", e.wharfErr)
		} else {
			logf("wharf CLI built in %s", time.Since(t0).Round(time.Second))
		}
	}()
	wg.Wait()
	if toolsErr != nil {
		return e, toolsErr
	}
	if imagesErr != nil {
		return e, imagesErr
	}

	if e.registry, err = harness.StartRegistry(filepath.Join(e.tmp, "registry")); err != nil {
		return e, err
	}
	if e.index, err = harness.StartPyIndex(layouts[harness.Wheelhouse], indexUser, indexPassword); err != nil {
		return e, err
	}
	logf("python index at %s: the PyPI stand-in serves %s", e.index.Addr, strings.Join(e.index.PublicProjects(), " "))
	t0 := time.Now()
	if err := harness.Push(ctx, e.registry.Addr, harness.BaseImages, layouts, e.index.URL("pypi")); err != nil {
		return e, err
	}
	logf("pushed base images to %s in %s", e.registry.Addr, time.Since(t0).Round(time.Second))
	snapshotter := os.Getenv(snapshotterVar)
	if snapshotter == "" {
		snapshotter = "native"
		if harness.OverlaySupported(e.tmp) {
			snapshotter = "overlayfs"
		}
	}
	e.snapshotter = snapshotter
	if e.daemon, err = harness.StartDaemon(ctx, e.tools, e.registry.Addr, snapshotter); err != nil {
		return e, err
	}
	logf("buildkitd (%s snapshotter) up at %s; setup took %s", snapshotter, e.daemon.Addr, time.Since(start).Round(time.Second))
	return e, nil
}

func (e *e2eEnv) close() {
	if e.daemon != nil {
		if err := e.daemon.Close(); err != nil {
			logf("stop buildkitd: %v", err)
		}
	}
	if e.registry != nil {
		_ = e.registry.Close()
	}
	if e.index != nil {
		_ = e.index.Close()
	}
	if e.tmp != "" {
		_ = os.RemoveAll(e.tmp)
	}
}

// buildWharf builds the parent module's CLI once.
func buildWharf(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "wharf")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/wharf")
	cmd.Dir = ".."
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/wharf: %w\n%s", err, b)
	}
	return out, nil
}

// hosts are the names every build resolves: indexHost is the loopback
// index on port 80, for lockfiles that record their index's URL.
func (e *e2eEnv) hosts() map[string]string {
	return map[string]string{indexHost: e.index.HostIP}
}

// requireE2E skips t unless the real-build environment is up.
func requireE2E(t *testing.T) *e2eEnv {
	t.Helper()
	if env == nil {
		t.Skipf("real BuildKit builds are off: set %s=1 (as root; see e2e/README.md or e2e/run.sh)", e2eVar)
	}
	return env
}

// built is one successful build, with what explains it when a later check
// fails.
type built struct {
	*harness.Image
	Dockerfile string
	Log        string
}

// buildDockerfile builds the runner target of the Dockerfile in dir (also
// the context), with every check warning an error, and unpacks the image.
// If the test fails afterwards, the Dockerfile and full build log are
// printed.
func buildDockerfile(t *testing.T, dir string, buildArgs map[string]string) *built {
	t.Helper()
	return buildTarget(t, dir, "runner", buildArgs, nil)
}

// buildTarget is buildDockerfile for any target, with build secrets (id to
// content; each is written to a file and passed with --secret).
func buildTarget(t *testing.T, dir, target string, buildArgs, secrets map[string]string) *built {
	t.Helper()
	return buildTargetIn(t, dir, dir, target, buildArgs, secrets)
}

// buildTargetIn is buildTarget with the Dockerfile (and its
// Dockerfile.dockerignore) in dfDir, which may be below the context dir.
func buildTargetIn(t *testing.T, dir, dfDir, target string, buildArgs, secrets map[string]string) *built {
	t.Helper()
	e := requireE2E(t)
	df, err := os.ReadFile(filepath.Join(dfDir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	secretFiles, err := writeSecrets(work, secrets)
	if err != nil {
		t.Fatal(err)
	}
	args := map[string]string{harness.CheckErrorArg: "error=true"}
	for k, v := range buildArgs {
		args[k] = v
	}
	b := &built{Dockerfile: string(df)}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("Dockerfile (%s):\n%s", dfDir, b.Dockerfile)
			t.Logf("build log:\n%s", b.Log)
		}
	})
	start := time.Now()
	name := "wharf-e2e/" + strings.ToLower(filepath.Base(dir)) + ":latest"
	b.Log, err = e.daemon.Build(context.Background(), e.tools, harness.BuildRequest{
		ContextDir: dir, DockerfileDir: dfDir, Target: target,
		BuildArgs: args, OutputTar: filepath.Join(work, "image.tar"), Name: name,
		Secrets: secretFiles, Hosts: e.hosts(),
	})
	if logDir := os.Getenv(logDirVar); logDir != "" {
		logName := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + ".log"
		if werr := os.WriteFile(filepath.Join(logDir, logName), []byte(b.Log), 0o644); werr != nil {
			t.Errorf("keep build log: %v", werr)
		}
	}
	if err != nil {
		t.Fatalf("build failed after %s: %v", time.Since(start).Round(time.Second), err)
	}
	t.Logf("built %s in %s", filepath.Base(dir), time.Since(start).Round(time.Second))
	if b.Image, err = harness.Unpack(context.Background(), filepath.Join(work, "image.tar"), work); err != nil {
		t.Fatal(err)
	}
	return b
}

// buildFails builds the runner of the Dockerfile in dfDir from the context
// dir like buildTargetIn, for a build that should fail: it returns the
// build's log and error instead of failing t.
func buildFails(t *testing.T, dir, dfDir string, buildArgs, secrets map[string]string) (string, error) {
	t.Helper()
	e := requireE2E(t)
	work := t.TempDir()
	secretFiles, err := writeSecrets(work, secrets)
	if err != nil {
		t.Fatal(err)
	}
	args := harness.WithArgs(map[string]string{harness.CheckErrorArg: "error=true"}, buildArgs)
	return e.daemon.Build(context.Background(), e.tools, harness.BuildRequest{
		ContextDir: dir, DockerfileDir: dfDir, Target: "runner",
		BuildArgs: args, OutputTar: filepath.Join(work, "image.tar"), Name: "wharf-e2e/refused:latest",
		Secrets: secretFiles, Hosts: e.hosts(),
	})
}

// writeSecrets writes each secret's content to a file in dir and returns
// id to path.
func writeSecrets(dir string, secrets map[string]string) (map[string]string, error) {
	files := map[string]string{}
	for id, content := range secrets {
		path := filepath.Join(dir, "secret-"+id)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			return nil, err
		}
		files[id] = path
	}
	return files, nil
}

// buildCaseAt copies the case folder dir (wharf.yaml + app), generates the
// Dockerfile of the spec in its folder specDir ("" for the case folder) with
// the wharf CLI, the copied spec passed through edit first when edit is not
// nil, requires it to pass BuildKit's lint, and builds and unpacks its runner
// image with the build secrets (id to content) given.
func buildCaseAt(t *testing.T, dir, specDir string, secrets map[string]string, edit func(spec string) string) *built {
	t.Helper()
	ctxDir := generateCaseAt(t, dir, specDir, edit)
	return buildTargetIn(t, ctxDir, filepath.Join(ctxDir, specDir), "runner", nil, secrets)
}

// generateCase copies the case folder dir to a temp folder, generates its
// Dockerfile there with the wharf CLI and requires it to pass BuildKit's
// lint. It returns the copy.
func generateCase(t *testing.T, dir string) string {
	t.Helper()
	return generateCaseEdited(t, dir, nil)
}

// generateCaseEdited is generateCase with the copied wharf.yaml passed
// through edit first, when edit is not nil.
func generateCaseEdited(t *testing.T, dir string, edit func(spec string) string) string {
	t.Helper()
	return generateCaseAt(t, dir, "", edit)
}

// generateCaseAt is generateCaseEdited for the spec in the case's folder
// specDir ("" for the case folder); the whole case is copied, since it is
// the build context.
func generateCaseAt(t *testing.T, dir, specDir string, edit func(spec string) string) string {
	t.Helper()
	e := requireE2E(t)
	if e.wharfErr != nil {
		t.Fatalf("wharf CLI unavailable: %v", e.wharfErr)
	}
	ctxDir := filepath.Join(t.TempDir(), filepath.Base(dir))
	if out, err := exec.Command("cp", "-a", dir, ctxDir).CombinedOutput(); err != nil {
		t.Fatalf("copy case: %v\n%s", err, out)
	}
	// expect.yaml is the test's, not the app's: out of the build context
	// (it may hold a secret_absent canary that COPY . . would bake in).
	if err := os.Remove(filepath.Join(ctxDir, "expect.yaml")); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	specPath := filepath.Join(ctxDir, specDir, "wharf.yaml")
	if b, err := os.ReadFile(specPath); err == nil {
		spec := strings.ReplaceAll(string(b), indexHost, e.index.Addr)
		if edit != nil {
			spec = edit(spec)
		}
		if err := os.WriteFile(specPath, []byte(spec), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if edit != nil || !os.IsNotExist(err) {
		t.Fatal(err)
	}
	cmd := exec.Command(e.wharf, "generate", filepath.Dir(specPath))
	cmd.Dir = ctxDir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("wharf generate %s: %v\n%s", dir, err, out)
	}
	dfPath := filepath.Join(ctxDir, specDir, "Dockerfile")
	df, err := os.ReadFile(dfPath)
	if err != nil {
		t.Fatalf("wharf generate wrote no Dockerfile: %v\n%s", err, out)
	}
	res, err := lint.Dockerfile(context.Background(), dfPath, df)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("lint: %s (%s)", w, w.URL)
	}
	return ctxDir
}

// run runs b's image and fails t if runc could not run it at all.
func run(t *testing.T, b *built) *harness.RunResult {
	t.Helper()
	res, err := b.Run(context.Background(), 2*time.Minute)
	if err != nil {
		t.Fatalf("run: %v\nstdout:\n%s\nstderr:\n%s", err, res.Stdout, res.Stderr)
	}
	return res
}

// serve runs b's image as a server, runs probe in it until it passes, and
// returns the probe's output as Stdout (exit status 0), failing t if the
// probe never passed.
func serve(t *testing.T, b *built, probe []string) *harness.RunResult {
	t.Helper()
	res, out, err := b.Serve(context.Background(), probe, 90*time.Second)
	if err != nil {
		t.Fatalf("serve: %v\nserver stdout:\n%s\nserver stderr:\n%s", err, res.Stdout, res.Stderr)
	}
	return &harness.RunResult{Stdout: out}
}

// TestCases builds every e2e/cases/<name>/ with the wharf CLI and checks
// the runner image against the case's expect.yaml.
func TestCases(t *testing.T) {
	requireE2E(t)
	t.Parallel() // with the other real-build tests; run.sh sets -parallel
	dirs, err := filepath.Glob("cases/*/expect.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no cases/*/expect.yaml found")
	}
	for _, expect := range dirs {
		dir := filepath.Dir(expect)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			exp, err := harness.LoadExpect(filepath.Join(dir, "expect.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				t.Fatal(err)
			}
			gen := generateCaseAt(t, abs, exp.Spec, nil)
			specDir := filepath.Join(gen, exp.Spec)
			b := buildTargetIn(t, gen, specDir, "runner", exp.BuildArgs, exp.Secrets)
			if spec, _ := os.ReadFile(filepath.Join(abs, exp.Spec, "wharf.yaml")); strings.Contains(string(spec), indexHost) {
				// The build got its wheels from the private index, logged in.
				if !slices.ContainsFunc(env.index.Requests(), func(r string) bool {
					return strings.HasPrefix(r, "200 GET /private/files/") && strings.HasSuffix(r, " "+indexUser)
				}) {
					t.Errorf("no wheel was fetched from the private index with its login; requests: %q", env.index.Requests())
				}
			}
			var res *harness.RunResult
			if exp.Probe != nil {
				res = serve(t, b, exp.Probe)
			} else {
				res = run(t, b)
			}
			for _, msg := range exp.Check(b.Image, res) {
				t.Error(msg)
			}
			for _, c := range exp.Commands {
				cr, err := b.RunCommand(context.Background(), c.Run, 2*time.Minute)
				switch {
				case err != nil:
					t.Errorf("command %q: %v", c.Run, err)
				case cr.ExitCode != 0 || cr.Stdout != c.Stdout:
					t.Errorf("command %q: exit status %d, stdout:\n got: %q\nwant: %q (stderr: %q)", c.Run, cr.ExitCode, cr.Stdout, c.Stdout, cr.Stderr)
				}
			}
			logSize(t, b)
			for _, msg := range exp.CheckLock(abs, res) {
				t.Error(msg)
			}
			if rb := exp.Rebuild; rb != nil {
				change := fmt.Sprintf("the build arguments %v", rb.BuildArgs)
				if rb.Touch != "" {
					change = "a change to " + rb.Touch
					touch(t, filepath.Join(gen, rb.Touch), "\n# touched by TestCases\n")
				}
				again := buildTargetIn(t, gen, specDir, "runner", harness.WithArgs(exp.BuildArgs, rb.BuildArgs), exp.Secrets)
				st := parseSteps(again.Log)
				if !st.cached(rb.Cached) {
					t.Errorf("rebuild after %s: the %q step was not CACHED (ran: %q)", change, rb.Cached, st.ran())
				}
				if rb.Touch != "" && rb.Ran == "" && !slices.ContainsFunc(st.ran(), func(s string) bool { return strings.Contains(s, "COPY . .") }) {
					t.Errorf("rebuild after %s: COPY . . was CACHED, the change did not reach the build (ran: %q)", change, st.ran())
				}
				if rb.Ran != "" && !slices.ContainsFunc(st.ran(), func(s string) bool { return strings.Contains(s, rb.Ran) }) {
					t.Errorf("rebuild after %s: no step with %q ran (ran: %q)", change, rb.Ran, st.ran())
				}
				if rb.Stdout != "" {
					if r := run(t, again); r.ExitCode != 0 || r.Stdout != rb.Stdout {
						t.Errorf("rebuilt image: exit status %d, stdout:\n got: %q\nwant: %q", r.ExitCode, r.Stdout, rb.Stdout)
					}
				}
				t.Logf("rebuild after %s: %s cached, ran %q", change, st.count(), st.ran())
			}
			if rf := exp.Refused; rf != nil {
				log, err := buildFails(t, gen, specDir, harness.WithArgs(exp.BuildArgs, rf.BuildArgs), exp.Secrets)
				switch {
				case err == nil:
					t.Errorf("build with %v passed, want it refused with %q\nlog:\n%s", rf.BuildArgs, rf.Log, log)
				case !strings.Contains(log, rf.Log):
					t.Errorf("build with %v failed (%v), but its log lacks %q:\n%s", rf.BuildArgs, err, rf.Log, log)
				default:
					t.Logf("build with %v refused: %v", rf.BuildArgs, err)
				}
			}
		})
	}
}

// logSize logs the size of a built runner image: its layers as a
// registry stores them (gzip) and its unpacked files.
func logSize(t *testing.T, b *built) {
	t.Helper()
	layers, compressed, err := layerSizes(b.Layout)
	if err != nil {
		t.Error(err)
		return
	}
	unpacked, err := treeSize(b.Rootfs())
	if err != nil {
		t.Error(err)
		return
	}
	t.Logf("runner image: %d layers, %s compressed, %s unpacked", layers, mb(compressed), mb(unpacked))
}

// cacheDir returns the folder for tools and images kept between runs.
func cacheDir() (string, error) {
	if dir := os.Getenv(cacheVar); dir != "" {
		return filepath.Abs(dir)
	}
	user, err := os.UserCacheDir()
	if err != nil {
		return filepath.Abs(".cache")
	}
	return filepath.Join(user, "wharf-e2e"), nil
}
