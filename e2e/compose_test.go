package e2e

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/wharf-dev/wharf"
	"github.com/wharf-dev/wharf/internal/golden"
	"github.com/wharf-dev/wharf/spec"
)

// composeFile is a spec's generated compose file.
type composeFile struct {
	spec *wharf.Result
	file wharf.File
	// abs is where the file is (or would be) on disk.
	abs string
}

// composeFiles generates every golden and example spec and returns the
// compose files of those that name one.
func composeFiles(t *testing.T) []composeFile {
	t.Helper()
	specs := golden.Specs("..")
	examples, _ := filepath.Glob("../examples/*/wharf.yaml")
	specs = append(specs, examples...)
	var out []composeFile
	for _, p := range specs {
		r, err := wharf.Generate(p, wharf.Options{NoLock: true})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if r.Spec.Compose == "" {
			continue
		}
		for _, f := range r.Files {
			if f.Path == r.Spec.Compose {
				abs, err := filepath.Abs(filepath.Join(filepath.Dir(p), filepath.FromSlash(f.Path)))
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, composeFile{spec: r, file: f, abs: abs})
			}
		}
	}
	return out
}

// loadCompose loads and validates data as docker compose does: the
// compose-spec JSON Schema, then the loader's consistency checks.
func loadCompose(abs string, data []byte) (*types.Project, error) {
	return loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  filepath.Dir(abs),
		ConfigFiles: []types.ConfigFile{{Filename: abs, Content: data}},
		Environment: types.Mapping{},
	}, func(o *loader.Options) { o.SetProjectName("wharf-e2e", true) })
}

// TestComposeValid loads every compose file wharf generates for the golden
// and example specs with compose-go (what docker compose itself uses, its
// schema included) and checks the service against the spec: built from
// the Dockerfile's runner stage in the spec's context, with its ports,
// environment and healthcheck, and watch rules inside the context.
func TestComposeValid(t *testing.T) {
	files := composeFiles(t)
	langs := map[string]bool{}
	for _, f := range files {
		langs[f.spec.Spec.Language] = true
	}
	for _, l := range spec.Languages() {
		if !langs[l.Name()] {
			t.Errorf("no golden spec of language %s writes a compose file", l.Name())
		}
	}
	for _, cf := range files {
		s := cf.spec.Spec
		t.Run(filepath.ToSlash(s.File), func(t *testing.T) {
			p, err := loadCompose(cf.abs, cf.file.Data)
			if err != nil {
				t.Fatalf("compose-go refuses %s: %v\n%s", cf.file.Path, err, cf.file.Data)
			}
			svc, ok := p.Services[s.Name]
			if !ok || len(p.Services) != 1 {
				t.Fatalf("services = %v, want one named %s", slices.Sorted(maps.Keys(p.Services)), s.Name)
			}
			if svc.Build == nil {
				t.Fatal("no build section")
			}
			specDir, _ := filepath.Abs(filepath.Dir(s.File))
			wantCtx := filepath.Join(specDir, filepath.FromSlash(s.Context))
			if svc.Build.Context != wantCtx {
				t.Errorf("build.context = %s, want the spec's context %s", svc.Build.Context, wantCtx)
			}
			wantDockerfile := filepath.Join(specDir, filepath.FromSlash(s.Output))
			if got := filepath.Join(svc.Build.Context, svc.Build.Dockerfile); got != wantDockerfile {
				t.Errorf("build.dockerfile is %s, want the spec's Dockerfile %s", got, wantDockerfile)
			}
			if svc.Build.Target != "runner" {
				t.Errorf("build.target = %q, want runner", svc.Build.Target)
			}
			if len(svc.Ports) != len(s.Runtime.Expose) {
				t.Errorf("%d ports, want %d (runtime.expose)", len(svc.Ports), len(s.Runtime.Expose))
			}
			for i, port := range svc.Ports {
				e := s.Runtime.Expose[i]
				if port.Target != uint32(e.Number) || port.Published != strconv.Itoa(e.Number) || port.Protocol != e.Protocol {
					t.Errorf("port %d = %+v, want %d/%s published on %d", i, port, e.Number, e.Protocol, e.Number)
				}
			}
			for k, v := range s.Runtime.Env {
				if got := svc.Environment[k]; got == nil || *got != v {
					t.Errorf("environment %s = %v, want %q", k, got, v)
				}
			}
			if h := s.Runtime.Healthcheck; h != nil {
				want := append(types.HealthCheckTest{"CMD"}, h.Cmd...)
				if svc.HealthCheck == nil || !slices.Equal(svc.HealthCheck.Test, want) {
					t.Errorf("healthcheck = %+v, want test %v", svc.HealthCheck, want)
				}
			}
			if svc.Develop == nil || len(svc.Develop.Watch) == 0 {
				t.Fatal("no develop.watch rules")
			}
			for _, w := range svc.Develop.Watch {
				if w.Path != wantCtx && !strings.HasPrefix(w.Path, wantCtx+string(filepath.Separator)) {
					t.Errorf("watch path %s is outside the build context %s", w.Path, wantCtx)
				}
				switch w.Action {
				case types.WatchActionSync, types.WatchActionSyncRestart:
					if !path.IsAbs(w.Target) || !strings.HasPrefix(w.Target+"/", path.Clean(s.Runtime.Workdir)+"/") {
						t.Errorf("sync target %q is not under the runner's workdir %s", w.Target, s.Runtime.Workdir)
					}
				case types.WatchActionRebuild:
					if w.Target != "" {
						t.Errorf("rebuild of %s has target %q", w.Path, w.Target)
					}
				default:
					t.Errorf("watch action %q", w.Action)
				}
			}
		})
	}
}

// compose-go does refuse what docker compose refuses: the test above can
// fail.
func TestComposeValidCanFail(t *testing.T) {
	files := composeFiles(t)
	if len(files) == 0 {
		t.Fatal("no compose files")
	}
	cf := files[0]
	for name, edit := range map[string][2]string{
		"unknown action":      {"action: rebuild", "action: reload"},
		"unknown key":         {"target: runner", "target: runner\n      tagret: x"},
		"sync without target": {"\n          target: /app\n", "\n"},
	} {
		data := cf.file.Data
		if !bytes.Contains(data, []byte(edit[0])) {
			// Not every file has every shape; find one that does.
			for _, other := range files {
				if bytes.Contains(other.file.Data, []byte(edit[0])) {
					cf, data = other, other.file.Data
					break
				}
			}
		}
		if !bytes.Contains(data, []byte(edit[0])) {
			t.Fatalf("%s: no compose file contains %q", name, edit[0])
		}
		broken := bytes.Replace(data, []byte(edit[0]), []byte(edit[1]), 1)
		if _, err := loadCompose(cf.abs, broken); err == nil {
			t.Errorf("%s: compose-go accepts\n%s", name, broken)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// TestComposeGoldensMatch: the committed compose files are what wharf
// generates (the main module's golden test checks it too; this keeps the
// two modules' views in step).
func TestComposeGoldensMatch(t *testing.T) {
	for _, cf := range composeFiles(t) {
		data, err := os.ReadFile(cf.abs)
		if err != nil {
			t.Errorf("%s: %v", cf.abs, err)
			continue
		}
		if !bytes.Equal(data, cf.file.Data) {
			t.Errorf("%s differs from what wharf generates; run go test ./... -update in the main module", cf.abs)
		}
	}
}
