// Package renovate holds wharf's Renovate preset, wharf.json; this test
// applies its regular expressions to the repository's specs and bases.
package renovate_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	_ "github.com/wharf-dev/wharf/internal/golden" // go test ./... -update runs here too
)

// The preset's regular expressions are applied here with Go's regexp
// (RE2), which Renovate also uses when its re2 module loads, else
// JavaScript's RegExp. They use only what the two read alike: named groups
// as (?<name>...), which Go accepts since 1.22, classes, alternation and
// greedy repeats; no lookaround, backreferences or flags. Renovate applies
// them with the g flag and no m flag: "^" is the start of the text in
// both, so the preset writes (?:^|\n).

type preset struct {
	CustomManagers []struct {
		CustomType           string   `json:"customType"`
		ManagerFilePatterns  []string `json:"managerFilePatterns"`
		MatchStringsStrategy string   `json:"matchStringsStrategy"`
		MatchStrings         []string `json:"matchStrings"`
		DatasourceTemplate   string   `json:"datasourceTemplate"`
	} `json:"customManagers"`
	PackageRules []struct {
		MatchManagers []string `json:"matchManagers"`
		MatchDepTypes []string `json:"matchDepTypes"`
		GroupName     string   `json:"groupName"`
	} `json:"packageRules"`
	PostUpgradeTasks struct {
		Commands      []string `json:"commands"`
		ExecutionMode string   `json:"executionMode"`
	} `json:"postUpgradeTasks"`
}

func load(t *testing.T) preset {
	t.Helper()
	data, err := os.ReadFile("wharf.json")
	if err != nil {
		t.Fatal(err)
	}
	var p preset
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if len(p.CustomManagers) != 1 || p.CustomManagers[0].MatchStringsStrategy != "recursive" || len(p.CustomManagers[0].MatchStrings) != 2 {
		t.Fatalf("want one regex manager with two recursive matchStrings, got %+v", p.CustomManagers)
	}
	return p
}

// dep is what the manager extracts: stage, image name, tag and digest.
type dep struct{ Stage, Name, Tag, Digest string }

func (d dep) String() string {
	s := d.Stage + " " + d.Name + ":" + d.Tag
	if d.Digest != "" {
		s += "@" + d.Digest
	}
	return s
}

// extract applies the matchStrings as Renovate's recursive strategy
// does: each expression to every match of the one before.
func extract(t *testing.T, p preset, content string) []dep {
	t.Helper()
	m := p.CustomManagers[0]
	outer := regexp.MustCompile(m.MatchStrings[0])
	inner := regexp.MustCompile(m.MatchStrings[1])
	var deps []dep
	for _, block := range outer.FindAllString(content, -1) {
		for _, sub := range inner.FindAllStringSubmatch(block, -1) {
			g := func(name string) string { return sub[inner.SubexpIndex(name)] }
			deps = append(deps, dep{g("depType"), g("depName"), g("currentValue"), g("currentDigest")})
		}
	}
	return deps
}

// fileMatches reports whether Renovate's managerFilePatterns take path.
func fileMatches(t *testing.T, p preset, path string) bool {
	for _, pat := range p.CustomManagers[0].ManagerFilePatterns {
		re := regexp.MustCompile(strings.TrimSuffix(strings.TrimPrefix(pat, "/"), "/"))
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// want reads the YAML as wharf does and lists the stage images it writes
// with a tag: what the preset must find.
func want(t *testing.T, content string) []dep {
	t.Helper()
	var doc struct {
		Images map[string]yaml.Node `yaml:"images"`
	}
	if err := yaml.Unmarshal([]byte(content), &doc); err != nil {
		return nil
	}
	var deps []dep
	for _, stage := range []string{"builder", "runner"} {
		n, ok := doc.Images[stage]
		if !ok {
			continue
		}
		ref := n.Value
		if n.Kind == yaml.MappingNode {
			var m struct{ Image string }
			if err := n.Decode(&m); err != nil {
				t.Fatal(err)
			}
			ref = m.Image
		}
		name, digest, _ := strings.Cut(ref, "@")
		i := strings.LastIndex(name, ":")
		if i < 0 || i < strings.LastIndex(name, "/") {
			continue // no tag: latest, which Renovate cannot version
		}
		deps = append(deps, dep{stage, name[:i], name[i+1:], digest})
	}
	return deps
}

// Every spec and base in the repository (but the error cases wharf
// refuses) and every other YAML file there: the preset finds exactly the
// tagged stage images wharf reads from it.
func TestPresetFindsTheRepositorysImages(t *testing.T) {
	p := load(t)
	var files int
	var found int
	for _, root := range []string{"../examples", "../testdata", "../lang", "../corpus"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() && filepath.ToSlash(path) == "../testdata/errors" {
				return filepath.SkipDir // specs wharf refuses
			}
			if err != nil || d.IsDir() || !fileMatches(t, p, filepath.ToSlash(path)) {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			content := string(data)
			w := want(t, content)
			got := extract(t, p, content)
			slices.SortFunc(w, func(a, b dep) int { return strings.Compare(a.String(), b.String()) })
			slices.SortFunc(got, func(a, b dep) int { return strings.Compare(a.String(), b.String()) })
			if fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("%s: the preset finds %v, wharf reads %v", path, got, w)
			}
			files++
			found += len(got)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 50 || found < 30 {
		t.Errorf("checked %d YAML files and %d images; the walk found too few to mean anything", files, found)
	}
	t.Logf("%d YAML files, %d images found", files, found)
}

// The shapes a spec may write, and files that are not specs.
func TestPresetShapes(t *testing.T) {
	p := load(t)
	const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"strings", "version: 1\nimages:\n  builder: python:3.13-slim\n  runner: python:3.13-slim\nruntime: {cmd: [x]}\n",
			[]string{"builder python:3.13-slim", "runner python:3.13-slim"}},
		{"quoted with comments", "images: # stages\n  # the builder\n  builder: \"golang:1.26-bookworm\"  # Go\n\n  runner: 'gcr.io/distroless/static-debian12:nonroot'\n",
			[]string{"builder golang:1.26-bookworm", "runner gcr.io/distroless/static-debian12:nonroot"}},
		{"flow", "images: {builder: golang:1.23-bookworm, runner: gcr.io/distroless/static-debian12:latest}\ngo: {main: .}\n",
			[]string{"builder golang:1.23-bookworm", "runner gcr.io/distroless/static-debian12:latest"}},
		{"mapping", "images:\n  builder:\n    image: registry.example.com:5000/base/python:3.12\n    family: debian\n  runner:\n    family: debian\n    image: registry.example.com:5000/base/python:3.12\n",
			[]string{"builder registry.example.com:5000/base/python:3.12", "runner registry.example.com:5000/base/python:3.12"}},
		{"flow mapping", "images:\n  runner: {family: alpine, image: alpine:3.22}\n  builder: {image: golang:1.26-alpine, family: alpine}\n",
			[]string{"runner alpine:3.22", "builder golang:1.26-alpine"}},
		{"digest", "images:\n  builder: python:3.13-slim@" + digest + "\n",
			[]string{"builder python:3.13-slim@" + digest}},
		{"no tag", "images:\n  runner: gcr.io/distroless/static-debian12\n", nil},
		{"scratch", "images:\n  runner: scratch\n", nil},
		{"not top-level", "publish:\n  images:\n    builder: python:3.13-slim\n", nil},
		{"kustomize", "images:\n  - name: app\n    newTag: \"1.0\"\n", nil},
		{"compose", "services:\n  api:\n    image: python:3.13-slim\n", nil},
		{"after images", "images:\n  builder: python:3.13-slim\nrunner: python:3.12-slim\n", []string{"builder python:3.13-slim"}},
	} {
		var got []string
		for _, d := range extract(t, p, tc.yaml) {
			got = append(got, d.String())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Builder and runner are one group; the post-upgrade tasks lock and
// generate; the file patterns take specs and bases, not other files.
func TestPresetConfig(t *testing.T) {
	p := load(t)
	grouped := false
	for _, r := range p.PackageRules {
		if slices.Contains(r.MatchManagers, "custom.regex") && slices.Contains(r.MatchDepTypes, "builder") && slices.Contains(r.MatchDepTypes, "runner") && r.GroupName != "" {
			grouped = true
		}
	}
	if !grouped {
		t.Error("no package rule groups the builder and runner updates")
	}
	if !slices.Equal(p.PostUpgradeTasks.Commands, []string{"wharf lock ./...", "wharf generate ./..."}) || p.PostUpgradeTasks.ExecutionMode != "branch" {
		t.Errorf("postUpgradeTasks = %+v", p.PostUpgradeTasks)
	}
	for path, want := range map[string]bool{
		"wharf.yaml": true, "services/api/wharf.yaml": true, "platform/python.yml": true,
		"wharf.lock": false, "Dockerfile": false, "services/api/Dockerfile.dockerignore": false,
	} {
		if got := fileMatches(t, p, path); got != want {
			t.Errorf("managerFilePatterns take %s: %v, want %v", path, got, want)
		}
	}
}
