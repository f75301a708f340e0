package dockerfile

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

// Language returns the language the Dockerfile's base images name (a
// stage FROM golang:1.22 says go), or "" when none does. The final
// stage's image counts first, then the other stages' in order.
func (f *File) Language() string {
	order := append([]*Stage{f.Final()}, f.Stages...)
	for _, s := range order {
		repo := spec.BaseImage{Ref: s.Image}.Repository()
		for _, l := range spec.Languages() {
			if sameRepo(repo, l.Images().Builder.Repository()) {
				return l.Name()
			}
		}
	}
	return ""
}

// sameRepo reports whether repo is the official image want, or a mirror
// of it (docker.io/library/python, mirror.example.com/python).
func sameRepo(repo, want string) bool {
	return repo == want || strings.HasSuffix(repo, "/"+want)
}

// Apply puts what f says into p, ahead of what detection found there:
// images, packages, the runner's settings, the files copied into the
// final stage, and for Go the main package built. Everything of f that no
// key holds becomes a detect.Leftover. fsys is the project's folder, to
// tell which copied paths are the project's. Each group of values is kept
// only if the spec stays valid with it; one that would not is listed as a
// leftover with the reason.
func Apply(p *detect.Proposal, f *File, fsys fs.FS) {
	m := &mapper{f: f, p: p, fsys: fsys, cite: filepath.Base(f.Name)}
	m.init()
	p.Sources = append(p.Sources, m.cite)
	slices.Sort(p.Sources)
	p.Sources = slices.Compact(p.Sources)
	valid := m.valid()
	for _, g := range m.groups() {
		if !valid {
			g.apply(p)
			continue
		}
		saved := clone(p)
		g.apply(p)
		if err := m.check(); err != nil {
			*p = *saved
			p.Leftovers = append(p.Leftovers, detect.Leftover{At: g.at, Code: g.code, Why: "wharf cannot use it: " + err.Error()})
		}
	}
	p.Leftovers = append(p.Leftovers, m.leftovers...)
	slices.SortStableFunc(p.Leftovers, func(a, b detect.Leftover) int { return atLine(a.At) - atLine(b.At) })
}

// atLine is the line of a Leftover's At, for ordering.
func atLine(at string) int {
	_, rest, _ := strings.Cut(at, ":")
	rest, _, _ = strings.Cut(rest, "-")
	n, _ := strconv.Atoi(rest)
	return n
}

// mapper holds what Apply learns about the Dockerfile.
type mapper struct {
	f    *File
	p    *detect.Proposal
	fsys fs.FS
	cite string // the Dockerfile's name in citations

	lang               spec.Language
	toolRepo           string // the language's toolchain image: python, golang, node
	runnerNeedsRuntime bool   // the runner must be that image too (python, node)

	final     []*Stage // the final stage and the stages it is built FROM, base first
	build     []*Stage // the other stages the final stage uses, in order
	unused    []*Stage
	leftovers []detect.Leftover

	venvs    []string // virtual environments the build creates
	binaries []string // files go build -o writes
	goBuild  *goBuild
	env      map[*Stage]*envMap
	builder  *Stage // the stage the spec's builder stands for, or nil
	// virtualPkgs are packages the final stage installs in an apk
	// --virtual group and deletes again: build dependencies.
	virtualPkgs   []string
	virtualPkgsAt []string
	copiedAll     bool // the final stage copies the whole project
}

type goBuild struct {
	main, output, ldflags, tags string
	line                        int
}

// group is a set of values applied to a proposal together.
type group struct {
	at, code string
	apply    func(p *detect.Proposal)
}

func (m *mapper) at(line int) string { return fmt.Sprintf("%s:%d", m.cite, line) }

func (m *mapper) init() {
	m.lang, _ = spec.LookupLanguage(m.p.Language)
	if m.lang != nil {
		imgs := m.lang.Images()
		m.toolRepo = imgs.Builder.Repository()
		m.runnerNeedsRuntime = imgs.Runner.Repository() == m.toolRepo
	}
	m.env = map[*Stage]*envMap{}
	// The final stage, and the stages it is built FROM.
	for s := m.f.Final(); s != nil; s = s.Parent {
		m.final = append([]*Stage{s}, m.final...)
	}
	// The stages it uses: COPY --from, RUN --mount from=, transitively.
	used := map[*Stage]bool{}
	for _, s := range m.final {
		used[s] = true
	}
	queue := slices.Clone(m.final)
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, ref := range m.stageRefs(s) {
			if !used[ref] {
				used[ref] = true
				queue = append(queue, ref)
			}
		}
	}
	for _, s := range m.f.Stages {
		switch {
		case slices.Contains(m.final, s):
		case used[s]:
			m.build = append(m.build, s)
		default:
			m.unused = append(m.unused, s)
		}
	}
}

var mountFrom = lazyregexp.New(`--mount=\S*\bfrom=([^,\s]+)`)

// stageRefs are the stages s is built FROM or copies from.
func (m *mapper) stageRefs(s *Stage) []*Stage {
	var refs []*Stage
	if s.Parent != nil {
		refs = append(refs, s.Parent)
	}
	for _, c := range s.Commands {
		switch c := c.(type) {
		case *instructions.CopyCommand:
			if st := m.stage(c.From); st != nil {
				refs = append(refs, st)
			}
		case *instructions.RunCommand:
			for _, mt := range mountFrom.FindAllStringSubmatch(c.String(), -1) {
				if st := m.stage(mt[1]); st != nil {
					refs = append(refs, st)
				}
			}
		}
	}
	return refs
}

// stage is the stage a --from names, by name or index, or nil.
func (m *mapper) stage(ref string) *Stage {
	if ref == "" {
		return nil
	}
	for _, s := range m.f.Stages {
		if s.Name != "" && strings.EqualFold(s.Name, ref) || strconv.Itoa(s.Index) == ref {
			return s
		}
	}
	return nil
}

// valid reports whether the proposal, as it is, makes a valid spec.
func (m *mapper) valid() bool { return m.check() == nil }

// check parses the proposal as a spec, returning the first problem.
func (m *mapper) check() error {
	_, err := spec.Parse("wharf.yaml", m.p.YAML())
	var list spec.ErrorList
	if err != nil && errors.As(err, &list) && len(list) > 0 {
		return fmt.Errorf("%s", list[0].Msg)
	}
	return err
}

func clone(p *detect.Proposal) *detect.Proposal {
	c := *p
	c.Section = slices.Clone(p.Section)
	c.Build = slices.Clone(p.Build)
	c.Runtime = slices.Clone(p.Runtime)
	c.Artifacts = slices.Clone(p.Artifacts)
	c.BuildPackages = slices.Clone(p.BuildPackages)
	c.Cmd = slices.Clone(p.Cmd)
	c.Leftovers = slices.Clone(p.Leftovers)
	c.Notes = slices.Clone(p.Notes)
	return &c
}

// code is an instruction as quoted in a comment: one line, shortened,
// credentials redacted.
func code(c instructions.Command) string {
	text := c.Name()
	if s, ok := c.(fmt.Stringer); ok {
		text = s.String()
	}
	return shorten(spec.RedactCredentials(text))
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 72 {
		s = string(r[:69]) + "..."
	}
	return s
}

func (m *mapper) leftover(line int, text, why string, handled bool) {
	m.leftovers = append(m.leftovers, detect.Leftover{At: m.at(line), Code: text, Why: why, Handled: handled})
}

// stageEnv is the environment of s at its start: its parent's at the end,
// or the meta ARGs it may redeclare.
func (m *mapper) stageEnv(s *Stage) *envMap {
	e := &envMap{}
	if s.Parent != nil {
		if pe := m.env[s.Parent]; pe != nil {
			for _, k := range pe.keys {
				e.set(k, pe.vals[k])
			}
		}
	}
	return e
}

// setArgs records an ARG's values in env: its own defaults, else the
// defaults of the ARGs before the first FROM.
func (m *mapper) setArgs(c *instructions.ArgCommand, env *envMap) {
	for _, kv := range c.Args {
		if kv.Value != nil {
			env.set(kv.Key, *kv.Value)
		} else if v, ok := m.metaDefault(kv.Key); ok {
			env.set(kv.Key, v)
		}
	}
}

// metaDefault is the default of the meta ARG key, if it has one.
func (m *mapper) metaDefault(key string) (string, bool) {
	for _, a := range m.f.MetaArgs {
		if a.Key == key && a.Value != nil {
			return *a.Value, true
		}
	}
	return "", false
}

// expand substitutes the stage's variables in word; ok is false when one
// has no value wharf knows.
func (m *mapper) expand(word string, env *envMap) (string, bool) {
	lex := shell.NewLex(m.f.escape)
	res, err := lex.ProcessWordWithMatches(word, env)
	if err != nil || len(res.Unmatched) > 0 {
		return word, false
	}
	return res.Result, true
}

// runScript is the shell script of a RUN, or "" when it is in exec form
// or feeds a heredoc to something other than a shell.
func runScript(c *instructions.RunCommand) string {
	if !c.PrependShell {
		return ""
	}
	line := strings.Join(c.CmdLine, " ")
	if len(c.Files) > 0 {
		w := words(strings.TrimSpace(line))
		isShell := len(w) == 1 || (len(w) == 2 && (w[0] == "sh" || w[0] == "bash" || w[0] == "/bin/sh" || w[0] == "/bin/bash"))
		if isShell && strings.HasPrefix(w[len(w)-1], "<<") {
			return c.Files[0].Data
		}
	}
	return line
}

// recipeStep matches the commands that a language's recipe runs its own
// way: dependency installs and builds.
var recipeStep = map[string]*lazyregexp.Regexp{
	"python": lazyregexp.New(`^(python[0-9.]*\s+-m\s+)?(pip[0-9.]*|uv|poetry|pipenv|pdm|virtualenv)\s|^python[0-9.]*\s+-m\s+(venv|pip)\s|^python[0-9.]*\s+setup\.py\s`),
	"go":     lazyregexp.New(`^go\s+(mod|build|install|get)\s`),
	"node":   lazyregexp.New(`^(npm|yarn|pnpm|corepack|npx\s+(pnpm|yarn))\s`),
}

var venvCreate = lazyregexp.New(`(?:-m\s+venv|virtualenv|uv\s+venv)\s+(?:--?\S+\s+)*(/\S+)`)

// groups are the values the Dockerfile gives, each group to be applied
// and kept if the spec stays valid.
func (m *mapper) groups() []group {
	var gs []group
	// Build stages first: packages, env, go build, venvs.
	var (
		buildPkgs    []string
		buildPkgsAt  []string
		buildEnv     = map[string]string{}
		buildEnvKeys []string
		buildEnvAt   []string
	)
	for _, s := range m.build {
		env := m.stageEnv(s)
		workdir := "/"
		for _, c := range s.Commands {
			ln := line(c.Location())
			switch c := c.(type) {
			case *instructions.RunCommand:
				pk, other, userAdd := m.readRun(c, env, s)
				if len(pk) > 0 {
					buildPkgs = append(buildPkgs, pk...)
					buildPkgsAt = append(buildPkgsAt, m.at(ln))
				}
				m.runLeftover(c, ln, other, userAdd, len(pk) > 0, false)
			case *instructions.EnvCommand:
				var skipped []string
				for _, kv := range c.Env {
					v, ok := m.expand(kv.Value, env)
					env.set(kv.Key, v)
					switch {
					case spec.LooksSecret(kv.Key, kv.Value):
						m.leftover(ln, "ENV "+kv.Key+"=<redacted>", "looks like a secret, so it is not copied into the spec: pass it to the build as a BuildKit secret (RUN --mount=type=secret)", false)
					case managedEnv(kv.Key, m.venvs):
						m.leftover(ln, "ENV "+kv.Key+"="+shorten(v), "wharf's builder sets up its own environment", true)
					case !ok:
						skipped = append(skipped, kv.Key)
					default:
						if _, seen := buildEnv[kv.Key]; !seen {
							buildEnvKeys = append(buildEnvKeys, kv.Key)
						}
						buildEnv[kv.Key] = v
						buildEnvAt = appendOnce(buildEnvAt, m.at(ln))
					}
				}
				if len(skipped) > 0 {
					m.leftover(ln, code(c), "uses variables wharf cannot resolve: "+strings.Join(skipped, ", "), false)
				}
			case *instructions.ArgCommand:
				m.setArgs(c, env)
				m.leftover(ln, argCode(c), "a build argument; add it to build.args if the build uses it", false)
			case *instructions.WorkdirCommand:
				workdir = joinDir(workdir, c.Path)
				m.leftover(ln, code(c), "wharf's builder works in /src", true)
			case *instructions.CopyCommand:
				if c.From != "" && m.stage(c.From) == nil {
					m.leftover(ln, code(c), "copies from an image, which wharf's builder does not", false)
				} else if c.From != "" {
					m.leftover(ln, code(c), "copies from stage "+c.From+", which wharf's builder does not have: build it with build.run", false)
				} else {
					m.leftover(ln, code(c), "wharf's builder copies the project's files itself", true)
				}
			default:
				m.leftover(ln, code(c), "no spec key holds it", false)
			}
		}
		m.env[s] = env
		if s.Platform != "" {
			m.leftover(s.Line, "FROM --platform="+s.Platform, "wharf builds each stage for the target platform; the spec has no cross-compiling builder", false)
		}
	}
	for _, s := range m.unused {
		end := s.Line
		if n := len(s.Commands); n > 0 {
			end = line(s.Commands[n-1].Location())
		}
		name := s.Name
		if name == "" {
			name = strconv.Itoa(s.Index)
		}
		m.leftovers = append(m.leftovers, detect.Leftover{At: fmt.Sprintf("%s:%d-%d", m.cite, s.Line, end), Code: "stage " + name + " (" + shorten(s.From) + ")", Why: "the final stage does not use it"})
	}

	for _, a := range m.f.MetaArgs {
		text := "ARG " + a.Key
		if a.Value != nil {
			text += "=" + *a.Value
			if spec.LooksSecret(a.Key, *a.Value) {
				text = "ARG " + a.Key + "=<redacted>"
			}
		}
		m.leftover(m.f.metaLine[a.Key], text, "substituted into the FROM lines; the spec names the images", true)
	}
	images := m.imagesGroup()
	final := m.finalGroups()
	gs = append(gs, images)
	buildPkgs = append(buildPkgs, m.virtualPkgs...)
	for _, at := range m.virtualPkgsAt {
		buildPkgsAt = appendOnce(buildPkgsAt, at)
	}
	if len(buildPkgs) > 0 {
		pk := uniq(buildPkgs)
		gs = append(gs, group{at: strings.Join(buildPkgsAt, ", "), code: "build packages " + strings.Join(pk, " "), apply: func(p *detect.Proposal) {
			why := fmt.Sprintf("Installed for the build in the Dockerfile (%s); they stay out of the runner.", strings.Join(buildPkgsAt, ", "))
			if len(p.BuildPackages) > 0 && !slices.Equal(p.BuildPackages, pk) {
				why += fmt.Sprintf(" Detection alone proposed %s.", strings.Join(p.BuildPackages, ", "))
			}
			p.BuildPackages, p.BuildPackagesWhy = pk, why
		}})
	}
	if len(buildEnvKeys) > 0 {
		gs = append(gs, group{at: strings.Join(buildEnvAt, ", "), code: "ENV " + strings.Join(buildEnvKeys, " "), apply: func(p *detect.Proposal) {
			p.Build = setField(p.Build, detect.Field{Key: "env", Lines: mapLines(buildEnv), Why: fmt.Sprintf("From ENV in the build stages (%s).", strings.Join(buildEnvAt, ", "))})
		}})
	}
	if g := m.goBuildGroup(); g != nil {
		gs = append(gs, *g)
	}
	gs = append(gs, final...)
	return gs
}

// readRun reads a RUN: the packages it installs, the commands that are
// neither installs nor tidying, and whether it creates a user.
func (m *mapper) readRun(c *instructions.RunCommand, env *envMap, s *Stage) (pkgs, other []string, userAdd bool) {
	script := runScript(c)
	if script == "" {
		return nil, []string{strings.Join(c.CmdLine, " ")}, false
	}
	virtual := map[string][]string{}
	for _, cmd := range commands(script) {
		st := classify(cmd)
		switch st.kind {
		case stepInstall:
			var names []string
			for _, n := range st.packages {
				if strings.ContainsAny(n, "$`") {
					other = append(other, cmd)
					names = nil
					break
				}
				names = append(names, n)
			}
			if st.virtual != "" {
				virtual[st.virtual] = names
			}
			pkgs = append(pkgs, names...)
		case stepRemove:
			// apk del of a --virtual group: those were build-only
			// packages; they never reach a wharf runner either.
			removed := false
			for _, n := range st.packages {
				if v, ok := virtual[n]; ok {
					pkgs = slices.DeleteFunc(pkgs, func(p string) bool { return slices.Contains(v, p) })
					m.virtualPkgs = append(m.virtualPkgs, v...)
					m.virtualPkgsAt = appendOnce(m.virtualPkgsAt, m.at(line(c.Location())))
					removed = true
				}
			}
			if !removed {
				other = append(other, cmd)
			}
		case stepTidy:
		case stepUserAdd:
			userAdd = true
		default:
			if mt := venvCreate.FindStringSubmatch(cmd); mt != nil {
				m.venvs = appendOnce(m.venvs, strings.TrimRight(mt[1], "/"))
			}
			if m.p.Language == "go" {
				m.readGoBuild(cmd, line(c.Location()), env)
			}
			other = append(other, cmd)
		}
	}
	return pkgs, other, userAdd
}

// runLeftover lists what of a RUN is not packages: the recipe's own steps
// as handled, the rest as not carried over.
func (m *mapper) runLeftover(c *instructions.RunCommand, ln int, other []string, userAdd, hadPkgs, final bool) {
	re := recipeStep[m.p.Language]
	var recipe, rest []string
	for _, o := range other {
		w := words(o)
		for len(w) > 0 && envPrefix.MatchString(w[0]) {
			w = w[1:]
		}
		if re != nil && re.MatchString(strings.Join(w, " ")+" ") {
			recipe = append(recipe, o)
		} else {
			rest = append(rest, o)
		}
	}
	switch {
	case len(rest) > 0:
		why := "a build step; add it to build.run if the build needs it"
		if final {
			why = "a step in the final stage; wharf's runner runs none of its own, so do it in the build (build.run) and copy the result (artifacts)"
		}
		switch {
		case len(recipe) > 0:
			why = fmt.Sprintf("wharf's %s recipe does %s its own way, but not: %s; %s", m.p.Language, shorten(strings.Join(recipe, " && ")), shorten(strings.Join(rest, " && ")), why)
		case hadPkgs:
			why = "its packages are in the spec, but not: " + shorten(strings.Join(rest, " && ")) + "; " + why
		}
		m.leftover(ln, code(c), why, false)
	case len(recipe) > 0:
		m.leftover(ln, code(c), fmt.Sprintf("wharf's %s recipe installs the dependencies and builds the project itself", m.p.Language), true)
	case userAdd && !hadPkgs:
		m.leftover(ln, code(c), "wharf's runner creates its own non-root user", true)
	case !hadPkgs:
		m.leftover(ln, code(c), "only updates package indexes or cleans up, which wharf's steps do themselves", true)
	}
}

var (
	goBuildCmd = lazyregexp.New(`^go\s+build\s`)
)

// readGoBuild reads a go build command: the package, the output file,
// -ldflags and -tags.
func (m *mapper) readGoBuild(cmd string, ln int, env *envMap) {
	w := words(cmd)
	for len(w) > 0 && envPrefix.MatchString(w[0]) {
		w = w[1:]
	}
	if !goBuildCmd.MatchString(strings.Join(w, " ") + " ") {
		return
	}
	g := &goBuild{line: ln}
	args := w[2:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		val := func() string {
			if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(k, "-") {
				return v
			}
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); {
		case !strings.HasPrefix(a, "-"):
			g.main = a
		case name == "o":
			g.output = val()
		case name == "ldflags":
			g.ldflags = val()
		case name == "tags":
			g.tags = val()
		case name == "trimpath" || name == "v" || name == "a" || name == "x" || name == "race" || name == "buildvcs=false" || name == "mod":
			if name == "mod" && !strings.Contains(a, "=") {
				i++
			}
		}
	}
	if g.output != "" {
		if o, ok := m.expand(g.output, env); ok {
			g.output = o
		}
		m.binaries = append(m.binaries, g.output)
	}
	if m.goBuild == nil {
		m.goBuild = g
	}
}

// goBuildGroup sets the go section from the Dockerfile's go build.
func (m *mapper) goBuildGroup() *group {
	g := m.goBuild
	if g == nil {
		return nil
	}
	return &group{at: m.at(g.line), code: "go build", apply: func(p *detect.Proposal) {
		why := fmt.Sprintf("From go build at %s.", m.at(g.line))
		if main := detect.CleanRel(g.main); main != "" && !strings.Contains(g.main, "...") && detect.IsDir(m.fsys, main) {
			mp := "./" + main
			if main == "." {
				mp = "."
			}
			old := getField(p.Section, "main")
			f := detect.Field{Key: "main", Value: detect.Scalar(mp), Why: why}
			if old != nil && old.Value != f.Value && old.Why != "" {
				f.Why += " " + old.Why
			}
			p.Section = setField(p.Section, f)
			// The Dockerfile builds this one package: it replaces the
			// binaries detection proposes for a module of several commands.
			p.Section = slices.DeleteFunc(p.Section, func(f detect.Field) bool { return f.Key == "binaries" })
		}
		if g.output != "" && getField(p.Section, "binaries") == nil {
			bin := path.Base(g.output)
			if bin == p.Name {
				p.Section = slices.DeleteFunc(p.Section, func(f detect.Field) bool { return f.Key == "binary" })
			} else if bin != "." && bin != "/" {
				p.Section = setField(p.Section, detect.Field{Key: "binary", Value: detect.Scalar(bin), Why: fmt.Sprintf("From go build -o %s at %s.", g.output, m.at(g.line))})
			}
		}
		if g.ldflags != "" && !strings.ContainsAny(g.ldflags, "$`") {
			p.Section = setField(p.Section, detect.Field{Key: "ldflags", Value: detect.Scalar(g.ldflags), Why: why})
		}
		if g.tags != "" && !strings.ContainsAny(g.tags, "$`") {
			p.Section = setField(p.Section, detect.Field{Key: "tags", Value: detect.FlowList(strings.FieldsFunc(g.tags, func(r rune) bool { return r == ',' || r == ' ' })), Why: why})
		}
	}}
}

// imagesGroup proposes the builder and runner from the FROM lines.
func (m *mapper) imagesGroup() group {
	final := m.f.Final()
	finalRepo := spec.BaseImage{Ref: final.Image}.Repository()
	// The builder is the last build stage on the language's image: the
	// one the final stage usually copies the build's output from.
	var builder *Stage
	for _, s := range m.build {
		if sameRepo(spec.BaseImage{Ref: s.Image}.Repository(), m.toolRepo) {
			builder = s
		}
	}
	finalIsTool := m.toolRepo != "" && sameRepo(finalRepo, m.toolRepo)
	if builder == nil && finalIsTool {
		builder = final
	}
	m.builder = builder
	runner := final
	var note string
	switch {
	case m.runnerNeedsRuntime && !finalIsTool:
		runner = nil
		note = fmt.Sprintf("The final stage's %s (%s) is not a %s image, which the runner needs; ", final.Image, m.at(final.Line), m.toolRepo)
	case !m.runnerNeedsRuntime && finalIsTool:
		runner = nil
		note = fmt.Sprintf("The Dockerfile ships the toolchain image %s (%s); wharf ships only the build's output on the lean runner below. ", final.Image, m.at(final.Line))
	}
	for _, s := range m.build {
		if s != builder {
			m.leftover(s.Line, shorten(s.From), "a build stage; what it installs and sets is in build, its other steps are listed here", true)
		}
	}
	for _, s := range m.final[:len(m.final)-1] {
		m.leftover(s.Line, shorten(s.From), "the final stage is built FROM it, so its instructions count as the final stage's", true)
	}
	at := m.at(final.Line)
	if builder != nil && builder != final {
		at = m.at(builder.Line) + ", " + at
	}
	return group{at: at, code: "FROM " + final.Image, apply: func(p *detect.Proposal) {
		before := p.Builder + " and " + p.Runner
		var parts []string
		if builder != nil {
			p.Builder = builder.Image
			parts = append(parts, fmt.Sprintf("the builder from FROM %s (%s)", builder.Image, m.at(builder.Line)))
		}
		if runner != nil {
			p.Runner = runner.Image
			parts = append(parts, fmt.Sprintf("the runner from FROM %s (%s)", runner.Image, m.at(runner.Line)))
		} else if m.runnerNeedsRuntime && builder != nil && sameRepo(spec.BaseImage{Ref: builder.Image}.Repository(), m.toolRepo) {
			p.Runner = builder.Image
			parts = append(parts, "the runner on the same image")
		}
		if len(parts) == 0 {
			p.ImagesWhy = note + p.ImagesWhy
			return
		}
		p.ImagesNote = "" // about detection's images, which the Dockerfile's replace
		why := "From the Dockerfile: " + strings.Join(parts, ", ") + ". "
		if v := version(p.Builder, m.toolRepo); v != "" {
			why += fmt.Sprintf("%s %s. ", title(m.p.Language), v)
		}
		if after := p.Builder + " and " + p.Runner; after != before {
			why += "Detection alone proposed " + before + ". "
		}
		p.ImagesWhy = strings.TrimSpace(note + why)
	}}
}

// version is the language version an image's tag starts with
// (python:3.11-slim: 3.11), or "".
func version(ref, toolRepo string) string {
	b := spec.BaseImage{Ref: ref}
	if !sameRepo(b.Repository(), toolRepo) {
		return ""
	}
	return leadingVersion.FindString(b.Tag())
}

var leadingVersion = lazyregexp.New(`^[0-9]+(\.[0-9]+)*`)

func title(lang string) string {
	switch lang {
	case "go":
		return "Go"
	case "python":
		return "Python"
	case "node":
		return "Node"
	}
	return lang
}

// finalGroups read the final stage (and the stages it is built FROM):
// the runner's settings and the files copied into it.
func (m *mapper) finalGroups() []group {
	var (
		gs       []group
		env      = &envMap{}
		workdir  = "/"
		workAt   int
		expose   []string
		exposeAt []string
		runEnv   = map[string]string{}
		envKeys  []string
		envAt    []string
		labels   = map[string]string{}
		labelAt  []string
		pkgs     []string
		pkgsAt   []string
		user     string
		userLine int
		cmd      *instructions.CmdCommand
		entry    *instructions.EntrypointCommand
		health   *instructions.HealthCheckCommand
		arts     []spec.Artifact
		artAt    []string
		// nodeOut are the Node build's output folders the final stage
		// copies from the builder.
		nodeOut, nodeOutAt []string
		// wheelsAt are the final stage's pip installs of the builder's
		// wheels through a bind mount.
		wheelsAt []string
	)
	for _, s := range m.final {
		for _, c := range s.Commands {
			ln := line(c.Location())
			switch c := c.(type) {
			case *instructions.ExposeCommand:
				for _, port := range c.Ports {
					v, ok := m.expand(port, env)
					num, proto, _ := strings.Cut(v, "/")
					if _, err := strconv.Atoi(num); !ok || err != nil || (proto != "" && proto != "tcp" && proto != "udp") {
						m.leftover(ln, "EXPOSE "+port, "not a port wharf can write; use a number, or number/udp", false)
						continue
					}
					if proto == "udp" {
						num += "/udp"
					}
					expose = appendOnce(expose, num)
					exposeAt = appendOnce(exposeAt, m.at(ln))
				}
			case *instructions.EnvCommand:
				var skipped []string
				for _, kv := range c.Env {
					v, ok := m.expand(kv.Value, env)
					env.set(kv.Key, v)
					switch {
					case spec.LooksSecret(kv.Key, kv.Value):
						m.leftover(ln, "ENV "+kv.Key+"=<redacted>", "looks like a secret, so it is not copied into the spec, which would bake it into the image: pass it at run time (docker run -e "+kv.Key+")", false)
					case !ok && !managedEnv(kv.Key, m.venvs):
						skipped = append(skipped, kv.Key)
					case managedEnv(kv.Key, m.venvs) || (kv.Key == "NODE_ENV" && v == "production" && m.p.Language == "node") || ((kv.Key == "PYTHONDONTWRITEBYTECODE" || kv.Key == "PYTHONUNBUFFERED") && m.p.Language == "python"):
						m.leftover(ln, "ENV "+kv.Key+"="+shorten(v), "wharf's runner sets up its own environment", true)
					default:
						if _, seen := runEnv[kv.Key]; !seen {
							envKeys = append(envKeys, kv.Key)
						}
						runEnv[kv.Key] = v
						envAt = appendOnce(envAt, m.at(ln))
					}
				}
				if len(skipped) > 0 {
					m.leftover(ln, code(c), "uses variables wharf cannot resolve: "+strings.Join(skipped, ", "), false)
				}
			case *instructions.ArgCommand:
				m.setArgs(c, env)
				m.leftover(ln, argCode(c), "a build argument of the final stage; the runner has none", false)
			case *instructions.WorkdirCommand:
				if v, ok := m.expand(c.Path, env); ok {
					workdir, workAt = joinDir(workdir, v), ln
				} else {
					m.leftover(ln, code(c), "uses variables wharf cannot resolve", false)
				}
			case *instructions.UserCommand:
				if v, ok := m.expand(c.User, env); ok {
					user, userLine = v, ln
				} else {
					m.leftover(ln, code(c), "uses variables wharf cannot resolve", false)
				}
			case *instructions.LabelCommand:
				for _, kv := range c.Labels {
					v, ok := m.expand(kv.Value, env)
					switch {
					case spec.LooksSecret("", v):
						m.leftover(ln, "LABEL "+kv.Key+"=<redacted>", "looks like a credential, so it is not copied into the spec", false)
					case !ok:
						m.leftover(ln, "LABEL "+kv.Key, "uses variables wharf cannot resolve", false)
					default:
						labels[kv.Key] = v
						labelAt = appendOnce(labelAt, m.at(ln))
					}
				}
			case *instructions.CmdCommand:
				cmd = c
			case *instructions.EntrypointCommand:
				entry = c
			case *instructions.HealthCheckCommand:
				health = c
			case *instructions.RunCommand:
				pk, other, userAdd := m.readRun(c, env, s)
				if len(pk) > 0 {
					pkgs = append(pkgs, pk...)
					pkgsAt = append(pkgsAt, m.at(ln))
				}
				m.runLeftover(c, ln, other, userAdd, len(pk) > 0, true)
				if m.mountsWheels(c) {
					wheelsAt = appendOnce(wheelsAt, m.at(ln))
				}
			case *instructions.CopyCommand:
				a, why, handled := m.readCopy(c.From, c.SourcePaths, c.DestPath, workdir, env)
				if out := m.nodeOutput(c.From, c.SourcePaths); out != "" {
					nodeOut, nodeOutAt = appendOnce(nodeOut, out), appendOnce(nodeOutAt, m.at(ln))
				}
				if len(a) > 0 {
					arts = append(arts, a...)
					artAt = appendOnce(artAt, m.at(ln))
				} else {
					m.leftover(ln, code(c), why, handled)
				}
			case *instructions.AddCommand:
				a, why, handled := m.readCopy("", c.SourcePaths, c.DestPath, workdir, env)
				if len(a) > 0 {
					arts = append(arts, a...)
					artAt = appendOnce(artAt, m.at(ln))
				} else {
					m.leftover(ln, code(c), why, handled)
				}
			default:
				m.leftover(ln, code(c), "no spec key holds it", false)
			}
		}
		if s.Platform != "" {
			m.leftover(s.Line, "FROM --platform="+s.Platform, "wharf builds for the target platform; the spec has no platform", false)
		}
	}

	if entry != nil {
		if eargs, ok, _ := execForm(entry.ShellDependantCmdLine); ok && tiniPrefix(eargs) > 0 {
			// runtime.init: tini installs it.
			pkgs = slices.DeleteFunc(pkgs, func(p string) bool { return p == "tini" })
		}
	}
	if len(pkgs) > 0 {
		pk := uniq(pkgs)
		gs = append(gs, group{at: strings.Join(pkgsAt, ", "), code: "runtime packages " + strings.Join(pk, " "), apply: func(p *detect.Proposal) {
			p.Runtime = setField(p.Runtime, detect.Field{Key: "packages", Value: detect.FlowList(pk), Why: fmt.Sprintf("Installed in the final stage (%s).", strings.Join(pkgsAt, ", "))})
		}})
	}
	if len(envKeys) > 0 {
		gs = append(gs, group{at: strings.Join(envAt, ", "), code: "ENV " + strings.Join(envKeys, " "), apply: func(p *detect.Proposal) {
			p.Runtime = setField(p.Runtime, detect.Field{Key: "env", Lines: mapLines(runEnv), Why: fmt.Sprintf("From ENV in the final stage (%s).", strings.Join(envAt, ", "))})
		}})
	}
	if user != "" {
		if g := m.userGroup(user, userLine); g != nil {
			gs = append(gs, *g)
		}
	}
	if workAt > 0 {
		gs = append(gs, group{at: m.at(workAt), code: "WORKDIR " + workdir, apply: func(p *detect.Proposal) {
			p.Runtime = setField(p.Runtime, detect.Field{Key: "workdir", Value: detect.Scalar(workdir), Why: "From WORKDIR at " + m.at(workAt) + "."})
			for i, a := range p.Artifacts {
				if a.To == "/app" {
					p.Artifacts[i].To = workdir
				} else if rest, ok := strings.CutPrefix(a.To, "/app/"); ok {
					p.Artifacts[i].To = path.Join(workdir, rest)
				}
			}
		}})
	}
	if len(expose) > 0 {
		gs = append(gs, group{at: strings.Join(exposeAt, ", "), code: "EXPOSE " + strings.Join(expose, " "), apply: func(p *detect.Proposal) {
			p.Runtime = setField(p.Runtime, detect.Field{Key: "expose", Value: "[" + strings.Join(expose, ", ") + "]", Why: "From EXPOSE at " + strings.Join(exposeAt, ", ") + "."})
		}})
	}
	gs = append(gs, m.commandGroups(cmd, entry, env)...)
	if health != nil {
		gs = append(gs, m.healthGroup(health))
	}
	if len(wheelsAt) > 0 {
		at := strings.Join(wheelsAt, ", ")
		gs = append(gs, group{at: at, code: "RUN --mount=type=bind pip install", apply: func(p *detect.Proposal) {
			p.Section = setField(p.Section, detect.Field{Key: "install", Value: "mount", Why: fmt.Sprintf("From RUN --mount at %s: the runner installs the builder's wheels through a bind mount, so no wheel stays in a layer.", at)})
		}})
	}
	if len(nodeOut) == 1 {
		at := strings.Join(nodeOutAt, ", ")
		gs = append(gs, group{at: at, code: "COPY --from " + nodeOut[0], apply: func(p *detect.Proposal) {
			p.Section = setField(p.Section, detect.Field{Key: "output", Value: detect.Scalar(nodeOut[0]), Why: fmt.Sprintf("From COPY at %s: the runner gets the build's %s/, node_modules and package.json.", at, nodeOut[0])})
		}})
	}
	if len(labels) > 0 {
		gs = append(gs, group{at: strings.Join(labelAt, ", "), code: "LABEL", apply: func(p *detect.Proposal) {
			p.Runtime = setField(p.Runtime, detect.Field{Key: "labels", Lines: mapLines(labels), Why: "From LABEL at " + strings.Join(labelAt, ", ") + "."})
		}})
	}
	if len(arts) > 0 {
		gs = append(gs, group{at: strings.Join(artAt, ", "), code: "COPY", apply: func(p *detect.Proposal) {
			if !m.copiedAll {
				// The Dockerfile says which of the project's files the
				// app needs: they replace detection's copy of it all.
				p.Artifacts = slices.DeleteFunc(p.Artifacts, func(a spec.Artifact) bool { return a.From == "/src" })
				p.ArtifactsWhy = ""
			}
			// Where the Dockerfile puts a file, detection's copy of it goes.
			p.Artifacts = slices.DeleteFunc(p.Artifacts, func(a spec.Artifact) bool {
				return slices.ContainsFunc(arts, func(b spec.Artifact) bool { return a.From == b.From })
			})
			for _, a := range arts {
				if !slices.Contains(p.Artifacts, a) {
					p.Artifacts = append(p.Artifacts, a)
				}
			}
			why := "Copied into the final stage by " + strings.Join(artAt, ", ") + "; the builder holds the project in /src."
			if p.ArtifactsWhy != "" {
				why = p.ArtifactsWhy + " " + why
			}
			p.ArtifactsWhy = why
		}})
	}
	return gs
}

// readCopy maps a COPY or ADD into the final stage: to artifacts (files
// of the project, which wharf's builder holds in /src), or to why not.
func (m *mapper) readCopy(from string, srcs []string, dest, workdir string, env *envMap) ([]spec.Artifact, string, bool) {
	if len(srcs) == 0 {
		return nil, "writes an inline file (a heredoc), which the spec cannot: put the file in the project and list it in artifacts", false
	}
	for i, s := range srcs {
		v, ok := m.expand(s, env)
		if !ok {
			return nil, "uses variables wharf cannot resolve", false
		}
		srcs[i] = v
	}
	if d, ok := m.expand(dest, env); ok {
		dest = d
	} else {
		return nil, "uses variables wharf cannot resolve", false
	}
	to := dest
	if !path.IsAbs(to) {
		to = path.Join(workdir, to)
	}
	intoDir := strings.HasSuffix(dest, "/") || len(srcs) > 1 || dest == "." || dest == "./"
	if from != "" {
		st := m.stage(from)
		if st == nil {
			return nil, "copies from an image, which the spec cannot name", false
		}
		for _, s := range srcs {
			if strings.Contains(s, "ca-certificates") {
				return nil, "CA certificates, which wharf's runner gets itself", true
			}
			if m.fromBuilder(st) && m.builtOutput(s) {
				return nil, fmt.Sprintf("the %s build's output, which wharf's runner receives from its own builder", m.p.Language), true
			}
		}
		// A project file the stage copied in and left alone: wharf's
		// builder has it in /src.
		var arts []spec.Artifact
		for _, s := range srcs {
			rel := m.stageRel(st, s)
			if rel == "" || rel == "." || !exists(m.fsys, rel) {
				return nil, fmt.Sprintf("copies %s from stage %s, which is no file of the project; build it with build.run and list it in artifacts", s, from), false
			}
			arts = append(arts, m.artifact(rel, to, intoDir))
		}
		return arts, "", false
	}
	var arts []spec.Artifact
	for _, s := range srcs {
		if strings.Contains(s, "://") {
			return nil, "downloads a URL, which the spec cannot", false
		}
		rel := detect.CleanRel(s)
		switch {
		case rel == "":
			return nil, "copies from outside the build context", false
		case rel == ".":
			m.copiedAll = true
			return nil, fmt.Sprintf("copies the whole project, which wharf's %s recipe installs or copies itself", m.p.Language), true
		case manifest(rel):
			return nil, fmt.Sprintf("a manifest that wharf's %s recipe copies itself", m.p.Language), true
		case strings.ContainsAny(rel, "*?["):
			if names, _ := fs.Glob(m.fsys, rel); len(names) > 0 && !slices.ContainsFunc(names, func(n string) bool { return !manifest(n) }) {
				return nil, fmt.Sprintf("manifests that wharf's %s recipe copies itself", m.p.Language), true
			}
			return nil, "a glob, which artifacts cannot hold", false
		case !exists(m.fsys, rel):
			return nil, "no such file in the project", false
		}
		arts = append(arts, m.artifact(rel, to, intoDir))
	}
	return arts, "", false
}

func (m *mapper) artifact(rel, to string, intoDir bool) spec.Artifact {
	if intoDir && !detect.IsDir(m.fsys, rel) {
		to = path.Join(to, path.Base(rel))
	}
	return spec.Artifact{From: path.Join("/src", rel), To: path.Clean(to)}
}

// fromBuilder reports whether st is the builder stage or one it is built
// FROM or that is built FROM it.
func (m *mapper) fromBuilder(st *Stage) bool {
	if m.builder == nil {
		return true
	}
	for s := st; s != nil; s = s.Parent {
		if s == m.builder {
			return true
		}
	}
	for s := m.builder; s != nil; s = s.Parent {
		if s == st {
			return true
		}
	}
	return false
}

// mountsWheels reports whether a RUN of the final stage of a Python
// project pip-installs what it bind-mounts from the builder: wharf's
// python.install: mount.
func (m *mapper) mountsWheels(c *instructions.RunCommand) bool {
	if m.p.Language != "python" {
		return false
	}
	text := c.String()
	if !strings.Contains(text, "type=bind") || !strings.Contains(text, "pip install") {
		return false
	}
	for _, mt := range mountFrom.FindAllStringSubmatch(text, -1) {
		if st := m.stage(mt[1]); st != nil && m.fromBuilder(st) {
			return true
		}
	}
	return false
}

// nodeOutput is the output folder of a Node build ("dist", "build") that
// a COPY into the final stage takes from the builder, or "".
func (m *mapper) nodeOutput(from string, srcs []string) string {
	if m.p.Language != "node" || from == "" {
		return ""
	}
	if st := m.stage(from); st == nil || !m.fromBuilder(st) {
		return ""
	}
	for _, s := range srcs {
		if base := path.Base(path.Clean(s)); base == "dist" || base == "build" {
			return base
		}
	}
	return ""
}

// builtOutput reports whether a path copied from a build stage is what
// the language's build produces: the Go binary, a virtual environment,
// installed packages, node_modules or the build's output folder.
func (m *mapper) builtOutput(src string) bool {
	clean := path.Clean(src)
	for _, b := range m.binaries {
		if path.Clean(b) == clean || path.Base(b) == path.Base(clean) {
			return true
		}
	}
	for _, v := range m.venvs {
		if clean == v || strings.HasPrefix(clean, v+"/") {
			return true
		}
	}
	base := path.Base(clean)
	switch m.p.Language {
	case "go":
		return base == m.p.Name || path.Ext(base) == "" && !strings.Contains(base, ".") && len(m.binaries) == 0 && !m.isDirInProject(base)
	case "python":
		return strings.Contains(clean, "site-packages") || strings.Contains(clean, "wheels") || base == "bin" || base == ".venv" || strings.HasPrefix(clean, "/root/.local") || clean == "/usr/local" || clean == "/install" || strings.HasPrefix(clean, "/usr/local/lib/python")
	case "node":
		return base == "node_modules" || base == "dist" || base == "build" || base == ".next" || base == "package.json"
	}
	return false
}

func (m *mapper) isDirInProject(name string) bool { return detect.IsDir(m.fsys, name) }

// stageRel is the project path of src in stage st: relative to its
// WORKDIR, when st copied the project there.
func (m *mapper) stageRel(st *Stage, src string) string {
	workdir := "/"
	for s := st; s != nil; s = s.Parent {
		for _, c := range s.Commands {
			if w, ok := c.(*instructions.WorkdirCommand); ok && s == st {
				workdir = joinDir(workdir, w.Path)
			}
		}
	}
	if !path.IsAbs(src) {
		return detect.CleanRel(src)
	}
	rel, ok := strings.CutPrefix(path.Clean(src), strings.TrimSuffix(workdir, "/")+"/")
	if !ok {
		return ""
	}
	return detect.CleanRel(rel)
}

func manifest(rel string) bool {
	switch path.Base(rel) {
	case "requirements.txt", "pyproject.toml", "setup.py", "setup.cfg", "poetry.lock", "uv.lock", "Pipfile", "Pipfile.lock",
		"go.mod", "go.sum", "package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", ".npmrc", ".yarnrc.yml":
		return true
	}
	return strings.HasPrefix(path.Base(rel), "requirements") && strings.HasSuffix(rel, ".txt")
}

func exists(fsys fs.FS, rel string) bool {
	_, err := fs.Stat(fsys, rel)
	return err == nil
}

// userGroup maps USER: a non-root user to runtime.user.
func (m *mapper) userGroup(user string, ln int) *group {
	name, grp, _ := strings.Cut(user, ":")
	final := m.f.Final().Image
	family := spec.InferFamily(final)
	var value, why string
	switch {
	case name == "root" || name == "0":
		m.leftover(ln, "USER "+user, "the Dockerfile runs as root; wharf's runner runs as the non-root user app (uid 10001): set runtime.user: root if the app needs root", false)
		return nil
	case name == "nonroot" && family == spec.Distroless:
		value, why = "65532:65532", "distroless images' nonroot user"
	case name == "node" && sameRepo(spec.BaseImage{Ref: final}.Repository(), "node"):
		value, why = "1000:1000", "the node image's node user"
	case isNumeric(name) && (grp == "" || isNumeric(grp)):
		value = user
	case grp == "" || grp == name:
		value, why = name, "wharf creates it with uid and gid 10001"
	default:
		m.leftover(ln, "USER "+user, "a named user and group wharf cannot write; use a numeric uid:gid", false)
		return nil
	}
	text := "From USER " + user + " at " + m.at(ln)
	if why != "" {
		text += ": " + why
	}
	return &group{at: m.at(ln), code: "USER " + user, apply: func(p *detect.Proposal) {
		p.Runtime = setField(p.Runtime, detect.Field{Key: "user", Value: detect.Scalar(value), Why: text + "."})
	}}
}

// tiniPrefix is how many leading words of an exec-form ENTRYPOINT run
// tini in front of the rest: ["/usr/bin/tini", "--"] is 2; 0 for none.
func tiniPrefix(eargs []string) int {
	if len(eargs) == 0 || (path.Base(eargs[0]) != "tini" && path.Base(eargs[0]) != "tini-static") {
		return 0
	}
	if len(eargs) > 1 && eargs[1] == "--" {
		return 2
	}
	if len(eargs) > 1 && strings.HasPrefix(eargs[1], "-") {
		return 0 // tini's own flags (-g, -s): not what runtime.init writes
	}
	return 1
}

func isNumeric(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil && s != ""
}

// commandGroups map CMD and ENTRYPOINT.
func (m *mapper) commandGroups(cmd *instructions.CmdCommand, entry *instructions.EntrypointCommand, env *envMap) []group {
	if cmd == nil && entry == nil {
		return nil
	}
	var gs []group
	var (
		args, eargs []string
		at          []string
		ok          = true
		shellWhy    string
		shellForm   string
		lines       []int
	)
	if entry != nil {
		ln := line(entry.Location())
		at, lines = append(at, m.at(ln)), append(lines, ln)
		eargs, ok, shellWhy = execForm(entry.ShellDependantCmdLine)
		if !ok {
			shellForm = "ENTRYPOINT " + strings.Join(entry.CmdLine, " ")
		}
	}
	if cmd != nil && (entry == nil || !entry.PrependShell) {
		ln := line(cmd.Location())
		at, lines = append(at, m.at(ln)), append(lines, ln)
		var cok bool
		var why string
		args, cok, why = execForm(cmd.ShellDependantCmdLine)
		if !cok {
			ok, shellWhy, shellForm = false, why, "CMD "+strings.Join(cmd.CmdLine, " ")
		}
	} else if cmd != nil {
		m.leftover(line(cmd.Location()), code(cmd), "ignored by Docker: the shell-form ENTRYPOINT takes no CMD", false)
	}
	where := strings.Join(at, " and ")
	if !ok {
		// What Docker runs for a shell form: /bin/sh -c "...".
		text := strings.TrimPrefix(strings.TrimPrefix(shellForm, "CMD "), "ENTRYPOINT ")
		full := []string{"/bin/sh", "-c", text}
		gs = append(gs, group{at: where, code: shellForm, apply: func(p *detect.Proposal) {
			why := fmt.Sprintf("From the shell-form %s at %s, kept as Docker runs it (/bin/sh -c) because %s; wharf writes exec form only. Turn it into a plain command if you can.", strings.Fields(shellForm)[0], where, shellWhy)
			sure := detect.Certain
			if !spec.InferFamily(p.Runner).HasShell() {
				sure = detect.Unknown
				why = fmt.Sprintf("the shell-form %s at %s needs /bin/sh, which the runner %s lacks, because %s: write it as a plain command.", strings.Fields(shellForm)[0], where, p.Runner, shellWhy)
			}
			if entry != nil && entry.PrependShell {
				p.Runtime = setField(p.Runtime, detect.Field{Key: "entrypoint", Value: execJSON(full), Why: why, Sure: sure})
				p.Cmd, p.CmdWhy, p.CmdSure = nil, "", detect.Certain
				return
			}
			if entry != nil {
				p.Runtime = setField(p.Runtime, detect.Field{Key: "entrypoint", Value: execJSON(eargs), Why: "From ENTRYPOINT at " + where + "."})
			}
			p.Cmd, p.CmdWhy, p.CmdSure = full, why, sure
		}})
		return gs
	}
	form := "CMD"
	if entry != nil {
		form = "ENTRYPOINT"
		if cmd != nil {
			form = "ENTRYPOINT and CMD"
		}
	}
	// tini in front of the command is what runtime.init: tini writes:
	// kept as the entrypoint, wharf would put its own init in front of it.
	if n := tiniPrefix(eargs); n > 0 {
		eargs = eargs[n:]
		at := m.at(line(entry.Location()))
		gs = append(gs, group{at: at, code: "ENTRYPOINT " + strings.Join(entry.CmdLine, " "), apply: func(p *detect.Proposal) {
			p.Runtime = setField(p.Runtime, detect.Field{Key: "init", Value: "tini", Why: "From ENTRYPOINT at " + at + ": tini as PID 1, which runtime.init: tini installs and puts in front of the command (so it is not among the packages)."})
		}})
		if len(eargs) == 0 && cmd == nil {
			return gs
		}
	}
	full := append(slices.Clone(eargs), args...)
	// Commands run from a virtual environment: wharf installs into the
	// image's own Python, whose bin folder is on the PATH.
	for i, a := range full {
		for _, v := range m.venvs {
			if strings.HasPrefix(a, v+"/bin/") {
				full[i] = strings.TrimPrefix(a, v+"/bin/")
			}
		}
	}
	// Go: wharf's ENTRYPOINT is the binary; what follows are its arguments.
	if m.p.Language == "go" && len(full) > 0 && m.isGoBinary(full[0]) {
		rest := full[1:]
		bin := path.Base(full[0])
		var codes []string
		if entry != nil {
			codes = append(codes, code(entry))
		}
		if cmd != nil {
			codes = append(codes, code(cmd))
		}
		gs = append(gs, group{at: where, code: form, apply: func(p *detect.Proposal) {
			if bin != p.Name && getField(p.Section, "binary") == nil && getField(p.Section, "binaries") == nil {
				p.Section = setField(p.Section, detect.Field{Key: "binary", Value: detect.Scalar(bin), Why: fmt.Sprintf("The binary the Dockerfile runs (%s).", where)})
			}
			if len(rest) > 0 {
				p.Cmd, p.CmdSure = rest, detect.Certain
				p.CmdWhy = fmt.Sprintf("From %s at %s: the arguments of %s, which wharf installs at /usr/local/bin and makes the ENTRYPOINT.", form, where, full[0])
			} else {
				p.Cmd = nil
				p.Leftovers = append(p.Leftovers, detect.Leftover{At: where, Code: strings.Join(codes, "; "), Why: "runs the Go binary, which wharf installs at /usr/local/bin and makes the ENTRYPOINT", Handled: true})
			}
		}})
		return gs
	}
	gs = append(gs, group{at: where, code: form, apply: func(p *detect.Proposal) {
		why := fmt.Sprintf("From %s at %s.", form, where)
		if len(eargs) > 0 {
			p.Runtime = setField(p.Runtime, detect.Field{Key: "entrypoint", Value: execJSON(full[:len(eargs)]), Why: why})
			p.Cmd, p.CmdWhy, p.CmdSure = full[len(eargs):], why, detect.Certain
			if len(p.Cmd) == 0 {
				p.Cmd = nil
			}
			return
		}
		p.Cmd, p.CmdWhy, p.CmdSure = full, why, detect.Certain
	}})
	return gs
}

// isGoBinary reports whether the command runs the binary the build made.
func (m *mapper) isGoBinary(prog string) bool {
	for _, b := range m.binaries {
		if path.Base(b) == path.Base(prog) {
			return true
		}
	}
	if bin := getField(m.p.Section, "binary"); bin != nil && strings.Trim(bin.Value, `"`) == path.Base(prog) {
		return true
	}
	return path.Base(prog) == m.p.Name
}

// execForm is the command's arguments in exec form: as written, or a
// plain shell-form command split into words. ok is false for a shell
// form that needs the shell, with the reason.
func execForm(c instructions.ShellDependantCmdLine) ([]string, bool, string) {
	if !c.PrependShell {
		return c.CmdLine, true, ""
	}
	args, why, ok := plainCommand(strings.Join(c.CmdLine, " "))
	return args, ok, why
}

func (m *mapper) healthGroup(h *instructions.HealthCheckCommand) group {
	ln := line(h.Location())
	return group{at: m.at(ln), code: code(h), apply: func(p *detect.Proposal) {
		hc := h.Health
		if hc == nil || len(hc.Test) == 0 || hc.Test[0] == "NONE" {
			p.Leftovers = append(p.Leftovers, detect.Leftover{At: m.at(ln), Code: code(h), Why: "turns the base image's healthcheck off, which the spec cannot say"})
			return
		}
		var args []string
		why := "From HEALTHCHECK at " + m.at(ln) + "."
		switch hc.Test[0] {
		case "CMD":
			args = hc.Test[1:]
		case "CMD-SHELL":
			var ok bool
			var reason string
			args, reason, ok = plainCommand(strings.Join(hc.Test[1:], " "))
			if !ok {
				args = []string{"/bin/sh", "-c", strings.Join(hc.Test[1:], " ")}
				why = fmt.Sprintf("From the shell-form HEALTHCHECK at %s, kept as Docker runs it (/bin/sh -c) because %s.", m.at(ln), reason)
			}
		}
		parts := []string{"cmd: " + execJSON(args)}
		for _, d := range []struct {
			key string
			v   time.Duration
		}{{"interval", hc.Interval}, {"timeout", hc.Timeout}, {"start_period", hc.StartPeriod}, {"start_interval", hc.StartInterval}} {
			if d.v > 0 {
				parts = append(parts, d.key+": "+d.v.String())
			}
		}
		if hc.Retries > 0 {
			parts = append(parts, "retries: "+strconv.Itoa(hc.Retries))
		}
		p.Runtime = setField(p.Runtime, detect.Field{Key: "healthcheck", Value: "{" + strings.Join(parts, ", ") + "}", Why: why})
	}}
}

// managedEnv are variables wharf's stages set or need no copy of.
func managedEnv(key string, venvs []string) bool {
	switch key {
	case "PATH", "VIRTUAL_ENV", "CGO_ENABLED", "GOOS", "GOARCH", "GOFLAGS", "GOPATH", "GOCACHE", "GOMODCACHE", "PIP_NO_CACHE_DIR", "PIP_DISABLE_PIP_VERSION_CHECK", "DEBIAN_FRONTEND":
		return true
	}
	return false
}

func argCode(c *instructions.ArgCommand) string {
	var parts []string
	for _, kv := range c.Args {
		switch {
		case kv.Value == nil:
			parts = append(parts, kv.Key)
		case spec.LooksSecret(kv.Key, *kv.Value):
			parts = append(parts, kv.Key+"=<redacted>")
		default:
			parts = append(parts, kv.Key+"="+*kv.Value)
		}
	}
	return shorten("ARG " + strings.Join(parts, " "))
}

func joinDir(dir, p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join(dir, p)
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func uniq(list []string) []string {
	var out []string
	for _, s := range list {
		out = appendOnce(out, s)
	}
	return out
}

func getField(fields []detect.Field, key string) *detect.Field {
	for i := range fields {
		if fields[i].Key == key {
			return &fields[i]
		}
	}
	return nil
}

// setField replaces the field of f's key, or appends f.
func setField(fields []detect.Field, f detect.Field) []detect.Field {
	if old := getField(fields, f.Key); old != nil {
		*old = f
		return fields
	}
	return append(fields, f)
}

// mapLines writes a mapping as block YAML lines, sorted by key.
func mapLines(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = detect.Scalar(k) + ": " + quoteValue(m[k])
	}
	return lines
}

// quoteValue writes an ENV or LABEL value as a YAML string.
func quoteValue(v string) string { return detect.Scalar(v) }

// execJSON writes arguments as a JSON list, as exec form is written.
func execJSON(args []string) string { return detect.ExecList(args) }
