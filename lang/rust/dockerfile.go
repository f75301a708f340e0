package rust

import (
	"embed"
	"io/fs"
	"path"
	"slices"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Build is the Rust data the blocks read (.Rust).
type Build struct {
	*Recipe
	// Manifest is the Cargo.toml to build when the spec's folder is below
	// the build context (--manifest-path), else "".
	Manifest string
	// TargetDir is cargo's target folder in the builder, a cache mount;
	// Release is the folder the binaries land in, below it.
	TargetDir, Release string
	// Binaries are built in one step, copied out of the cache mount into
	// /out, and from there into the runner.
	Binaries []Binary
	// Registry and Git are the cache mounts of Cargo's downloads, in the
	// official image's CARGO_HOME (/usr/local/cargo).
	Registry, Git string
}

// Binary is one binary the builder compiles.
type Binary struct {
	Name string
	// Built is where cargo writes it (in the target cache mount); Out is
	// where the builder keeps it; Installed is where the runner has it.
	Built, Out, Installed string
}

//go:embed *.tmpl
var blocks embed.FS

// Field is the name of the recipe's data in templates.
func (language) Field() string { return "Rust" }

// Blocks are rust.tmpl's blocks.
func (language) Blocks() fs.FS { return blocks }

// CargoHome is CARGO_HOME in the official rust images.
const CargoHome = "/usr/local/cargo"

// muslToolchain is what a musl target needs in a builder of each family,
// for crates that compile C code (ring, zstd-sys).
var muslToolchain = map[spec.Family][]string{
	spec.Debian: {"musl-tools"},
	spec.Alpine: {"musl-dev"},
}

// Prepare sets the Rust data: the binaries, the musl toolchain for a
// static build, CA certificates on Debian runners, and the first binary
// as the entrypoint.
func (language) Prepare(d *generate.Dockerfile, s *spec.Spec) generate.Prepared {
	r := s.Recipe.(*Recipe)
	b := &Build{Recipe: r, TargetDir: generate.SourceDir + "/target", Registry: CargoHome + "/registry", Git: CargoHome + "/git"}
	if s.SpecDir != "." && s.SpecDir != "" {
		b.Manifest = path.Join(s.SpecDir, "Cargo.toml")
	}
	b.Release = path.Join(b.TargetDir, r.Target, "release")
	for _, name := range r.Bins {
		b.Binaries = append(b.Binaries, Binary{Name: name, Built: path.Join(b.Release, name), Out: "/out/" + name, Installed: "/usr/local/bin/" + name})
	}
	d.Recipe = b
	d.Builder.Caches = []string{b.Registry, b.Git, b.TargetDir}
	if r.Static {
		d.Builder.Packages = append(slices.Clone(d.Builder.Packages), muslToolchain[d.Builder.Family]...)
	}
	if def := d.Runner.Family.Def(); def != nil && def.Shell {
		d.Runner.Packages = append(slices.Clone(d.Runner.Packages), def.CA...)
	}
	if len(d.Runner.Entrypoint) == 0 {
		d.Runner.Entrypoint = []string{b.Binaries[0].Installed}
	}
	return generate.Prepared{}
}

// Ignore lists what a Rust build never needs: Cargo's output.
func (language) Ignore(*spec.Spec) []string { return []string{"**/target", "**/*.rs.bk"} }
