package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wharf-dev/wharf/e2e/harness"
	"github.com/wharf-dev/wharf/e2e/lint"
)

// exampleRuns are the examples/ specs, each built from its committed
// wharf.yaml with the wharf CLI and run. A server is probed from inside its
// container (the probe's output must contain want); a command's stdout
// must equal want.
var exampleRuns = []struct {
	// root is the folder under ../examples copied whole (a monorepo's
	// services extend files beside them); dir is the spec's folder in it.
	root, dir string
	// probe, if set, runs in the serving container until it exits 0.
	probe []string
	want  string
	// absent are paths that must not be in the runner (build tools).
	absent []string
	// knownBug, if set, is a line of the build log of a known wharf bug:
	// a build that fails with it skips the rest (with the bug said); one
	// that passes is checked as usual, so a fix shows up as a pass.
	knownBug string
}{
	{root: "go", dir: ".", probe: []string{"/usr/local/bin/server", "-healthcheck"}},
	{root: "python", dir: ".", probe: pyGet("http://127.0.0.1:8000/hash?text=wharf"), want: `"fnv1a32": "`},
	{root: "node", dir: ".", probe: nodeGet("http://127.0.0.1:3000/healthz"), want: `"status":"ok"`},
	// A dependency-free Rust server: its own healthcheck binary probes it.
	{root: "rust", dir: ".", probe: []string{"/usr/local/bin/healthcheck"},
		absent: []string{"/usr/local/cargo", "/usr/bin/cargo", "/usr/bin/rustc", "/usr/bin/cc", "/bin/sh", "/src"}},
	// A dependency-free Java server, built by Maven offline, on a jlink
	// runtime (the jdk.httpserver module, which jdeps must find) on
	// debian:trixie-slim; bash's /dev/tcp is the only client there.
	{root: "java", dir: ".", probe: []string{"bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3"}, want: "hello from java\n",
		absent: []string{"/opt/java/bin/javac", "/opt/java/bin/jlink", "/usr/bin/java", "/usr/bin/mvn", "/usr/share/maven", "/root/.m2", "/src"}},
	{root: "monorepo", dir: "services/accounts", probe: pyGet("http://127.0.0.1:8000/"), want: "accounts\n"},
	// billing has an empty requirements.txt: its own package (project: .)
	// is the one wheel.
	{root: "monorepo", dir: "services/billing", want: "billing in EUR\n"},
	{root: "monorepo", dir: "services/gateway", probe: []string{"curl", "-fsS", "http://127.0.0.1:8080/"}, want: "gateway\n"},
	{root: "monorepo", dir: "services/notifier", want: "notifier\n"},
	// web has no dependencies: the prune step keeps an empty node_modules
	// for the runner's COPY.
	{root: "monorepo", dir: "services/web", probe: nodeGet("http://127.0.0.1:3000/"), want: "web\n"},
}

func pyGet(url string) []string {
	return []string{"python3", "-c", "import urllib.request; print(urllib.request.urlopen('" + url + "', timeout=5).read().decode(), end='')"}
}

func nodeGet(url string) []string {
	return []string{"node", "-e", "fetch('" + url + "').then(r => { if (!r.ok) process.exit(1); return r.text() }).then(t => process.stdout.write(t), () => process.exit(1))"}
}

// pythonNotBuilt maps the python images examples/ pin that no look-alike
// exists for to the one the test builds with instead: Debian has no Python
// 3.12 (bookworm has 3.11, trixie 3.13) and PyPI and python.org are out of
// reach, so examples' python:3.12-slim is the one edit.
var pythonNotBuilt = map[string]string{"python:3.12-slim": "python:3.13-slim"}

// TestExamples generates, builds and runs every example of ../examples
// with the images its spec names (see pythonNotBuilt for the one
// exception).
func TestExamples(t *testing.T) {
	e := requireE2E(t)
	t.Parallel() // with the other real-build tests; run.sh sets -parallel
	if e.wharfErr != nil {
		t.Fatalf("wharf CLI unavailable: %v", e.wharfErr)
	}
	for _, ex := range exampleRuns {
		name := strings.TrimPrefix(filepath.Join(ex.root, ex.dir), "monorepo/services/")
		t.Run(strings.ReplaceAll(name, "/", "-"), func(t *testing.T) {
			t.Parallel()
			root := filepath.Join(t.TempDir(), ex.root)
			if out, err := exec.Command("cp", "-a", filepath.Join("..", "examples", ex.root), root).CombinedOutput(); err != nil {
				t.Fatalf("copy: %v\n%s", err, out)
			}
			if edited := editSpecs(t, root, pythonNotBuilt); len(edited) > 0 {
				t.Logf("edited for want of a look-alike: %s", strings.Join(edited, ", "))
			}
			dir := filepath.Join(root, ex.dir)
			cmd := exec.Command(e.wharf, "generate", "--force", dir)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("wharf generate: %v\n%s", err, out)
			}
			dfPath := filepath.Join(dir, "Dockerfile")
			df, err := os.ReadFile(dfPath)
			if err != nil {
				t.Fatal(err)
			}
			// What the build uses is the committed Dockerfile (with the same
			// image names put in).
			committed, err := os.ReadFile(filepath.Join("..", "examples", ex.root, ex.dir, "Dockerfile"))
			if err != nil {
				t.Fatal(err)
			}
			want := string(committed)
			for old, repl := range pythonNotBuilt {
				want = strings.ReplaceAll(want, old, repl)
			}
			if want != string(df) {
				t.Errorf("generated Dockerfile differs from the committed one:\n%s", df)
			}
			res, err := lint.Dockerfile(context.Background(), dfPath, df)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range res.Warnings {
				t.Errorf("lint: %s (%s)", w, w.URL)
			}
			if ex.knownBug != "" {
				log, err := e.daemon.Build(context.Background(), e.tools, harness.BuildRequest{
					ContextDir: dir, DockerfileDir: dir, Target: "runner",
					BuildArgs: map[string]string{harness.CheckErrorArg: "error=true"},
					OutputTar: filepath.Join(t.TempDir(), "probe.tar"),
				})
				if err != nil && strings.Contains(log, ex.knownBug) {
					t.Skipf("known wharf bug, the build fails with %q", ex.knownBug)
				}
			}
			b := buildTarget(t, dir, "runner", nil, nil)
			// Every example runs as wharf's default user.
			if uid, err := b.RuntimeUID(); err != nil || uid != 10001 {
				t.Errorf("runs as uid %d (err %v), want 10001", uid, err)
			}
			for _, p := range ex.absent {
				if ok, err := b.Exists(p); err != nil || ok {
					t.Errorf("%s is in the runner (err %v)", p, err)
				}
			}
			if ex.probe == nil {
				r := run(t, b)
				if r.ExitCode != 0 || r.Stdout != ex.want {
					t.Errorf("run: exit %d, stdout %q, want 0 and %q (stderr %q)", r.ExitCode, r.Stdout, ex.want, r.Stderr)
				}
				return
			}
			r := serve(t, b, ex.probe)
			if !strings.Contains(r.Stdout, ex.want) {
				t.Errorf("probe output %q does not contain %q", r.Stdout, ex.want)
			}
		})
	}
}

// editSpecs replaces, in every .yaml file under root, each key of refs by
// its value, and returns "file: old -> new" for each replacement.
func editSpecs(t *testing.T, root string, refs map[string]string) []string {
	t.Helper()
	var edited []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s := string(b)
		for old, repl := range refs {
			if strings.Contains(s, old) {
				s = strings.ReplaceAll(s, old, repl)
				rel, _ := filepath.Rel(root, p)
				edited = append(edited, rel+": "+old+" -> "+repl)
			}
		}
		return os.WriteFile(p, []byte(s), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return edited
}
