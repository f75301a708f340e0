package spec

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
)

// Publish says where a service's image is pushed: the repository and tags
// of the targets that wharf bake writes, and the registry cache they share.
// It does not change the Dockerfile. The patterns may hold the
// placeholders {name} (the spec's name), {registry} and {version}, which
// the bake file turns into its REGISTRY and VERSION variables, so that CI
// fills them in. Set it once, in a base spec every service extends.
type Publish struct {
	// Repository is the image's repository without a tag, e.g.
	// "{registry}/shop/{name}".
	Repository string
	// Tags are the tags pushed, e.g. ["{version}", "latest"]; default
	// ["{version}"].
	Tags []string
	// Cache is a registry cache reference, e.g.
	// "{registry}/shop/{name}:buildcache", read before and written
	// (mode=max) after each build; "" for none.
	Cache string
}

// PublishPlaceholders are the placeholders Publish patterns may hold.
var PublishPlaceholders = []string{"{name}", "{registry}", "{version}"}

// ExpandPublish replaces the placeholders of a Publish pattern: {name}
// with name, and {registry} and {version} with registry and version.
func ExpandPublish(pattern, name, registry, version string) string {
	if !strings.Contains(pattern, "{") {
		return pattern
	}
	pattern = strings.ReplaceAll(pattern, "{name}", name)
	pattern = strings.ReplaceAll(pattern, "{registry}", registry)
	return strings.ReplaceAll(pattern, "{version}", version)
}

var placeholder = lazyregexp.New(`\{[^{}]*\}`)

// publish decodes {repository, tags, cache}.
func (d *decoder) publish(n *yaml.Node, path string, s *Spec) {
	pub := &Publish{}
	var repoSet bool
	if !d.fields(n, path, []string{"repository", "tags", "cache"}, func(key string, v *yaml.Node, p string) {
		switch key {
		case "repository":
			repoSet = true
			if r, ok := d.nonEmpty(v, p); ok && d.placeholders(v, p, r) {
				pub.Repository = r
				sample := ExpandPublish(r, "svc", "registry.example.com", "1.0")
				if name, tag, digest := splitImageRef(sample); tag != "" || digest != "" || name != sample {
					d.errorf(v, ErrInvalid, "%s %q holds a tag or digest; write the repository alone, e.g. {registry}/shop/{name}, and the tags under tags", p, r)
				} else if why := ImageRefProblem(sample); why != "" {
					d.errorf(v, ErrInvalid, "%s %q is not a valid repository once filled in (as %q); %s", p, r, sample, why)
				}
			}
		case "tags":
			pub.Tags = d.list(v, p, `["{version}", latest]`)
			for i, t := range pub.Tags {
				item := d.nodes[itemPath(p, i)]
				if !d.placeholders(item, itemPath(p, i), t) {
					continue
				}
				if sample := ExpandPublish(t, "svc", "registry.example.com", "1.0"); !imageTag.MatchString(sample) {
					d.errorf(item, ErrInvalid, "%s[%d] %q is not a valid tag once filled in (as %q): 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'", p, i, t, sample)
				}
			}
		case "cache":
			if c, ok := d.nonEmpty(v, p); ok && d.placeholders(v, p, c) {
				pub.Cache = c
				if sample := ExpandPublish(c, "svc", "registry.example.com", "1.0"); ImageRefProblem(sample) != "" {
					d.errorf(v, ErrInvalid, "%s %q is not a valid image reference once filled in (as %q); %s", p, c, sample, ImageRefProblem(sample))
				}
			}
		default:
			panic("spec: no case for key " + key)
		}
	}) {
		return
	}
	if !repoSet {
		d.errorf(n, ErrRequired, "%s.repository is required: where the image is pushed, e.g. repository: \"{registry}/shop/{name}\"", path)
	}
	if pub.Tags == nil {
		pub.Tags = []string{"{version}"}
	}
	s.Publish = pub
}

// placeholders reports whether every {...} in value is one of
// PublishPlaceholders, reporting those that are not.
func (d *decoder) placeholders(n *yaml.Node, p, value string) bool {
	if !strings.ContainsAny(value, "{}$") {
		return true
	}
	if rest := ExpandPublish(value, "", "", ""); !strings.ContainsAny(rest, "{}$") {
		return true // only known placeholders
	}
	for _, ph := range placeholder.FindAllString(value, -1) {
		if !slices.Contains(PublishPlaceholders, ph) {
			d.errorf(n, ErrInvalid, "%s %q holds the placeholder %s; use %s", p, value, ph, strings.Join(PublishPlaceholders, ", "))
			return false
		}
	}
	if strings.ContainsAny(placeholder.ReplaceAllString(value, ""), "{}$") {
		d.errorf(n, ErrInvalid, "%s %q holds '{', '}' or '$' outside a placeholder; use %s", p, value, strings.Join(PublishPlaceholders, ", "))
		return false
	}
	return true
}

// publishSchema describes the publish key.
func publishSchema() *SchemaNode {
	ph := "Placeholders: {name} (the spec's name), {registry} and {version} (the bake file's REGISTRY and VERSION variables)."
	return object("Where wharf bake's target pushes the image, and its registry cache. Set it once in a base spec. "+ph, map[string]*SchemaNode{
		"repository": withExamples(text("The image repository, without a tag. "+ph), "{registry}/shop/{name}"),
		"tags":       withDefault(list("Tags pushed. "+ph, nil), []any{"{version}"}),
		"cache":      withExamples(text("A registry cache reference, read before each build and written with mode=max after it. "+ph), "{registry}/shop/{name}:buildcache"),
	}, "repository")
}

// explainPublish adds publish to the explained spec.
func (e *explainer) explainPublish(root *yaml.Node) {
	if p := e.s.Publish; p != nil {
		m := e.mapping()
		e.add(m, "repository", e.str("publish.repository", p.Repository))
		e.add(m, "tags", e.list("publish.tags", p.Tags))
		if p.Cache != "" {
			e.add(m, "cache", e.str("publish.cache", p.Cache))
		}
		e.add(root, "publish", m)
	}
}
