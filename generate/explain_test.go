package generate_test

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// originComment is the comment explain puts after each value.
var originComment = regexp.MustCompile(` # (from [^ ]+\.yaml:[0-9]+|default|default: inferred from the image)$`)

// TestExplainRoundTrip checks, for every golden spec and example, that the
// effective spec explain prints is a spec that generates the same files,
// and that every value in it says where it came from.
func TestExplainRoundTrip(t *testing.T) {
	var specs []string
	for _, pattern := range []string{"../testdata/golden/*/wharf.yaml", "../lang/*/testdata/golden/*/wharf.yaml", "../examples/*/wharf.yaml", "../examples/monorepo/services/*/wharf.yaml"} {
		found, _ := filepath.Glob(pattern)
		specs = append(specs, found...)
	}
	for _, path := range specs {
		t.Run(strings.TrimPrefix(filepath.ToSlash(filepath.Dir(path)), "../"), func(t *testing.T) {
			s, err := spec.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			out, err := spec.Explain(s)
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
				if strings.HasPrefix(line, "#") || strings.HasSuffix(line, ":") {
					continue // the header, or a key whose value is below
				}
				if !originComment.MatchString(line) {
					t.Errorf("line %d lacks its origin: %q", i+1, line)
				}
			}
			effective, err := spec.Parse(path, out)
			if err != nil {
				t.Fatalf("explain printed an invalid spec: %v\n%s", err, out)
			}
			if effective.Extends != nil {
				t.Errorf("the effective spec extends %v", effective.Extends)
			}
			want, got := generateAll(t, s), generateAll(t, effective)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the effective spec generates other files (-spec +effective):\n%s", diff)
			}
			again, err := spec.Explain(effective)
			if err != nil {
				t.Fatal(err)
			}
			// Explaining the effective spec gives the same values; only
			// the origins differ.
			if a, b := stripComments(out), stripComments(again); a != b {
				t.Errorf("explain of the effective spec differs (-first +second):\n%s", cmp.Diff(a, b))
			}
		})
	}
}

func generateAll(t *testing.T, s *spec.Spec) map[string]string {
	t.Helper()
	g, err := generate.New(nil)
	if s.Templates != "" {
		g, err = generate.NewDir(s.Templates)
	}
	if err != nil {
		t.Fatal(err)
	}
	files, err := g.Files(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		out[f.Path] = string(f.Data)
	}
	return out
}

func stripComments(yaml []byte) string {
	var b bytes.Buffer
	for _, line := range strings.Split(string(yaml), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		line, _, _ = strings.Cut(line, " # ")
		b.WriteString(line + "\n")
	}
	return b.String()
}
