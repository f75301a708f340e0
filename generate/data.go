package generate

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/wharf-dev/wharf/spec"
)

// Dockerfile is the data of a spec's Dockerfile: the spec, resolved into
// what each stage needs. Template blocks receive it as a map holding these
// fields, and the language's data under the language's Field as well
// (.Python, .Go, .Node), nil for the other languages.
type Dockerfile struct {
	// SpecFile is the spec's path relative to the Dockerfile, for the header.
	SpecFile string
	Language string
	Builder  Stage
	Runner   Stage
	// DependencyCopies copy the dependency manifests into the builder
	// before the dependency step, so that layer stays cached until they change.
	DependencyCopies []Copy
	// Artifacts are copied from the builder into the runner.
	Artifacts []spec.Artifact
	// Recipe is the language's data, which its Prepare sets.
	Recipe any
	// Writable are the runtime.writable folders, in the spec's order.
	Writable []WritableFolder
	// Tini, when set, is the stage that fetches a static tini for the
	// target platform, for a runner with no package manager.
	Tini *TiniStage
	// Spec is the whole spec, for custom templates that need more.
	Spec *spec.Spec
	// Stages are the spec's extra build stages (spec.Stage), each the
	// Dockerfile data of its language's builder blocks, with its Builder
	// named after the stage; the runner copies each one's Builder.Output
	// to its Builder.To.
	Stages []*Dockerfile

	pins Pins
	lang Language
}

// Image returns ref pinned to its digest when wharf.lock records it, for
// images a language's steps name besides the stages' (COPY --from=...);
// see spec.ImageRecipe.
func (d *Dockerfile) Image(ref string) string { return d.pins.ref(ref) }

// templateData is d as template blocks see it: a map of its fields, with
// the recipe also under each registered language's Field (nil for all but
// the spec's), so that blocks can write .Python.Project or {{if .Go}}.
func (d *Dockerfile) templateData(lang Language) map[string]any {
	stages := make([]map[string]any, len(d.Stages))
	for i, st := range d.Stages {
		stages[i] = st.templateData(st.lang)
	}
	m := map[string]any{
		"SpecFile":         d.SpecFile,
		"Language":         d.Language,
		"Builder":          d.Builder,
		"Runner":           d.Runner,
		"DependencyCopies": d.DependencyCopies,
		"Artifacts":        d.Artifacts,
		"Recipe":           d.Recipe,
		"Tini":             d.Tini,
		"Writable":         d.Writable,
		"Spec":             d.Spec,
		"Stages":           stages,
	}
	languages.RLock()
	for _, l := range languages.list {
		m[l.Field()] = nil
	}
	languages.RUnlock()
	m[lang.Field()] = d.Recipe
	return m
}

// Stage is one stage of the Dockerfile.
type Stage struct {
	Name  string // "builder" or "runner"
	Image string
	// Platform is the stage's FROM --platform, e.g. "$BUILDPLATFORM" for a
	// builder that cross-compiles; "" builds for the target platform.
	Platform string
	Family   spec.Family
	// Debian, Alpine and Scratch report the Family, so that templates can
	// dispatch on it without calling eq.
	Debian, Alpine, Scratch bool
	// Packages are installed with the family's package manager, sorted.
	Packages []string
	// PackageCache says the install mounts the package manager's caches
	// (apt's, sharing=locked) instead of deleting its lists: the builder's,
	// whose layers never ship.
	PackageCache bool
	Args         []Var
	Env          []Var
	// Before and Run hold the spec's shell steps, before and after the
	// language's build step (builder only).
	Before, Run []string
	// Caches are the folders the language's build step mounts as caches,
	// which Before and Run mount too (builder only); the language's
	// Prepare sets them, and its build step's block reads them.
	Caches []string
	// User is who the runner runs as (runner only).
	User User
	// Workdir is the stage's working directory.
	Workdir string
	// Source is the folder of the build context that the builder copies
	// into Workdir (COPY <Source> .): "." for the spec's builder, the
	// stage's folder for an extra build stage (builder only).
	Source string
	// Excludes are folders of Source that the builder's copy leaves out:
	// the extra build stages' folders, which their own stages build
	// (the spec's builder only).
	Excludes []string
	// Output is the folder an extra build stage's build writes, which the
	// runner copies to To (extra build stages only).
	Output, To string
	// The runner's metadata.
	Expose      []string
	Healthcheck *spec.Healthcheck
	Labels      []Var
	// MetadataArgs are the build arguments of the OCI labels (see
	// OCILabels) that the spec's labels leave to the build, with their
	// defaults ("" for none), declared after the install steps (runner).
	MetadataArgs []Var
	// MetadataLabelArgs are the arguments that hold the last part of each
	// such label's key: "revision" when REVISION is not empty, else ""
	// (REVISION_LABEL=${REVISION:+revision}); the title has none (runner).
	MetadataLabelArgs []Var
	// MetadataLabels are the LABEL pairs of MetadataArgs, written before
	// Labels: an empty argument's pair lands on the title's key, which the
	// title's pair, written last, replaces (runner).
	MetadataLabels []Var
	Entrypoint     []string
	Cmd            []string
}

// TiniStage is the "tini" stage: it runs on the build platform (no
// emulator) and extracts the target architecture's static tini from
// Debian's package, which the runner copies to Path.
type TiniStage struct {
	Image string
	Path  string
}

// StaticTiniPath is where a runner with no package manager gets tini: the
// path Debian's package installs it at.
const StaticTiniPath = "/usr/bin/tini"

// Var is a name and its value, for ENV, ARG and LABEL.
type Var struct {
	Key, Value string
	// Quoted is the value as quote renders it.
	Quoted string
}

// User is the runner's user.
type User struct {
	// Create is the name of the user and group to create with ID, or ""
	// when the user exists already (root, a numeric ID, or a shell-less image).
	Create string
	ID     int
	// Directive is the USER instruction's argument.
	Directive string
}

// Copy is a COPY from the build context.
type Copy struct {
	Src []string
	Dst string
	// Parents keeps each source's folders below the context (COPY
	// --parents), for a "**" pattern.
	Parents bool
}

// SourceDir is where the builder holds the build context.
const SourceDir = "/src"

// WritableDir is the builder's folder that holds the runtime.writable
// folders it makes: WritableDir/<i>/<name>, owned by the runner's user.
const WritableDir = "/writable"

// WritableFolder is one runtime.writable folder. The builder makes Made,
// owned by the runner's user, alone in From; the runner copies From's
// content into To, the folder's parent (COPY --link --from=builder, not
// --chown). A copy from another stage keeps the owner of what it copies,
// but not of the destination folder or of the folders it makes above it,
// which are root's, mode 0755: so Made keeps its owner, and its parents
// stay root's (--chown gives those to the user, and with --link replaces
// the image's own, the workdir's included: measured, see the README's
// "Writable folders"). The e2e case go-writable checks both.
type WritableFolder struct {
	Path string // in the runner: /app/data
	Made string // in the builder: /writable/0/data
	From string // /writable/0/
	To   string // /app/
}

// stageFolders are the folders of the extra build stages, in the build
// context, that the spec's builder need not copy: each one that neither
// is the context's root nor holds the spec's own folder.
func stageFolders(s *spec.Spec) []string {
	var dirs []string
	for _, st := range s.Stages {
		if st.Dir == "." || st.Dir == s.SpecDir || strings.HasPrefix(s.SpecDir, st.Dir+"/") || slices.Contains(dirs, st.Dir) {
			continue
		}
		dirs = append(dirs, st.Dir)
	}
	return dirs
}

func newDockerfile(s *spec.Spec, lang Language, pins Pins) *Dockerfile {
	d := &Dockerfile{
		SpecFile:  specPathFromOutput(s),
		Language:  s.Language,
		Artifacts: s.Artifacts,
		Spec:      s,
		pins:      pins,
		lang:      lang,
	}
	d.Builder = Stage{
		Name:         "builder",
		Image:        pins.ref(s.Images.Builder.Ref),
		Family:       s.Images.Builder.Family,
		Packages:     s.Build.Packages,
		PackageCache: true,
		Args:         sortedVars(s.Build.Args, nil),
		Before:       s.Build.Before,
		Run:          s.Build.Run,
		Workdir:      SourceDir,
		Source:       ".",
		Excludes:     stageFolders(s),
	}
	d.Runner = Stage{
		Name:        "runner",
		Image:       pins.ref(s.Images.Runner.Ref),
		Family:      s.Images.Runner.Family,
		Packages:    s.Runtime.Packages,
		User:        runnerUser(s),
		Workdir:     s.Runtime.Workdir,
		Healthcheck: s.Runtime.Healthcheck,
		Labels:      sortedVars(s.Runtime.Labels, nil),
		Entrypoint:  s.Runtime.Entrypoint,
		Cmd:         s.Runtime.Cmd,
	}
	for _, p := range s.Runtime.Expose {
		port := fmt.Sprint(p.Number)
		if p.Protocol != "tcp" {
			port += "/" + p.Protocol
		}
		d.Runner.Expose = append(d.Runner.Expose, port)
	}
	for i, w := range s.Runtime.Writable {
		from := path.Join(WritableDir, strconv.Itoa(i))
		d.Writable = append(d.Writable, WritableFolder{
			Path: w,
			Made: path.Join(from, path.Base(w)),
			From: from + "/",
			To:   strings.TrimSuffix(path.Dir(w), "/") + "/",
		})
	}
	r := lang.Prepare(d, s)
	switch {
	case s.StaticTini():
		d.Tini = &TiniStage{Image: pins.ref(spec.TiniImage), Path: StaticTiniPath}
		d.Runner.Entrypoint = append([]string{StaticTiniPath, "--"}, d.Runner.Entrypoint...)
	case s.Runtime.Init == spec.InitTini:
		tini := d.Runner.Family.Def().Tini
		d.Runner.Packages = append(slices.Clone(d.Runner.Packages), "tini")
		d.Runner.Entrypoint = append([]string{tini, "--"}, d.Runner.Entrypoint...)
	}
	d.Builder.Env = sortedVars(s.Build.Env, r.BuilderEnv)
	d.Runner.Env = sortedVars(s.Runtime.Env, r.RunnerEnv)
	d.Builder.Packages = uniqueSorted(d.Builder.Packages)
	d.Runner.Packages = uniqueSorted(d.Runner.Packages)
	deps := make([]string, len(s.Build.DependencyFiles))
	for i, f := range s.Build.DependencyFiles {
		deps[i] = s.InContext(f)
	}
	d.DependencyCopies = dependencyCopies(r.Manifests, deps, ".")
	d.Builder.setFamily()
	d.Runner.setFamily()
	d.Runner.metadata(s)
	for _, st := range s.Stages {
		d.Stages = append(d.Stages, newStage(st, d.SpecFile, pins))
	}
	return d
}

// newStage is the data of an extra build stage: its spec rendered by its
// language's Prepare as a spec whose build context is the stage's folder,
// with the paths it copies from the context taken from that folder, on
// the build platform.
func newStage(st spec.Stage, specFile string, pins Pins) *Dockerfile {
	lang, _ := lookup(st.Language)
	s := st.Spec
	d := &Dockerfile{SpecFile: specFile, Language: st.Language, Spec: s, pins: pins, lang: lang}
	d.Builder = Stage{
		Name:  st.Name,
		Image: pins.ref(s.Images.Builder.Ref),
		// Its output is plain files, the same for every target platform:
		// built on the build platform, a cross build needs no emulator.
		Platform:     "$BUILDPLATFORM",
		Family:       s.Images.Builder.Family,
		PackageCache: true,
		Workdir:      SourceDir,
		Source:       st.Dir,
		Output:       path.Join(SourceDir, st.Output),
		To:           st.To,
	}
	r := lang.Prepare(d, s)
	d.Builder.Env = sortedVars(nil, r.BuilderEnv)
	d.DependencyCopies = dependencyCopies(r.Manifests, nil, st.Dir)
	d.Builder.setFamily()
	return d
}

// Prepared is what a language's Prepare returns besides the data it sets.
type Prepared struct {
	// Manifests are the files copied before the dependency step, as paths
	// in the build context; the ones at its root are copied in one COPY.
	// A pattern with "**" copies every file it matches to the same path
	// (the package.json of every workspace member).
	Manifests []string
	// BuilderEnv and RunnerEnv are the stages' ENV defaults, which the
	// spec's own values override.
	BuilderEnv, RunnerEnv map[string]string
}

func (st *Stage) setFamily() {
	st.Debian = st.Family == spec.Debian
	st.Alpine = st.Family == spec.Alpine
	st.Scratch = st.Family == spec.Scratch
}

// runnerUser decides who the runner runs as: a created non-root user by
// default, numeric on shell-less images where no user can be created.
func runnerUser(s *spec.Spec) User {
	u := s.Runtime.User
	switch {
	case u == "root":
		return User{Directive: "root"}
	case isNumeric(u):
		return User{Directive: u}
	case !s.Images.Runner.Family.HasShell():
		return User{ID: spec.DefaultUID, Directive: fmt.Sprintf("%d:%d", spec.DefaultUID, spec.DefaultUID)}
	}
	return User{Create: u, ID: spec.DefaultUID, Directive: fmt.Sprintf("%d:%d", spec.DefaultUID, spec.DefaultUID)}
}

func isNumeric(u string) bool {
	return strings.Trim(u, "0123456789:") == "" && u != ""
}

// sortedVars merges defaults under the spec's values and sorts by name.
func sortedVars(values, defaults map[string]string) []Var {
	vars := make([]Var, 0, len(values)+len(defaults))
	for k, v := range values {
		vars = append(vars, Var{Key: k, Value: v, Quoted: quote(v)})
	}
	for k, v := range defaults {
		if _, set := values[k]; !set {
			vars = append(vars, Var{Key: k, Value: v, Quoted: quote(v)})
		}
	}
	slices.SortFunc(vars, func(a, b Var) int { return strings.Compare(a.Key, b.Key) })
	return vars
}

func uniqueSorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// dependencyCopies copies the manifests (files) at the context's root in
// one COPY, and every other path to the same place in /src, so relative
// references between them hold. Dependency files may be folders. The
// destinations are absolute: the copies come before the builder's
// WORKDIR (see the builder-workdir block). from is the folder of the
// context that the paths are relative to: "." for the spec's builder, the
// stage's folder for an extra build stage, whose files land in /src as if
// the folder were the context.
func dependencyCopies(manifests, dependencyFiles []string, from string) []Copy {
	var root []string
	var copies []Copy
	seen := map[string]bool{}
	src := func(p string) string {
		if from == "." {
			return p // the spec's builder: no path.Join, which allocates
		}
		return path.Join(from, p)
	}
	for i, p := range append(slices.Clone(manifests), dependencyFiles...) {
		if seen[p] {
			continue
		}
		seen[p] = true
		dir := path.Dir(p)
		switch {
		case i < len(manifests) && dir == ".":
			root = append(root, src(p))
		case strings.Contains(p, "**"):
			// --parents keeps the folders below the context: only for the
			// spec's builder (a stage's Prepare sees its folder as the
			// context's root, so writes no such pattern).
			copies = append(copies, Copy{Src: []string{src(p)}, Dst: SourceDir + "/", Parents: true})
		case strings.ContainsAny(p, "*?["):
			copies = append(copies, Copy{Src: []string{src(p)}, Dst: path.Join(SourceDir, dir) + "/"})
		default:
			copies = append(copies, Copy{Src: []string{src(p)}, Dst: path.Join(SourceDir, p)})
		}
	}
	if len(root) > 0 {
		copies = append([]Copy{{Src: root, Dst: SourceDir + "/"}}, copies...)
	}
	return copies
}

// specPathFromOutput is the spec's path as seen from the Dockerfile's folder.
func specPathFromOutput(s *spec.Spec) string {
	name := spec.FileName
	if s.File != "" {
		name = path.Base(strings.ReplaceAll(s.File, "\\", "/"))
	}
	if strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsGraphic(r) }) {
		// The name lands in a comment line: keep it on that line.
		name = strconv.QuoteToGraphic(name)
	}
	depth := strings.Count(path.Clean(s.Output), "/")
	return strings.Repeat("../", depth) + name
}
