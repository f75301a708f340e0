package spec

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Explain renders the effective spec, after extends and defaults, as YAML
// in the documented key order, each value followed by where it came from:
// "# from ../base.yaml:7", "# from wharf.yaml:3", or "# default" for what
// wharf filled in. Files are named relative to the spec's folder. The
// output is itself a spec that generates the same files, when saved in
// the spec's folder.
func Explain(s *Spec) ([]byte, error) {
	e := &explainer{s: s, dir: filepath.Dir(s.File)}
	root := e.mapping()
	e.add(root, "version", e.scalar("version", "!!int", strconv.Itoa(s.Version)))
	e.add(root, "name", e.str("name", s.Name))
	e.add(root, "language", e.str("language", s.Language))
	e.add(root, "context", e.str("context", s.Context))

	images := e.mapping()
	e.add(images, "builder", e.image("images.builder", s.Images.Builder))
	e.add(images, "runner", e.image("images.runner", s.Images.Runner))
	e.add(root, "images", images)

	build := e.mapping()
	e.add(build, "packages", e.list("build.packages", s.Build.Packages))
	e.add(build, "env", e.dict("build.env", s.Build.Env))
	e.add(build, "args", e.dict("build.args", s.Build.Args))
	e.add(build, "before", e.list("build.before", s.Build.Before))
	e.add(build, "run", e.list("build.run", s.Build.Run))
	e.add(build, "dependency_files", e.list("build.dependency_files", s.Build.DependencyFiles))
	e.add(root, "build", build)

	r := s.Runtime
	runtime := e.mapping()
	e.add(runtime, "packages", e.list("runtime.packages", r.Packages))
	e.add(runtime, "env", e.dict("runtime.env", r.Env))
	e.add(runtime, "user", e.str("runtime.user", r.User))
	e.add(runtime, "workdir", e.str("runtime.workdir", r.Workdir))
	e.add(runtime, "writable", e.list("runtime.writable", r.Writable))
	expose := e.sequence()
	for i, p := range r.Expose {
		path := fmt.Sprintf("runtime.expose[%d]", i)
		if p.Protocol == "tcp" {
			expose.Content = append(expose.Content, e.scalar(path, "!!int", strconv.Itoa(p.Number)))
		} else {
			expose.Content = append(expose.Content, e.str(path, fmt.Sprintf("%d/%s", p.Number, p.Protocol)))
		}
	}
	e.add(runtime, "expose", expose)
	e.add(runtime, "entrypoint", e.list("runtime.entrypoint", r.Entrypoint))
	e.add(runtime, "cmd", e.list("runtime.cmd", r.Cmd))
	if h := r.Healthcheck; h != nil {
		hc := e.mapping()
		e.add(hc, "cmd", e.list("runtime.healthcheck.cmd", h.Cmd))
		for _, f := range []struct{ key, value string }{
			{"interval", h.Interval}, {"timeout", h.Timeout}, {"start_period", h.StartPeriod}, {"start_interval", h.StartInterval},
		} {
			if f.value != "" {
				e.add(hc, f.key, e.str("runtime.healthcheck."+f.key, f.value))
			}
		}
		if h.Retries > 0 {
			e.add(hc, "retries", e.scalar("runtime.healthcheck.retries", "!!int", strconv.Itoa(h.Retries)))
		}
		e.add(runtime, "healthcheck", hc)
	}
	e.add(runtime, "labels", e.dict("runtime.labels", r.Labels))
	if r.Init != "" {
		e.add(runtime, "init", e.str("runtime.init", r.Init))
	}
	e.add(root, "runtime", runtime)

	artifacts := e.sequence()
	for i, a := range s.Artifacts {
		item := e.mapping()
		p := fmt.Sprintf("artifacts[%d]", i)
		e.add(item, "from", e.str(p+".from", a.From))
		e.add(item, "to", e.str(p+".to", a.To))
		artifacts.Content = append(artifacts.Content, item)
	}
	e.add(root, "artifacts", artifacts)
	e.explainStages(root)

	if s.Recipe != nil {
		section := e.mapping()
		s.Recipe.Explain(&Explainer{e}, section)
		e.add(root, s.Language, section)
	}
	e.add(root, "platforms", e.list("platforms", s.Platforms))
	e.add(root, "ignore", e.list("ignore", s.Ignore))
	e.add(root, "output", e.str("output", s.Output))
	if s.Compose != "" {
		e.add(root, "compose", e.str("compose", s.Compose))
	}
	if s.Templates != "" {
		e.add(root, "templates", e.str("templates", e.relative(s.Templates)))
	}
	e.explainPublish(root)

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# The effective spec of %s, after extends and defaults.\n", filepath.ToSlash(s.File))
	if len(s.Extends) > 0 {
		rel := make([]string, len(s.Extends))
		for i, f := range s.Extends {
			rel[i] = e.relative(f)
		}
		fmt.Fprintf(&buf, "# It extends %s.\n", strings.Join(rel, ", "))
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("explain %s: %w", s.File, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("explain %s: %w", s.File, err)
	}
	return buf.Bytes(), nil
}

// explainer builds the YAML tree of an effective spec.
type explainer struct {
	s   *Spec
	dir string
}

// relative names file relative to the spec's folder, with slashes.
func (e *explainer) relative(file string) string {
	if rel, err := filepath.Rel(e.dir, file); err == nil {
		file = rel
	}
	return filepath.ToSlash(file)
}

// origin is the comment saying where the value at path came from.
func (e *explainer) origin(path string) string {
	o, ok := e.s.Origin(path)
	if !ok {
		return "default"
	}
	return fmt.Sprintf("from %s:%d", e.relative(o.File), o.Line)
}

func (e *explainer) mapping() *yaml.Node  { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }
func (e *explainer) sequence() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"} }

func (e *explainer) scalar(path, tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value, LineComment: e.origin(path)}
}

// packageIndex renders {url, secret}, leaving out what is unset.
func (e *explainer) packageIndex(path string, idx *PackageIndex) *yaml.Node {
	m := e.mapping()
	if idx.URL != "" {
		e.add(m, "url", e.str(path+".url", idx.URL))
	}
	if idx.Secret != "" {
		e.add(m, "secret", e.str(path+".secret", idx.Secret))
	}
	return m
}

func (e *explainer) str(path, value string) *yaml.Node { return e.scalar(path, "!!str", value) }

// add sets key in m, leaving out empty lists and mappings.
func (e *explainer) add(m *yaml.Node, key string, value *yaml.Node) {
	if value.Kind != yaml.ScalarNode && len(value.Content) == 0 {
		return
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, value)
}

func (e *explainer) list(path string, items []string) *yaml.Node {
	n := e.sequence()
	for i, item := range items {
		n.Content = append(n.Content, e.str(fmt.Sprintf("%s[%d]", path, i), item))
	}
	return n
}

func (e *explainer) dict(path string, values map[string]string) *yaml.Node {
	n := e.mapping()
	for _, k := range sortedKeys(values) {
		e.add(n, k, e.str(path+"."+k, values[k]))
	}
	return n
}

// image renders a base image in its long form, so the family shows.
func (e *explainer) image(path string, b BaseImage) *yaml.Node {
	n := e.mapping()
	ref := path + ".image"
	if _, ok := e.s.Origin(ref); !ok {
		ref = path // the short form: the image alone
	}
	e.add(n, "image", e.str(ref, b.Ref))
	family := e.str(path+".family", string(b.Family))
	if _, written := e.s.Origin(path); written && family.LineComment == "default" {
		family.LineComment = "default: inferred from the image"
	}
	e.add(n, "family", family)
	return n
}
