package e2e

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wharf-dev/wharf/e2e/lint"
	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/lang/node"
	"github.com/wharf-dev/wharf/lang/python"
	"github.com/wharf-dev/wharf/spec"
)

// TestSecretWarningsCoverBuildKit puts each name in build.args, build.env
// and runtime.env. Whenever BuildKit's SecretsUsedInArgOrEnv check flags the
// generated Dockerfile, wharf must have warned about that name already.
func TestSecretWarningsCoverBuildKit(t *testing.T) {
	names := []string{
		"API_TOKEN", "GITHUB_TOKEN", "token", "NPM_AUTH", "AUTH", "DB_PASSWORD", "PASSWD", "PWORD_X",
		"AWS_SECRET_ACCESS_KEY", "SECRET", "client_secret", "APIKEY", "API_KEY", "SSH_KEY", "KEY",
		"GOOGLE_APPLICATION_CREDENTIALS", "CREDENTIAL", "PRIVATE_KEY", "ACCESS_KEY",
		// Not secrets, for BuildKit and for wharf.
		"PUBLIC_KEY", "KEY_FILE", "TOKEN_VERSION", "APP_VERSION", "MONKEY", "TOKENS", "PASSWORDLESS", "AUTHOR",
	}
	var flagged int
	for _, name := range names {
		for _, field := range []string{"build:\n  args", "build:\n  env", "runtime:\n  env"} {
			src := fmt.Sprintf("version: 1\nname: s\nlanguage: go\n%s:\n    %s: x\n", field, name)
			if strings.HasPrefix(field, "build") {
				src += "runtime:\n  user: root\n"
			}
			s, err := spec.Parse("wharf.yaml", []byte(src))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			files, err := generate.Files(s)
			if err != nil {
				t.Fatal(err)
			}
			res, err := lint.Dockerfile(context.Background(), "Dockerfile", files[0].Data)
			if err != nil {
				t.Fatal(err)
			}
			buildkit := false
			for _, w := range res.Warnings {
				if w.Rule == "SecretsUsedInArgOrEnv" {
					buildkit = true
				} else {
					t.Errorf("%s: unexpected BuildKit warning %s", name, w)
				}
			}
			wharf := false
			for _, w := range s.Warnings {
				if errors.Is(w, spec.ErrSecret) {
					wharf = true
				}
			}
			if buildkit && !wharf {
				t.Errorf("%s in %q: BuildKit flags it as a secret, wharf does not warn", name, field)
			}
			if buildkit {
				flagged++
			}
		}
	}
	if flagged == 0 {
		t.Fatal("BuildKit flagged no name: the check is not running")
	}
}

// TestPrivateIndexLeavesNoSecretInDockerfile generates the private index
// and registry cases and checks with BuildKit's reading that the secret is
// mounted on exactly the install steps, at the path the tool reads, and
// that no ARG or ENV names it.
func TestPrivateIndexLeavesNoSecretInDockerfile(t *testing.T) {
	for _, tc := range []struct {
		dir, id, target string
		installs        int
	}{
		{"python/testdata/golden/python-private-index", "pip_netrc", python.NetrcPath, 1},
		{"node/testdata/golden/node-private-registry", "npmrc", node.NpmrcPath, 1},
		{"node/testdata/golden/yarn-private-registry", "npmrc", node.NpmrcPath, 2},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			s, err := spec.Load("../lang/" + tc.dir)
			if err != nil {
				t.Fatal(err)
			}
			files, err := generate.Files(s)
			if err != nil {
				t.Fatal(err)
			}
			rb, err := readback(files[0].Data)
			if err != nil {
				t.Fatal(err)
			}
			var mounted int
			for _, stage := range rb {
				for k, v := range stage.Env {
					if strings.Contains(k+v, tc.id) || strings.Contains(v, ".netrc") || strings.Contains(v, ".npmrc") {
						t.Errorf("ENV %s=%s names the secret", k, v)
					}
				}
				for k := range stage.Args {
					if k == "SOURCE_DATE_EPOCH" { // wharf's own, a time
						continue
					}
					if stage.Name == "runner" && slices.ContainsFunc(generate.OCILabels, func(l generate.OCILabel) bool { return k == l.Arg || k == l.KeyArg() }) {
						continue // an OCI label's, declared after the last RUN
					}
					t.Errorf("ARG %s in a private index build", k)
				}
				for _, run := range stage.Runs {
					for _, m := range run.Mounts {
						if m.Type != "secret" { // BuildKit keeps a secret's id in CacheID
							continue
						}
						mounted++
						if stage.Name != "builder" || m.CacheID != tc.id || m.Target != tc.target || !m.Required {
							t.Errorf("secret mount %+v in %s, want required id=%s at %s in the builder", m, stage.Name, tc.id, tc.target)
						}
					}
				}
			}
			if mounted != tc.installs {
				t.Errorf("%d RUN steps mount the secret, want %d", mounted, tc.installs)
			}
		})
	}
}
