// Package rust is wharf's Rust recipe: Cargo builds the binaries in the
// builder with the registry, git checkouts and target/ as cache mounts, and
// the runner receives only the binaries.
//
// It holds everything about the language: the rust section of the spec,
// the Dockerfile data and blocks (rust.tmpl), the .dockerignore defaults
// and init's detection.
package rust

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec"
)

// Language is the Rust language unit.
var Language language

type language struct{}

// Name is the spec's language value and section key.
func (language) Name() string { return "rust" }

// Images are the default base images: the official Rust image on Debian
// 12, whose glibc the distroless cc runner (also Debian 12) matches; a
// static binary gets StaticRunner.
func (language) Images() spec.Images {
	return spec.Images{
		Builder: spec.BaseImage{Ref: "rust:1-trixie", Family: spec.Debian},
		Runner:  spec.BaseImage{Ref: "gcr.io/distroless/cc-debian13", Family: spec.Distroless},
	}
}

// StaticRunner is the default runner of a static (musl) binary.
var StaticRunner = spec.BaseImage{Ref: "gcr.io/distroless/static-debian13", Family: spec.Distroless}

// DefaultStaticTarget is the target static: true builds for when the spec
// names none.
const DefaultStaticTarget = "x86_64-unknown-linux-musl"

// Recipe is the decoded rust section.
type Recipe struct {
	// Package is the workspace member to build (cargo build -p), or "".
	Package string
	// Bins are the binaries to build (--bin each) and copy into the
	// runner; the first is the default entrypoint. Defaults to the spec's name.
	Bins     []string
	Features []string
	// NoDefaultFeatures turns off the package's default features.
	NoDefaultFeatures bool
	// Target is the target triple (--target), or "" for the builder's own.
	Target string
	// Static says the binary links no C library at run time: a musl target.
	Static bool
}

// What names may hold: Cargo's rules, narrowed to what needs no quoting.
const (
	namePattern    = `^[A-Za-z0-9_][A-Za-z0-9_-]*$`
	featurePattern = `^[A-Za-z0-9_][A-Za-z0-9_+.-]*(/[A-Za-z0-9_][A-Za-z0-9_+.-]*)?$`
	targetPattern  = `^[a-z0-9_]+(-[a-z0-9_.]+){2,3}$`
)

var (
	nameRE    = lazyregexp.New(namePattern)
	featureRE = lazyregexp.New(featurePattern)
	targetRE  = lazyregexp.New(targetPattern)
)

var keys = []string{"package", "bin", "features", "default_features", "target", "static"}

// Decode reads the rust section.
func (language) Decode(d *spec.Decoder, n *yaml.Node) spec.Recipe {
	r := &Recipe{}
	if n == nil {
		return r
	}
	d.Fields(n, "rust", keys, func(key string, v *yaml.Node, p string) {
		switch key {
		case "package":
			if s, ok := d.NonEmpty(v, p); ok {
				if !nameRE.MatchString(s) {
					d.Errorf(v, spec.ErrInvalid, "%s %q is not a Cargo package name; use letters, digits, '_' and '-'", p, s)
				}
				r.Package = s
			}
		case "bin":
			for i, b := range d.List(v, p, "[server]") {
				if !nameRE.MatchString(b) {
					d.Errorf(d.Item(p, i), spec.ErrInvalid, "%s: %q is not a Cargo binary name; use letters, digits, '_' and '-'", p, b)
				}
				r.Bins = append(r.Bins, b)
			}
		case "features":
			for i, f := range d.List(v, p, "[tls, \"serde/derive\"]") {
				if !featureRE.MatchString(f) {
					d.Errorf(d.Item(p, i), spec.ErrInvalid, "%s: %q is not a Cargo feature; use letters, digits and _+.- (or package/feature)", p, f)
				}
				r.Features = append(r.Features, f)
			}
		case "default_features":
			r.NoDefaultFeatures = !d.Bool(v, p)
		case "target":
			if t, ok := d.NonEmpty(v, p); ok {
				if !targetRE.MatchString(t) || !strings.Contains(t, "-linux-") {
					d.Errorf(v, spec.ErrInvalid, "%s %q is not a Linux target triple; write one such as %s or aarch64-unknown-linux-gnu", p, t, DefaultStaticTarget)
				}
				r.Target = t
			}
		case "static":
			r.Static = d.Bool(v, p)
		}
	})
	return r
}

// Musl reports whether the target links musl, which Rust links statically.
func (r *Recipe) Musl() bool { return strings.Contains(r.Target, "-musl") }

// Complete names the binary after the spec, makes static and a musl
// target agree, picks the static runner, and checks that the runner has
// the C library a glibc binary needs.
func (r *Recipe) Complete(d *spec.Decoder, s *spec.Spec) {
	if len(r.Bins) == 0 {
		r.Bins = []string{s.Name}
	}
	switch {
	case r.Static && r.Target == "":
		r.Target = DefaultStaticTarget
	case r.Static && !r.Musl():
		d.Errorf(d.At("rust.static"), spec.ErrInvalid, "rust.static is true, but rust.target %s is not a musl target, so the binary would link glibc dynamically; use a musl target (e.g. %s) or remove static", r.Target, DefaultStaticTarget)
	case r.Musl():
		r.Static = true
	}
	if r.Static && !d.Has("images.runner") {
		s.Images.Runner = StaticRunner
	}
	builder, runner := s.Images.Builder, s.Images.Runner
	if !r.Static {
		d.RequireSameLibc(s, "Rust binaries")
		if runner.Libc() == "" {
			d.Errorf(d.At("images.runner"), spec.ErrLibcMismatch, "the Rust binary links %s dynamically, but the runner %s has no C library; use a runner with one (e.g. gcr.io/distroless/cc-debian13 or debian:trixie-slim), or build a static binary with rust.static: true (target %s)", libcOr(builder.Libc()), runner.Ref, DefaultStaticTarget)
		}
	}
	u := s.Runtime.User
	if runner.Family == spec.Scratch && !strings.Contains(u, ":") && u != spec.DefaultUser && u != "root" && strings.Trim(u, "0123456789") != "" {
		d.Errorf(d.At("runtime.user"), spec.ErrNoShell, "runtime.user %q cannot be created in a scratch runner (no shell); use a numeric uid such as \"%d\"", u, spec.DefaultUID)
	}
}

func libcOr(libc string) string {
	if libc == "" {
		return "the C library"
	}
	return libc
}

// Explain writes the section's effective values.
func (r *Recipe) Explain(e *spec.Explainer, m *yaml.Node) {
	if r.Package != "" {
		e.Add(m, "package", e.Str("rust.package", r.Package))
	}
	e.Add(m, "bin", e.List("rust.bin", r.Bins))
	e.Add(m, "features", e.List("rust.features", r.Features))
	e.Add(m, "default_features", e.Bool("rust.default_features", !r.NoDefaultFeatures))
	if r.Target != "" {
		e.Add(m, "target", e.Str("rust.target", r.Target))
	}
	e.Add(m, "static", e.Bool("rust.static", r.Static))
}

// Schema is the rust section's JSON Schema.
func (language) Schema() *spec.SchemaNode {
	return spec.SchemaObject("The Rust recipe: cargo build --release --locked with cache mounts, the binaries alone in the runner.", map[string]*spec.SchemaNode{
		"package":          spec.SchemaPattern("The workspace member to build (cargo build -p); unset builds the package at the build context's root.", namePattern),
		"bin":              spec.SchemaList("The binaries to build (--bin each) and copy into the runner; the first is the ENTRYPOINT. Defaults to the spec's name.", spec.SchemaPattern("", namePattern)).WithExamples([]any{"server"}),
		"features":         spec.SchemaList("Cargo features to enable (--features).", spec.SchemaPattern("", featurePattern)),
		"default_features": spec.SchemaBool("Enable the package's default features; false passes --no-default-features.", true),
		"target":           spec.SchemaPattern("The target triple (--target), e.g. "+DefaultStaticTarget+"; a musl target builds a static binary.", targetPattern),
		"static":           spec.SchemaBool("Build a static binary, with a musl target ("+DefaultStaticTarget+" unless target says), that runs on any runner, scratch included; the default runner becomes "+StaticRunner.Ref+".", false),
	})
}
