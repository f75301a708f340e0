package main

import (
	"bytes"

	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/wharf-dev/wharf/cmd/wharf/internal/cli"
	"github.com/wharf-dev/wharf/internal/dockerfile"
	"github.com/wharf-dev/wharf/internal/golden"
)

// TestImportGolden imports the hand-written Dockerfile of each project in
// testdata/import/<case>/project.txtar (a txtar archive, so that BuildKit's
// lint, which the e2e module runs over every Dockerfile under testdata,
// sees only wharf's output) and compares the proposed wharf.yaml and the
// files generate then writes with the files beside it. It also checks
// that every instruction of the Dockerfile is cited in the spec, mapped or
// listed, and that the hand-written files are left as they were.
func TestImportGolden(t *testing.T) {
	cases, _ := filepath.Glob("../../testdata/import/*/project.txtar")
	if len(cases) < 12 {
		t.Fatalf("found %d import cases, want at least 12", len(cases))
	}
	for _, c := range cases {
		caseDir := filepath.Dir(c)
		t.Run(filepath.Base(caseDir), func(t *testing.T) {
			ar, err := txtar.ParseFile(c)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, f := range ar.Files {
				name := filepath.Join(dir, filepath.FromSlash(f.Name))
				if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			original, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
			if err != nil {
				t.Fatal(err)
			}
			run := func(args ...string) string {
				t.Helper()
				var stdout, stderr bytes.Buffer
				if code := cli.Run(args, nil, &stdout, &stderr); code != 0 {
					t.Fatalf("wharf %v exited %d\nstdout:\n%s\nstderr:\n%s", args, code, &stdout, &stderr)
				}
				return stdout.String()
			}
			spec := run("import", filepath.Join(dir, "Dockerfile"))
			golden.Check(t, filepath.Join(caseDir, "wharf.yaml"), []byte(spec))

			// Every instruction is cited: mapped (its line in a reason) or
			// listed as a leftover (its line, or its stage's range).
			df, err := dockerfile.Read("Dockerfile", original)
			if err != nil {
				t.Fatal(err)
			}
			cited := citedLines(spec)
			for _, ln := range df.InstructionLines() {
				if !cited[ln] {
					t.Errorf("Dockerfile:%d is cited nowhere in the proposed spec", ln)
				}
			}

			// The spec generates; wharf's files sit beside the originals.
			if err := os.WriteFile(filepath.Join(dir, "wharf.yaml"), []byte(spec), 0o644); err != nil {
				t.Fatal(err)
			}
			run("generate", dir)
			run("check", dir)
			for _, name := range []string{"Dockerfile.wharf", "Dockerfile.wharf.dockerignore"} {
				data, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				golden.Check(t, filepath.Join(caseDir, name), data)
			}
			if after, _ := os.ReadFile(filepath.Join(dir, "Dockerfile")); !bytes.Equal(after, original) {
				t.Error("import or generate changed the hand-written Dockerfile")
			}
		})
	}
}

var citation = regexp.MustCompile(`Dockerfile:([0-9]+)(?:-([0-9]+))?`)

// citedLines are the Dockerfile lines a spec names, ranges included.
func citedLines(spec string) map[int]bool {
	cited := map[int]bool{}
	// Reasons are wrapped; join the comment lines first.
	flat := regexp.MustCompile(`\n\s*#\s*`).ReplaceAllString(spec, " ")
	for _, m := range citation.FindAllStringSubmatch(flat, -1) {
		from, _ := strconv.Atoi(m[1])
		to := from
		if m[2] != "" {
			to, _ = strconv.Atoi(m[2])
		}
		for i := from; i <= to; i++ {
			cited[i] = true
		}
	}
	return cited
}
