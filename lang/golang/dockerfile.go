package golang

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Build is the Go data the blocks read (.Go): the recipe, its binaries,
// and whether the builder cross-compiles.
type Build struct {
	*Recipe
	// Binaries are built in one step and copied into the runner; the
	// first is the spec's main package, whose paths Main, Out and
	// Installed repeat for blocks written for one binary.
	Binaries []Binary
	// Main is the first binary's package, relative to the build context.
	Main string
	// Out is where the builder writes the first binary; Installed where
	// the runner has it.
	Out, Installed string
	// Cross says the builder runs on the build platform and compiles for
	// the target's (TARGETOS, TARGETARCH): without cgo, or with cgo on a
	// Debian builder (CrossCGO).
	Cross bool
	// CrossCGO says the builder installs a C toolchain for the target
	// platform (Debian's cross gcc) and the target's packages,
	// TargetPackages (build.packages, each name:$arch), and cgo uses it.
	CrossCGO       bool
	TargetPackages []string
	// LDFlags and Tags are the recipe's, with what a static cgo binary
	// needs; in LDFlags, each build argument is written ${NAME}.
	LDFlags string
	Tags    []string
	// LDFlagArgs are the build arguments LDFlags uses, with their
	// build.args defaults, sorted: declared right before the build step
	// (not with the other build.args at the top of the builder, so that a
	// new value leaves the dependency step cached), and checked against
	// ArgChars by the build step.
	LDFlagArgs []generate.Var
	// ArgChars is what such an argument's value may hold, as the inside
	// of a shell bracket expression (golang.ArgChars).
	ArgChars string
	// ModCache is the module cache, which the dependency step mounts.
	ModCache string
}

// Binary is one binary the builder compiles.
type Binary struct {
	// Main is its package, relative to the build context (./cmd/server).
	Main string
	// Out is where the builder writes it; Installed where the runner has it.
	Out, Installed string
}

// ModCache and BuildCache are the golang images' module and build caches,
// which the builder mounts as caches: the dependency step the first, the
// build step both, and so build.before and build.run steps.
const (
	ModCache   = "/go/pkg/mod"
	BuildCache = "/root/.cache/go-build"
)

//go:embed *.tmpl
var blocks embed.FS

// Field is the name of the recipe's data in templates.
func (language) Field() string { return "Go" }

// Blocks are golang.tmpl's blocks.
func (language) Blocks() fs.FS { return blocks }

// Prepare sets the Go data: the binaries, the C toolchain for cgo, CA
// certificates on Debian runners, and the binary as the entrypoint.
func (language) Prepare(d *generate.Dockerfile, s *spec.Spec) generate.Prepared {
	r := s.Recipe.(*Recipe)
	bins := make([]Binary, len(r.Programs))
	for i, prog := range r.Programs {
		main := prog.Main
		if s.SpecDir != "." && s.SpecDir != "" {
			main = "./" + path.Join(s.SpecDir, main)
		}
		bins[i] = Binary{Main: main, Out: "/out/" + prog.Binary, Installed: "/usr/local/bin/" + prog.Binary}
	}
	bin := bins[0]
	b := &Build{Recipe: r, Binaries: bins, Main: bin.Main, Out: bin.Out, Installed: bin.Installed, Cross: !r.CGO, LDFlags: r.LDFlags, Tags: r.Tags, ArgChars: ArgChars, ModCache: ModCache}
	if refs := r.ArgRefs(); len(refs) > 0 {
		b.LDFlags = argRefRE.ReplaceAllString(b.LDFlags, "$${$1$2}")
		d.Builder.Args = slices.DeleteFunc(slices.Clone(d.Builder.Args), func(v generate.Var) bool {
			if slices.Contains(refs, v.Key) {
				b.LDFlagArgs = append(b.LDFlagArgs, v)
				return true
			}
			return false
		})
	}
	if r.CGO && r.Static {
		b.LDFlags = strings.TrimSpace(b.LDFlags + " -linkmode=external -extldflags=-static")
		for _, t := range []string{"netgo", "osusergo"} {
			if !slices.Contains(b.Tags, t) {
				b.Tags = append(slices.Clone(b.Tags), t)
			}
		}
	}
	d.Recipe = b
	d.Builder.Caches = []string{ModCache, BuildCache}
	if b.Cross {
		d.Builder.Platform = "$BUILDPLATFORM"
	}
	env := map[string]string{"CGO_ENABLED": "0"}
	if r.CGO {
		env["CGO_ENABLED"] = "1"
		if d.Builder.Family == spec.Debian {
			b.CrossCGO, b.Cross = true, true
			b.TargetPackages = targetPackages(d.Builder.Packages)
			d.Builder.Packages = nil
			d.Builder.Platform = "$BUILDPLATFORM"
		} else {
			d.Builder.Packages = append(slices.Clone(d.Builder.Packages), d.Builder.Family.Def().CToolchain...)
		}
	}
	if p := r.Private; p != nil {
		env["GOPRIVATE"] = strings.Join(p.Modules, ",")
		if d.Builder.Family == spec.Alpine { // Debian's golang images have git and ssh
			d.Builder.Packages = append(slices.Clone(d.Builder.Packages), "git")
			if p.SSH {
				d.Builder.Packages = append(d.Builder.Packages, "openssh-client")
			}
		}
	}
	if def := d.Runner.Family.Def(); def != nil && def.Shell {
		d.Runner.Packages = append(slices.Clone(d.Runner.Packages), def.CA...)
	}
	if len(d.Runner.Entrypoint) == 0 {
		d.Runner.Entrypoint = []string{bin.Installed}
	}
	return generate.Prepared{Manifests: []string{"go.mod", "go.sum*"}, BuilderEnv: env}
}

// targetPackages are Debian packages for the target architecture: each
// name gets :$arch (set by the debian-target-arch block) unless it names
// an architecture already; sorted, each once.
func targetPackages(pkgs []string) []string {
	out := make([]string, 0, len(pkgs))
	for _, p := range pkgs {
		if name, version, ok := strings.Cut(p, "="); !strings.Contains(name, ":") {
			p = name + ":$arch"
			if ok {
				p += "=" + version
			}
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Ignore lists what a Go build never needs.
func (language) Ignore(*spec.Spec) []string { return []string{"**/*.test", "**/*.out"} }
