// Package bake writes docker buildx bake files for the specs of a tree, and
// tells which specs a change since a git revision affects.
//
// What a bake file covers, and where it goes, is written down in a
// wharf.bake.yaml (ConfigName), so that wharf check finds it with the specs
// and compares the bake file with what they generate, as it does for
// Dockerfiles.
package bake

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/internal/readfile"
	"github.com/wharf-dev/wharf/spec"
)

// ConfigName is the file that says which specs a bake file covers.
const ConfigName = "wharf.bake.yaml"

// DefaultOutput is where the bake file goes unless the config says.
const DefaultOutput = "docker-bake.json"

// Variables are the bake variables wharf writes, with what their default
// is for.
var Variables = []string{"REGISTRY", "VERSION"}

// DefaultVersion is VERSION's default when the config gives none.
const DefaultVersion = "dev"

// Config is a wharf.bake.yaml.
type Config struct {
	// File is the config's path.
	File string
	// Output is the bake file's path, slash-separated and relative to the
	// config's folder.
	Output string
	// Specs are the PATH arguments the bake file covers ("./...",
	// "services/api"), slash-separated and relative to the config's folder.
	Specs []string
	// Variables are the defaults of the bake variables REGISTRY and
	// VERSION; CI overrides them from the environment.
	Variables map[string]string

	positions map[string]*yaml.Node // key → its value, for errors
}

// Dir is the config's folder: where docker buildx bake runs, and what
// the bake file's contexts are relative to.
func (c *Config) Dir() string { return filepath.Dir(c.File) }

// OutputPath is the bake file's path, usable from the current folder.
func (c *Config) OutputPath() string {
	return filepath.Join(c.Dir(), filepath.FromSlash(c.Output))
}

// Args are Specs as PATH arguments usable from the current folder.
func (c *Config) Args() []string {
	out := make([]string, len(c.Specs))
	for i, s := range c.Specs {
		root, pattern := strings.CutSuffix(s, "/...")
		if s == "..." {
			root, pattern = ".", true
		}
		p := filepath.Join(c.Dir(), filepath.FromSlash(root))
		if pattern {
			p += string(filepath.Separator) + "..."
		}
		out[i] = p
	}
	return out
}

// errorAt returns a positioned problem in the config at key's value (the
// file's start when key is "" or absent).
func (c *Config) errorAt(key, format string, args ...any) *spec.Error {
	e := &spec.Error{File: c.File, Msg: fmt.Sprintf(format, args...), Kind: spec.ErrInvalid}
	if n := c.positions[key]; n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

var variableDefault = lazyregexp.New(`^[A-Za-z0-9][A-Za-z0-9._:/-]*$`)

// LoadConfig reads and checks a wharf.bake.yaml, reporting every problem
// as a spec.ErrorList of file:line:column errors.
func LoadConfig(file string) (*Config, error) {
	data, err := readfile.ReadAll(file, "a bake config", 1<<20)
	if err != nil {
		return nil, fmt.Errorf("read bake config: %w", err)
	}
	c := &Config{File: file, positions: map[string]*yaml.Node{}}
	var list spec.ErrorList
	errAt := func(n *yaml.Node, format string, args ...any) {
		list = append(list, &spec.Error{File: file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...), Kind: spec.ErrInvalid})
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, spec.ErrorList{{File: file, Msg: err.Error(), Kind: spec.ErrSyntax}}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, spec.ErrorList{{File: file, Line: max(root.Line, 1), Column: max(root.Column, 1), Msg: "a bake config is a mapping: version: 1, output: docker-bake.json, specs: [./...]", Kind: spec.ErrType}}
	}
	keys := []string{"version", "output", "specs", "variables"}
	scalar := func(v *yaml.Node, key string) (string, bool) {
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" || strings.ContainsAny(v.Value, "\n\r") {
			errAt(v, "%s must be a non-empty one-line string", key)
			return "", false
		}
		return v.Value, true
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !slices.Contains(keys, k.Value) {
			errAt(k, "unknown key %q in %s (known keys: %s)", k.Value, ConfigName, strings.Join(keys, ", "))
			continue
		}
		if _, dup := c.positions[k.Value]; dup {
			errAt(k, "key %q appears twice; keep one", k.Value)
			continue
		}
		c.positions[k.Value] = v
		switch k.Value {
		case "version":
			if v.Value != "1" || v.Kind != yaml.ScalarNode {
				errAt(v, "version %q is not supported: this wharf reads version 1", v.Value)
			}
		case "output":
			if out, ok := scalar(v, "output"); ok {
				clean := path.Clean(out)
				switch {
				case path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../"):
					errAt(v, "output %q must be inside the config's folder; write e.g. docker-bake.json", out)
				case !strings.HasSuffix(clean, ".json"):
					errAt(v, "output %q must end in .json: wharf writes bake files in JSON", out)
				default:
					c.Output = clean
				}
			}
		case "specs":
			items := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				items = v.Content
			}
			if len(items) == 0 {
				errAt(v, "specs must name at least one PATH, e.g. [./...]")
			}
			for _, item := range items {
				p, ok := scalar(item, "specs")
				if !ok {
					continue
				}
				if filepath.IsAbs(filepath.FromSlash(p)) {
					errAt(item, "specs entry %q must be relative to the config's folder, e.g. ./... or services/...", p)
					continue
				}
				c.Specs = append(c.Specs, p)
			}
		case "variables":
			if v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.MappingNode {
				errAt(v, "variables must be a mapping, e.g. {REGISTRY: registry.example.com, VERSION: dev}")
				continue
			}
			c.Variables = map[string]string{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				name, val := v.Content[j], v.Content[j+1]
				if !slices.Contains(Variables, name.Value) {
					errAt(name, "variable %q is not one wharf writes; use %s", name.Value, strings.Join(Variables, " or "))
					continue
				}
				s, ok := scalar(val, "variables."+name.Value)
				if !ok {
					continue
				}
				if !variableDefault.MatchString(s) {
					errAt(val, "variables.%s %q may hold letters, digits, '.', '_', ':', '/' and '-' only", name.Value, s)
					continue
				}
				c.Variables[name.Value] = s
			}
		}
	}
	if _, ok := c.positions["version"]; !ok {
		list = append(list, &spec.Error{File: file, Line: 1, Column: 1, Msg: "version is required: add \"version: 1\" as the first line", Kind: spec.ErrRequired})
	}
	if _, ok := c.positions["specs"]; !ok {
		list = append(list, &spec.Error{File: file, Line: 1, Column: 1, Msg: "specs is required: the PATHs the bake file covers, e.g. specs: [./...]", Kind: spec.ErrRequired})
	}
	if c.Output == "" {
		c.Output = DefaultOutput
	}
	if len(list) > 0 {
		return nil, list
	}
	return c, nil
}

// NewConfig is the config that covers args (PATH arguments as given on the
// command line) with the bake file at output, for a config written at file.
func NewConfig(file, output string, args []string, variables map[string]string) (*Config, error) {
	dir, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		return nil, err
	}
	c := &Config{File: file, Output: output, Variables: map[string]string{}}
	for k, v := range variables {
		if !slices.Contains(Variables, k) {
			return nil, fmt.Errorf("--variable %s: wharf writes only the variables %s", k, strings.Join(Variables, " and "))
		}
		if !variableDefault.MatchString(v) {
			return nil, fmt.Errorf("--variable %s=%q: a default may hold letters, digits, '.', '_', ':', '/' and '-' only", k, v)
		}
		c.Variables[k] = v
	}
	if c.Output == "" {
		c.Output = DefaultOutput
	}
	if len(args) == 0 {
		args = []string{"./..."}
	}
	for _, a := range args {
		root, pattern := strings.CutSuffix(filepath.ToSlash(a), "/...")
		if a == "..." {
			root, pattern = ".", true
		}
		abs, err := filepath.Abs(filepath.FromSlash(root))
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(dir, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("%s is outside %s, the folder of %s; put the config higher up (--config)", a, dir, ConfigName)
		}
		rel = filepath.ToSlash(rel)
		if pattern {
			rel = path.Join(".", rel) + "/..."
			if !strings.HasPrefix(rel, ".") {
				rel = "./" + rel
			}
		}
		c.Specs = append(c.Specs, rel)
	}
	if output != "" {
		clean := path.Clean(filepath.ToSlash(output))
		if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || !strings.HasSuffix(clean, ".json") {
			return nil, fmt.Errorf("-o %s: the bake file is a .json file inside the config's folder, e.g. docker-bake.json", output)
		}
		c.Output = clean
	}
	return c, nil
}

// Marshal renders the config as wharf writes it when it creates one.
func (c *Config) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString("# What docker-bake.json covers, for wharf bake and wharf check. Paths are\n")
	b.WriteString("# relative to this file; run docker buildx bake in its folder.\n")
	b.WriteString("version: 1\n")
	fmt.Fprintf(&b, "output: %s\n", c.Output)
	b.WriteString("specs:\n")
	for _, s := range c.Specs {
		fmt.Fprintf(&b, "  - %q\n", s)
	}
	if len(c.Variables) > 0 {
		b.WriteString("variables:\n")
		for _, k := range Variables {
			if v, ok := c.Variables[k]; ok {
				fmt.Fprintf(&b, "  %s: %q\n", k, v)
			}
		}
	}
	return b.Bytes()
}

// FindConfigs returns the bake configs in the folders a walk listed (see
// workspace.ExpandListings), in path order.
func FindConfigs(listings map[string][]fs.DirEntry) []string {
	var out []string
	for dir, entries := range listings {
		for _, e := range entries {
			if e.Name() == ConfigName && e.Type().IsRegular() {
				out = append(out, filepath.Join(dir, ConfigName))
			}
		}
	}
	slices.Sort(out)
	return out
}
