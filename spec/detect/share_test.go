package detect

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func proposals() []*Proposal {
	return []*Proposal{
		{
			Language: "python", Name: "accounts",
			Builder: "python:3.13-slim", Runner: "python:3.13-slim", ImagesWhy: "From accounts' Dockerfile.",
			BuildPackages: []string{"gcc"}, BuildPackagesWhy: "C extension.",
			Section: []Field{{Key: "project", Value: "."}, {Key: "manager", Value: "uv", Sure: Unknown}},
			Runtime: []Field{
				{Key: "env", Lines: []string{`PORT: "8000"`, "MODE: a"}, Why: "From ENV."},
				{Key: "labels", Lines: []string{"vendor: Example", "title: accounts"}, Why: "From LABEL."},
				{Key: "user", Value: `"10001:10001"`, Why: "From USER."},
			},
			Expose: []int{8000}, ExposeWhy: "Listens on 8000.",
			Cmd: []string{"python", "-m", "accounts"}, CmdWhy: "__main__.py",
		},
		{
			Language: "python", Name: "billing",
			Builder: "python:3.13-slim", Runner: "python:3.13-slim", ImagesWhy: "From billing's Dockerfile.",
			Section: []Field{{Key: "project", Value: "."}, {Key: "manager", Value: "uv", Sure: Unknown}},
			Runtime: []Field{
				{Key: "env", Lines: []string{`PORT: "8000"`, "MODE: b"}, Why: "From ENV."},
				{Key: "labels", Lines: []string{"vendor: Example", "title: billing"}, Why: "From LABEL."},
				{Key: "user", Value: `"10001:10001"`, Why: "From USER."},
			},
			Expose: []int{8000}, ExposeWhy: "Listens on 8000.",
			Cmd: []string{"python", "-m", "accounts"}, CmdWhy: "guessed", CmdSure: Unknown,
		},
	}
}

func itemMap(items []Item) map[string]string {
	m := map[string]string{}
	for _, it := range items {
		m[it.Path] = it.Value
	}
	return m
}

// TestShare checks what moves into the base: the values every proposal
// holds alike, env and label entries one by one; never what differs, what
// only one holds, or what is written commented out.
func TestShare(t *testing.T) {
	ps := proposals()
	base := Share(ps, []string{"accounts", "billing"})
	if base == nil {
		t.Fatal("Share returned no base")
	}
	got := itemMap(base.Items())
	want := map[string]string{
		"language":              "python",
		"images.builder":        "python:3.13-slim",
		"images.runner":         "python:3.13-slim",
		"python.project":        ".",
		"runtime.env.PORT":      `"8000"`,
		"runtime.labels.vendor": "Example",
		"runtime.user":          `"10001:10001"`,
		"runtime.expose":        "[8000]",
	}
	if !maps.Equal(got, want) {
		t.Errorf("base items = %v, want %v", got, want)
	}
	if !strings.Contains(base.ImagesWhy, "For accounts: From accounts' Dockerfile.") || !strings.Contains(base.ImagesWhy, "For billing: From billing's Dockerfile.") {
		t.Errorf("base images reason %q does not give each service's reason", base.ImagesWhy)
	}
	for _, p := range ps {
		for path := range want {
			if _, ok := itemMap(p.Items())[path]; ok {
				t.Errorf("%s still holds %s, which its base holds", p.Name, path)
			}
		}
		if !slices.Equal(p.Inherited, []string{"language", "images.builder", "images.runner", "python.project", "runtime.env.PORT", "runtime.labels.vendor", "runtime.user", "runtime.expose"}) {
			t.Errorf("%s inherits %v", p.Name, p.Inherited)
		}
		// The Unknown manager stays, commented out, in each spec.
		if !strings.Contains(string(p.YAML()), "# manager: uv") {
			t.Errorf("%s lost its commented-out manager:\n%s", p.Name, p.YAML())
		}
	}
	if v := itemMap(ps[0].Items())["runtime.env.MODE"]; v != "a" {
		t.Errorf("accounts' own env entry MODE = %q, want a", v)
	}
	if v := itemMap(ps[0].Items())["runtime.cmd"]; v == "" {
		t.Error("accounts lost its cmd, which billing does not hold for sure")
	}
}

// TestShareKeepsEverything checks that each spec and its base together
// hold every value the spec held alone, each once.
func TestShareKeepsEverything(t *testing.T) {
	ps := proposals()
	var before []map[string]string
	for _, p := range ps {
		before = append(before, itemMap(p.Items()))
	}
	base := Share(ps, []string{"accounts", "billing"})
	baseItems := itemMap(base.Items())
	for i, p := range ps {
		own := itemMap(p.Items())
		merged := maps.Clone(baseItems)
		for k, v := range own {
			if _, dup := merged[k]; dup {
				t.Errorf("%s: %s is both in the spec and its base", p.Name, k)
			}
			merged[k] = v
		}
		if !maps.Equal(merged, before[i]) {
			t.Errorf("%s: spec and base hold %v, the spec alone held %v", p.Name, merged, before[i])
		}
	}
}

// TestShareNothing: one proposal, or proposals with nothing alike, get no
// base and are left as they were.
func TestShareNothing(t *testing.T) {
	ps := proposals()
	if Share(ps[:1], []string{"accounts"}) != nil {
		t.Error("a single proposal got a base")
	}
	a, b := &Proposal{Language: "go", Name: "a", Builder: "golang:1.23"}, &Proposal{Language: "go", Name: "b", Builder: "golang:1.24"}
	// Only the language is alike: still a base, holding the language.
	base := Share([]*Proposal{a, b}, []string{"a", "b"})
	if base == nil || !maps.Equal(itemMap(base.Items()), map[string]string{"language": "go"}) {
		t.Errorf("base of two Go proposals with other images: %v", base)
	}
	if a.Builder != "golang:1.23" || b.Builder != "golang:1.24" {
		t.Error("Share changed values that differ")
	}
}

// TestBaseYAML: a base has no name, and a spec that extends it names it
// and what it takes from it.
func TestBaseYAML(t *testing.T) {
	ps := proposals()
	base := Share(ps, []string{"accounts", "billing"})
	ps[0].Extends = "../wharf-python.yaml"
	data := string(base.YAML())
	if strings.Contains(data, "\nname:") {
		t.Errorf("the base has a name:\n%s", data)
	}
	if !strings.Contains(data, "\nlanguage: python\n") {
		t.Errorf("the base lacks the language:\n%s", data)
	}
	spec := string(ps[0].YAML())
	for _, want := range []string{"\nextends: [../wharf-python.yaml]\nname: accounts\n", "runtime.env.PORT, runtime.labels.vendor, runtime.user and runtime.expose from the base"} {
		if !strings.Contains(strings.ReplaceAll(spec, "\n# ", " "), strings.ReplaceAll(want, "\n# ", " ")) {
			t.Errorf("the spec lacks %q:\n%s", want, spec)
		}
	}
	if strings.Contains(spec, "\nlanguage:") || strings.Contains(spec, "expose: [8080]") {
		t.Errorf("the spec holds its base's language, or an expose placeholder:\n%s", spec)
	}
}

// TestSharedWhy: reasons that differ only in the Dockerfile lines they
// cite become one, each line with its service; others are given apart.
func TestSharedWhy(t *testing.T) {
	names := []string{"a", "b"}
	for _, c := range []struct {
		whys []string
		want string
	}{
		{[]string{"From USER at Dockerfile:3.", "From USER at Dockerfile:3."}, "From USER at Dockerfile:3."},
		{[]string{"From USER at Dockerfile:3.", "From USER at Dockerfile:5."}, "From USER at Dockerfile:3 (a), Dockerfile:5 (b)."},
		{[]string{"FROM at Dockerfile:1 and Dockerfile:9.", "FROM at Dockerfile:1 and Dockerfile:7."}, "FROM at Dockerfile:1 and Dockerfile:9 (a), Dockerfile:7 (b)."},
		{[]string{"From go.mod.", "From the Dockerfile (Dockerfile:2)."}, "For a: From go.mod. For b: From the Dockerfile (Dockerfile:2)."},
	} {
		if got := sharedWhy(c.whys, names); got != c.want {
			t.Errorf("sharedWhy(%q) = %q, want %q", c.whys, got, c.want)
		}
	}
}
