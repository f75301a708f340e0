package e2e

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wharf-dev/wharf/e2e/lint"
)

// lintRoots are the trees whose Dockerfiles must pass BuildKit's checks.
var lintRoots = []string{"../testdata", "../examples", "../lang"}

// isDockerfile reports whether name is a Dockerfile by the usual conventions:
// Dockerfile, Dockerfile.<suffix> or <prefix>.Dockerfile.
func isDockerfile(name string) bool {
	return !strings.HasSuffix(name, ".dockerignore") && (name == "Dockerfile" || strings.HasPrefix(name, "Dockerfile.") || strings.HasSuffix(name, ".Dockerfile"))
}

// findDockerfiles walks roots and returns every Dockerfile under them. A
// missing root is not an error: it simply contributes no files.
func findDockerfiles(t *testing.T, roots ...string) []string {
	t.Helper()
	var found []string
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isDockerfile(d.Name()) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatalf("walk %s: %v", root, err)
		}
	}
	return found
}

// TestBuildKitLint runs the rule set of `docker build --check` over every
// Dockerfile in testdata/ and examples/ and requires zero warnings.
func TestBuildKitLint(t *testing.T) {
	files := findDockerfiles(t, lintRoots...)
	if len(files) == 0 {
		t.Fatalf("no Dockerfile found under %v: the lint test would pass vacuously", lintRoots)
	}
	for _, path := range files {
		t.Run(filepath.ToSlash(path), func(t *testing.T) {
			t.Parallel()
			dt, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := lint.Dockerfile(context.Background(), path, dt)
			if err != nil {
				t.Fatal(err)
			}
			if res.BuildError != "" {
				t.Errorf("%s: BuildKit cannot convert this Dockerfile: %s", path, res.BuildError)
			}
			for _, w := range res.Warnings {
				t.Errorf("%s:%d: %s: %s (%s)", w.File, w.Line, w.Rule, w.Detail, w.URL)
			}
		})
	}
}

// TestBuildKitLintIsLive proves the linter reports what `docker build
// --check` reports, so TestBuildKitLint cannot pass because nothing ran.
func TestBuildKitLintIsLive(t *testing.T) {
	tests := []struct {
		name       string
		dockerfile string
		wantRules  []string // sorted; nil means clean
	}{
		{
			name: "clean multi-stage",
			dockerfile: `FROM golang:1.19-bookworm AS builder
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12 AS runner
COPY --from=builder /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
`,
		},
		{
			name:       "from as casing",
			dockerfile: "FROM alpine as builder\nRUN true\n",
			wantRules:  []string{"FromAsCasing"},
		},
		{
			name:       "legacy env",
			dockerfile: "FROM alpine AS runner\nENV color blue\n",
			wantRules:  []string{"LegacyKeyValueFormat"},
		},
		{
			name:       "shell form cmd",
			dockerfile: "FROM alpine AS runner\nCMD echo hi\n",
			wantRules:  []string{"JSONArgsRecommended"},
		},
		{
			name:       "undefined var",
			dockerfile: "FROM alpine AS runner\nENV A=$NOPE\n",
			wantRules:  []string{"UndefinedVar"},
		},
		{
			name:       "duplicate stage and stage casing",
			dockerfile: "FROM alpine AS Builder\nFROM alpine AS builder\n",
			wantRules:  []string{"DuplicateStageName", "StageNameCasing"},
		},
		{
			name:       "secret in env",
			dockerfile: "FROM alpine AS runner\nENV API_TOKEN=x\n",
			wantRules:  []string{"SecretsUsedInArgOrEnv"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := lint.Dockerfile(context.Background(), "Dockerfile", []byte(tc.dockerfile))
			if err != nil {
				t.Fatal(err)
			}
			if res.BuildError != "" {
				t.Fatalf("unexpected build error: %s", res.BuildError)
			}
			var got []string
			for _, w := range res.Warnings {
				got = append(got, w.Rule)
				if w.Line < 1 {
					t.Errorf("warning %s has no line", w)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.wantRules) {
				t.Errorf("rules = %v, want %v\nwarnings: %v", got, tc.wantRules, res.Warnings)
			}
		})
	}
}

func TestBuildKitLintReportsLineAndBuildError(t *testing.T) {
	res, err := lint.Dockerfile(context.Background(), "x/Dockerfile", []byte("FROM alpine AS runner\nRUN true\nENV color blue\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Line != 3 || res.Warnings[0].File != "x/Dockerfile" {
		t.Fatalf("warnings = %v, want one LegacyKeyValueFormat at x/Dockerfile:3", res.Warnings)
	}

	res, err = lint.Dockerfile(context.Background(), "Dockerfile", []byte("FROM alpine AS runner\nFROBNICATE x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(res.BuildError), "unknown instruction: frobnicate") {
		t.Fatalf("BuildError = %q, want unknown instruction error", res.BuildError)
	}
}

func TestBuildKitLintRefusesSkipDirective(t *testing.T) {
	_, err := lint.Dockerfile(context.Background(), "Dockerfile", []byte("# check=skip=FromAsCasing\nFROM alpine as builder\n"))
	if err == nil || !strings.Contains(err.Error(), "skips rules") {
		t.Fatalf("err = %v, want refusal of check=skip", err)
	}
}

func TestFindDockerfiles(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a/Dockerfile", "b/Dockerfile.dev", "c/app.Dockerfile", "d/wharf.yaml", "e/NotADockerfile"} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("FROM scratch\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := findDockerfiles(t, dir, filepath.Join(dir, "missing"))
	for i := range got {
		got[i], _ = filepath.Rel(dir, got[i])
	}
	want := []string{"a/Dockerfile", "b/Dockerfile.dev", "c/app.Dockerfile"}
	if !slices.Equal(got, want) {
		t.Fatalf("found %v, want %v", got, want)
	}
}
