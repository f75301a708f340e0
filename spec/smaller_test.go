package spec_test

import (
	"strings"
	"testing"

	"github.com/wharf-dev/wharf/spec"
)

const goHeader = "version: 1\nname: a\nlanguage: go\n"

// TestSmallerFixes covers the smaller items of issue 17, item 13: each
// spec gave a wrong or misleading message before.
func TestSmallerFixes(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"binary tag", goHeader + "runtime:\n  user: !!binary c3Zj\n",
			"wharf.yaml:5:9: the YAML tag !!binary is not supported: a spec holds plain strings, numbers, booleans, lists and mappings; remove the tag"},
		{"custom tag", goHeader + "runtime:\n  labels: {a: !custom x}\n",
			"wharf.yaml:5:15: the YAML tag !custom is not supported"},
		{"custom tag on a key", goHeader + "runtime:\n  labels: {!custom a: x}\n",
			"wharf.yaml:5:12: the YAML tag !custom is not supported"},
		{"version 1.0", "version: 1.0\nname: a\nlanguage: go\n",
			"wharf.yaml:1:10: version must be a whole number, not 1.0: write 1"},
		{"ignore line break", goHeader + "ignore: [\"a\\nb\"]\n",
			"wharf.yaml:4:10: ignore[0] must be a single line; a line break would end the .dockerignore line, and start another"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := spec.Parse("wharf.yaml", []byte(tc.src))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant it to start with:\n%s", err, tc.want)
			}
		})
	}
	// Core tags name what the value is anyway: accepted.
	if _, err := spec.Parse("wharf.yaml", []byte(goHeader+"runtime:\n  user: !!str svc\n  expose: [!!int 8000]\n")); err != nil {
		t.Errorf("core tags: %v", err)
	}
}

// TestEnvNullDropped checks that env: {C: ~} with nothing inherited drops
// C, as null drops an inherited value, rather than writing C="".
func TestEnvNullDropped(t *testing.T) {
	s, err := spec.Parse("wharf.yaml", []byte(goHeader+"build:\n  env: {C: ~, D: \"\"}\n  args: {E: ~}\nruntime:\n  env: {C: ~}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Build.Env["C"]; ok {
		t.Errorf("build.env = %q, want C dropped", s.Build.Env)
	}
	if v, ok := s.Build.Env["D"]; !ok || v != "" {
		t.Errorf("build.env = %q, want D kept, empty", s.Build.Env)
	}
	if v, ok := s.Build.Args["E"]; !ok || v != "" {
		t.Errorf("build.args = %q, want E declared, empty (ARG E=\"\")", s.Build.Args)
	}
	if _, ok := s.Runtime.Env["C"]; ok {
		t.Errorf("runtime.env = %q, want C dropped", s.Runtime.Env)
	}
}

// TestSecretWarningSaysWhere checks that a credential in a builder-only
// ENV or ARG is said to be in the builder's history, not in the image that
// ships, and one in the runner's ENV in the image.
func TestSecretWarningSaysWhere(t *testing.T) {
	s, err := spec.Parse("wharf.yaml", []byte(goHeader+"build:\n  env: {API_TOKEN: x}\nruntime:\n  env: {DB_PASSWORD: y}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, w := range s.Warnings {
		msgs = append(msgs, w.Error())
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{
		"build.env.API_TOKEN looks like a secret; it would be stored in the builder stage's history, not the runner image",
		"runtime.env.DB_PASSWORD looks like a secret; it would be stored in the image for anyone who pulls it",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings:\n%s\nwant one with:\n%s", got, want)
		}
	}
}
