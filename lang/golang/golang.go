// Package golang is wharf's Go recipe: binaries built with module and build
// caches in the builder, copied alone into a minimal runner.
//
// It holds everything about the language: the go section of the spec, the
// Dockerfile data and blocks (golang.tmpl), the .dockerignore defaults and
// init's detection.
package golang

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/spec"
)

// Language is the Go language unit.
var Language language

type language struct{}

// Name is the spec's language value and section key.
func (language) Name() string { return "go" }

// Images are the default base images; a cgo binary gets CGORunner.
func (language) Images() spec.Images {
	return spec.Images{
		Builder: spec.BaseImage{Ref: "golang:1.26-trixie", Family: spec.Debian},
		Runner:  spec.BaseImage{Ref: "gcr.io/distroless/static-debian13", Family: spec.Distroless},
	}
}

// CGORunner is the default runner when cgo is on: it has glibc.
var CGORunner = spec.BaseImage{Ref: "gcr.io/distroless/base-debian13", Family: spec.Distroless}

// Recipe is the decoded go section.
type Recipe struct {
	// Main is the package to build, e.g. "./cmd/server", relative to the
	// spec's folder.
	Main   string
	Binary string
	CGO    bool
	// Static links a cgo binary statically (-extldflags=-static), so that
	// it runs on a runner with no C library (distroless static, scratch).
	Static  bool
	LDFlags string
	Tags    []string
}

// What -ldflags values, build tags and binary names may hold: no quotes and
// no shell syntax.
const (
	ldflagsPattern = `^[A-Za-z0-9 _./=:,+@%-]*$`
	tagPattern     = `^[A-Za-z0-9_.]+$`
	binaryPattern  = `^[A-Za-z0-9][A-Za-z0-9._-]*$`
	mainPattern    = `^\.(/[A-Za-z0-9._/@+*-]+)?$`
)

var (
	ldflagsRE = regexp.MustCompile(ldflagsPattern)
	tagRE     = regexp.MustCompile(tagPattern)
	binaryRE  = regexp.MustCompile(binaryPattern)
)

var keys = []string{"main", "binary", "cgo", "static", "ldflags", "tags"}

// Decode reads the go section.
func (language) Decode(d *spec.Decoder, n *yaml.Node) spec.Recipe {
	r := &Recipe{LDFlags: "-s -w"}
	if n != nil {
		d.Fields(n, "go", keys, func(key string, v *yaml.Node, p string) {
			switch key {
			case "main":
				if m, ok := d.NonEmpty(v, p); ok {
					r.Main = goPackage(d, v, p, m)
				}
			case "binary":
				if b, ok := d.NonEmpty(v, p); ok {
					if !binaryRE.MatchString(b) {
						d.Errorf(v, spec.ErrInvalid, "%s %q is not a file name; use letters, digits, '.', '_' and '-'", p, b)
					}
					r.Binary = b
				}
			case "cgo":
				r.CGO = d.Bool(v, p)
			case "static":
				r.Static = d.Bool(v, p)
			case "ldflags":
				if f, ok := d.Text(v, p); ok {
					if !ldflagsRE.MatchString(f) {
						d.Errorf(v, spec.ErrInvalid, "%s %q may hold only flags and values (letters, digits, spaces and _./=:,+@%%-), no quotes or shell syntax", p, f)
					}
					r.LDFlags = f
				}
			case "tags":
				for i, t := range d.List(v, p, "[netgo, osusergo]") {
					if !tagRE.MatchString(t) {
						d.Errorf(d.Item(p, i), spec.ErrInvalid, "%s: %q is not a build tag; use letters, digits, '_' and '.'", p, t)
					}
					r.Tags = append(r.Tags, t)
				}
			}
		})
	}
	if r.Main == "" {
		r.Main = "."
	}
	return r
}

// goPackage checks a package path relative to the spec's folder, like ./cmd/server.
func goPackage(d *spec.Decoder, n *yaml.Node, path, pkg string) string {
	if pkg == "." {
		return pkg
	}
	if !strings.HasPrefix(pkg, "./") {
		d.Errorf(n, spec.ErrPath, "%s %q must be a package path relative to the spec's folder, starting with ./ (e.g. ./cmd/server)", path, pkg)
		return pkg
	}
	return "./" + d.RelPath(n, path, pkg)
}

// Complete names the binary after the spec, picks a runner with a C
// library for cgo, and checks the runner and the environment.
func (r *Recipe) Complete(d *spec.Decoder, s *spec.Spec) {
	if r.Binary == "" {
		r.Binary = s.Name
	}
	if r.Static && !r.CGO {
		d.Errorf(d.At("go.static"), spec.ErrInvalid, "go.static links a cgo binary statically, but go.cgo is false, and a binary without cgo is static already; remove static, or set cgo: true")
	}
	if r.CGO && !r.Static && !d.Has("images.runner") {
		s.Images.Runner = CGORunner
	}
	builder, runner := s.Images.Builder, s.Images.Runner
	if r.CGO && r.Static && builder.Libc() == spec.Musl && runner.Libc() == spec.Glibc {
		// A static musl binary runs anywhere; nothing to check.
	} else if r.CGO && !r.Static {
		d.RequireSameLibc(s, "cgo binaries")
		if runner.Libc() == "" {
			d.Errorf(d.At("images.runner"), spec.ErrLibcMismatch, "go.cgo is true, so the binary links the C library dynamically, but the runner %s has none; use a runner with %s (e.g. gcr.io/distroless/base-debian13 or debian:trixie-slim), set static: true to link it statically, or set cgo: false", runner.Ref, builder.Libc())
		}
		if _, set := s.Build.Env["CGO_ENABLED"]; set {
			d.Errorf(d.At("build.env.CGO_ENABLED"), spec.ErrInvalid, "build.env.CGO_ENABLED is set by go.cgo; remove it from build.env")
		}
	} else if _, set := s.Build.Env["CGO_ENABLED"]; set {
		d.Errorf(d.At("build.env.CGO_ENABLED"), spec.ErrInvalid, "build.env.CGO_ENABLED is set by go.cgo; remove it from build.env and set go.cgo instead")
	}
	u := s.Runtime.User
	if runner.Family == spec.Scratch && !strings.Contains(u, ":") && u != spec.DefaultUser && u != "root" && strings.Trim(u, "0123456789") != "" {
		d.Errorf(d.At("runtime.user"), spec.ErrNoShell, "runtime.user %q cannot be created in a scratch runner (no shell); use a numeric uid such as \"%d\"", u, spec.DefaultUID)
	}
}

// Explain writes the section's effective values.
func (r *Recipe) Explain(e *spec.Explainer, m *yaml.Node) {
	e.Add(m, "main", e.Str("go.main", r.Main))
	e.Add(m, "binary", e.Str("go.binary", r.Binary))
	e.Add(m, "cgo", e.Bool("go.cgo", r.CGO))
	e.Add(m, "static", e.Bool("go.static", r.Static))
	e.Add(m, "ldflags", e.Str("go.ldflags", r.LDFlags))
	e.Add(m, "tags", e.List("go.tags", r.Tags))
}

// Schema is the go section's JSON Schema.
func (language) Schema() *spec.SchemaNode {
	return spec.SchemaObject("The Go recipe: one binary.", map[string]*spec.SchemaNode{
		"main":    spec.SchemaPattern("The package to build, relative to the spec's folder, e.g. ./cmd/server.", mainPattern).WithDefault("."),
		"binary":  spec.SchemaPattern("The binary's file name. Defaults to the spec's name.", binaryPattern),
		"cgo":     spec.SchemaBool("Build with cgo: the binary links the C library dynamically, so the runner needs one (the default runner becomes "+CGORunner.Ref+").", false),
		"static":  spec.SchemaBool("With cgo, link the binary statically (-extldflags=-static, with the netgo and osusergo tags), so it runs on a runner with no C library such as gcr.io/distroless/static-debian13 or scratch. The builder needs the static libraries (lib*-dev packages hold them on Debian).", false),
		"ldflags": spec.SchemaPattern("Flags for go build -ldflags: flags and values only, no quotes or shell syntax.", ldflagsPattern).WithDefault("-s -w"),
		"tags":    spec.SchemaList("Build tags.", spec.SchemaPattern("", tagPattern)).WithExamples([]any{"netgo", "osusergo"}),
	})
}
