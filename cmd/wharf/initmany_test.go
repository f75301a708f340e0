package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf/cmd/wharf/internal/cli"
	"github.com/wharf-dev/wharf/internal/golden"
	"github.com/wharf-dev/wharf/internal/workspace"
)

// TestInitMonorepo runs wharf init ./... on a copy of examples/monorepo
// whose specs (the services' wharf.yaml, base.yaml and platform/*.yaml)
// are removed, then wharf generate ./..., and compares what they write
// with testdata/init-monorepo: the bases and specs init proposes, the
// files they generate (which the e2e module's BuildKit lint checks), and
// for each service the diff between the committed Dockerfile and
// .dockerignore and the proposal's. The committed generated files stay,
// so init proposes beside them, as beside any Dockerfile; an empty diff
// is the same Dockerfile. testdata/init-monorepo/README.md says why each
// difference is there.
//
// It also runs the one-folder wharf init on each service of another copy:
// each Dockerfile must be the same byte for byte, so the bases change
// nothing of what the services build.
func TestInitMonorepo(t *testing.T) {
	example, err := filepath.Abs("../../examples/monorepo")
	if err != nil {
		t.Fatal(err)
	}
	want, err := filepath.Abs("../../testdata/init-monorepo")
	if err != nil {
		t.Fatal(err)
	}
	services := []string{"accounts", "billing", "gateway", "notifier", "web"}
	strip := func() string {
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS(example)); err != nil {
			t.Fatal(err)
		}
		removed := []string{"base.yaml", "platform/go.yaml", "platform/node.yaml", "platform/python.yaml"}
		for _, s := range services {
			removed = append(removed, "services/"+s+"/wharf.yaml")
		}
		for _, name := range removed {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				t.Fatal(err) // the example changed: update the list
			}
		}
		return dir
	}
	run := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := cli.Run(args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("wharf %v exited %d\nstdout:\n%s\nstderr:\n%s", args, code, &stdout, &stderr)
		}
		return stdout.String()
	}

	alone := strip()
	dir := strip()
	t.Chdir(alone)
	for _, s := range services {
		run("init", "services/"+s)
	}
	t.Chdir(dir)
	run("init", "./...")
	run("generate", "./...")

	for _, name := range []string{"wharf-go.yaml", "wharf-python.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join(want, name), data)
	}
	if _, err := os.Stat("wharf-node.yaml"); err == nil {
		t.Error("init wrote a base for the only node service")
	}
	for _, s := range services {
		t.Run(s, func(t *testing.T) {
			folder := filepath.Join("services", s)
			read := func(root, name string) []byte {
				t.Helper()
				data, err := os.ReadFile(filepath.Join(root, folder, name))
				if err != nil {
					t.Fatal(err)
				}
				return data
			}
			for _, name := range []string{"wharf.yaml", "Dockerfile.wharf", "Dockerfile.wharf.dockerignore"} {
				golden.Check(t, filepath.Join(want, folder, name), read(dir, name))
			}
			if got, single := read(dir, "Dockerfile.wharf"), read(alone, "Dockerfile.wharf"); !bytes.Equal(got, single) {
				t.Errorf("the Dockerfile init ./... proposes differs from the one-folder init's:\n%s", workspace.Diff("Dockerfile.wharf", single, got))
			}
			diff := append(workspace.Diff("Dockerfile", read(example, "Dockerfile"), read(dir, "Dockerfile.wharf")),
				workspace.Diff(".dockerignore", read(example, ".dockerignore"), read(dir, "Dockerfile.wharf.dockerignore"))...)
			golden.Check(t, filepath.Join(want, folder, "committed.diff"), diff)
		})
	}
}
