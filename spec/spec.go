// Package spec loads and validates wharf specs: the wharf.yaml files that
// describe how a service is built into a container image.
//
// Load and Parse turn YAML into a Spec, with defaults applied and every
// problem reported at once, each with its file, line and column. Code
// downstream trusts a Spec that came out of them.
//
// # Extends
//
// A spec may inherit from shared specs: extends: [../base.yaml, ...]. The
// paths are relative to the file that names them, and a base may extend
// others. Bases may be partial (no name or language); they are validated
// only as part of the spec that extends them, and problems in them are
// reported at their own file, line and column. A cycle is an error that
// prints the chain. The merge rules:
//
//   - Mappings merge key by key, recursively.
//   - A scalar or a list in the extending spec replaces the inherited one.
//   - {append: [...]} in place of any list adds to the inherited list, e.g.
//     packages: {append: [curl]}; with nothing inherited it is the list.
//   - null (key: ~, or the key with no value) removes an inherited value.
//   - Bases apply in the order listed, a later one overriding an earlier
//     one, and the extending spec overrides them all.
//
// Load reads the files a spec extends afresh on each call; a Loader reads
// each once for all the specs it loads, and resolves each once however
// many paths of extends lead to it; specs may be loaded concurrently. A
// chain of extends is at most MaxExtendsDepth files long, a spec inherits
// from at most MaxBases files, holding at most MaxExtendsValues values
// together, and an extends list names each file once; each bound is
// reported at the extends entry that crosses it. The templates key, like
// extends, is relative to the file that names it; every other path in a
// spec is relative to the spec's own folder, and must stay inside the
// build context (the spec's folder, or the folder above it that context
// names).
package spec

import (
	"path"

	"go.yaml.in/yaml/v3"
)

// Spec is a validated wharf spec with defaults applied.
type Spec struct {
	Version int
	Name    string
	// Language names a registered Language, e.g. "python".
	Language string
	Images   Images
	Build    Build
	Runtime  Runtime
	// Artifacts are extra copies from the builder to the runner.
	Artifacts []Artifact
	// Recipe is the decoded section of the spec's language (e.g. a
	// *python.Recipe for language: python), with its defaults applied.
	Recipe Recipe
	// Context is the build context's folder, slash-separated and relative
	// to the spec's folder: "." (the default), or a folder above it such as
	// "../..". SpecDir is the spec's folder as seen from the context, "."
	// when they are the same; InContext turns spec paths into context paths.
	Context, SpecDir string
	// Platforms are the platforms the image is built for, e.g.
	// "linux/arm64", for tools that drive the build (a bake file); the
	// Dockerfile stays platform-agnostic. Empty means the builder's own.
	Platforms []string
	// Ignore holds extra .dockerignore lines.
	Ignore []string
	// Output is the Dockerfile's path, slash-separated and relative to the
	// spec's folder.
	Output string
	// Compose is where the spec's compose.yaml is written, slash-separated
	// and relative to the spec's folder; empty for none (the default).
	Compose string
	// Templates is the folder of custom templates that override built-in
	// template blocks, as a path usable from where File is (it is written
	// relative to the file that names it); empty for the built-ins only.
	Templates string
	// Publish is where wharf bake's target pushes the image; nil when
	// the spec does not say.
	Publish *Publish
	// Stages are extra build stages, each built with another language's
	// recipe, whose output the runner copies (see Stage).
	Stages []Stage

	// File is the path the spec was read from, as given to Load or Parse.
	File string
	// Extends lists the files the spec inherits from through extends,
	// directly or not, in the order met, as paths usable from where File is.
	Extends []string
	// Warnings are problems that do not stop generation, such as values
	// that look like secrets.
	Warnings []*Error

	// fields maps field paths ("runtime.user") to the YAML value
	// decoded there; fields wharf filled in are absent. Origin looks up
	// where each was written only when asked.
	fields *fieldNodes
}

// fieldNodes are the YAML values of a spec's fields, with what Origin
// needs to tell their files.
type fieldNodes struct {
	file   string // the spec's own file
	nodes  map[string]*yaml.Node
	origin *origins
}

// Origin is where a value of the effective spec was written.
type Origin struct {
	File   string // as in Error.File
	Line   int
	Column int
}

// Origin returns where the value at a field path such as "runtime.user",
// "build.packages[0]" or "runtime.env.PORT" was written, and false when
// wharf filled it in (a default) or it is not set.
func (s *Spec) Origin(path string) (Origin, bool) {
	if s.fields == nil {
		return Origin{}, false
	}
	n := s.fields.nodes[path]
	if n == nil {
		return Origin{}, false
	}
	file, ok := s.fields.origin.get(n)
	if !ok {
		file = s.fields.file
	}
	return Origin{File: file, Line: n.Line, Column: n.Column}, true
}

// FieldOf returns the path of a field whose value is v, a path relative
// to the spec's folder as wharf uses it (so "./a/../b" is "b"), and where
// it was written; the first path in sorted order when several are. It is
// for messages about something wharf derived from a value.
func (s *Spec) FieldOf(v string) (string, Origin, bool) {
	if s.fields == nil {
		return "", Origin{}, false
	}
	var best string
	for p, n := range s.fields.nodes {
		if n != nil && n.Kind == yaml.ScalarNode && (n.Value == v || path.Clean(n.Value) == v) && (best == "" || p < best) {
			best = p
		}
	}
	if best == "" {
		return "", Origin{}, false
	}
	o, ok := s.Origin(best)
	return best, o, ok
}

// Images names the base images of the two stages.
type Images struct {
	Builder BaseImage
	Runner  BaseImage
}

// Build describes the builder stage.
type Build struct {
	// Packages are build dependencies installed with the family's package manager.
	Packages []string
	Env      map[string]string
	// Args become ARG instructions with these defaults.
	Args map[string]string
	// Before holds shell steps run in the builder after the source is
	// copied and before the language's build step, e.g. to generate code;
	// like Run, they mount the language's caches.
	Before []string
	// Run holds extra shell steps, run after the language's build step.
	Run []string
	// DependencyFiles are copied into the builder before the dependency
	// step, next to the language's manifests (e.g. local packages that a
	// requirements file names).
	DependencyFiles []string
}

// Runtime describes the runner stage.
type Runtime struct {
	Packages []string
	Env      map[string]string
	// User is "root", a user name that wharf creates with UID and GID
	// DefaultUID, or a numeric "uid" or "uid:gid" used as is.
	User    string
	Workdir string
	// Writable are folders of the runner that the user owns (absolute,
	// cleaned); everything else stays root's.
	Writable    []string
	Expose      []Port
	Entrypoint  []string
	Cmd         []string
	Healthcheck *Healthcheck
	Labels      map[string]string
	// Init is the runner's PID 1: InitTini runs the command under tini,
	// which forwards signals and reaps zombies; InitNone runs it as PID 1.
	// The language's Complete picks the default when the spec sets none.
	Init string
}

// The runner's init processes (runtime.init).
const (
	InitTini = "tini"
	InitNone = "none"
)

// TiniImage is the image of the stage that fetches a static tini for a
// runner with no package manager: Debian's tini package ships
// /usr/bin/tini-static, for every architecture Debian builds.
const TiniImage = "debian:trixie-slim"

// StaticTini reports whether the runner gets tini as a static binary from
// a stage of its own (TiniImage) rather than from its package manager:
// runtime.init is tini and the runner has no shell.
func (s *Spec) StaticTini() bool {
	return s.Runtime.Init == InitTini && !s.Images.Runner.Family.HasShell()
}

// DefaultUser is the non-root user the runner runs as unless told otherwise.
const DefaultUser = "app"

// DefaultUID is the UID and GID of the user wharf creates in the runner.
const DefaultUID = 10001

// Port is a port the runner exposes.
type Port struct {
	Number   int
	Protocol string // "tcp" or "udp"
}

// Healthcheck is the runner's HEALTHCHECK, in exec form. Durations are
// kept as written (Go duration syntax, e.g. "30s"); empty means Docker's default.
type Healthcheck struct {
	Cmd           []string
	Interval      string
	Timeout       string
	StartPeriod   string
	StartInterval string
	Retries       int
}

// Artifact is a path copied from the builder to the runner.
type Artifact struct {
	From string
	To   string
}

// PackageIndex is a private package index (pip) or registry (npm, yarn,
// pnpm) that the builder installs dependencies from. Credentials are never
// in the spec, the Dockerfile or the image: the install step mounts them
// from a BuildKit secret, given at build time with
// docker build --secret id=<Secret>,src=<file>.
type PackageIndex struct {
	// URL is the index's address, without credentials; "" keeps the tool's
	// default (or what the secret's file says).
	URL string
	// Secret is the id of the BuildKit secret holding the login, or ""
	// when the index needs none.
	Secret string
}

// InContext returns the path p, relative to the spec's folder, relative to
// the build context instead.
func (s *Spec) InContext(p string) string {
	if s.SpecDir == "" || s.SpecDir == "." {
		return p
	}
	return path.Join(s.SpecDir, p)
}
