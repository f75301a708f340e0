// Package golang is wharf's Go recipe: binaries built with module and build
// caches in the builder, copied alone into a minimal runner.
//
// It holds everything about the language: the go section of the spec, the
// Dockerfile data and blocks (golang.tmpl), the .dockerignore defaults and
// init's detection.
package golang

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
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
	// spec's folder; Binary its binary's name. Both are empty with
	// go.binaries.
	Main   string
	Binary string
	// Programs are the binaries to build, in order; the first is the
	// ENTRYPOINT. They are go.binaries, or else the one of Main and
	// Binary (Complete fills it in).
	Programs []Program
	CGO      bool
	// Static links a cgo binary statically (-extldflags=-static), so that
	// it runs on a runner with no C library (distroless static, scratch).
	Static  bool
	LDFlags string
	Tags    []string
	// Private, if set, says how the builder fetches private modules.
	Private *Private
}

// Program is one main package to build and the name of its binary.
type Program struct {
	// Main is the package, relative to the spec's folder (./cmd/server).
	Main string
	// Binary is its file name in /usr/local/bin.
	Binary string
}

// Private is the go.private section: modules fetched from their own
// servers with a login that never reaches a layer.
type Private struct {
	// Modules are module path prefixes, GOPRIVATE: fetched directly, not
	// through the proxy, and not checked against the checksum database.
	Modules []string
	// Netrc is the id of a BuildKit secret holding a .netrc file, mounted
	// at /root/.netrc on the steps that download.
	Netrc string
	// SSH fetches the modules' git repositories over SSH with the build's
	// SSH agent (RUN --mount=type=ssh), through git's url.insteadOf.
	SSH bool
}

// NetrcPath is where the download steps mount go.private.netrc: git (for
// direct fetches) and the go command (for a proxy) read it there.
const NetrcPath = "/root/.netrc"

// What -ldflags values, build tags and binary names may hold: no quotes and
// no shell syntax but references to build arguments, $NAME or ${NAME}.
const (
	ldflagsPattern = `^([A-Za-z0-9 _./=:,+@%-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})*$`
	tagPattern     = `^[A-Za-z0-9_.]+$`
	binaryPattern  = `^[A-Za-z0-9][A-Za-z0-9._-]*$`
	mainPattern    = `^\.(/[A-Za-z0-9._/@+*-]+)?$`
	// modulePattern is a module path prefix: a host with a dot, then
	// path elements; no globs, so that it is also a URL prefix for git.
	modulePattern = `^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+(/[A-Za-z0-9._~+-]+)*$`
)

// ArgChars are the characters a build argument that go.ldflags uses may
// hold, as a bracket expression's inside: the build step checks the value
// against it (golang.tmpl), and wharf the argument's default. None of them
// is a space or a quote, which Go's splitting of -ldflags would honour.
const ArgChars = "A-Za-z0-9._+:/@~-"

var (
	argValueRE = lazyregexp.New(`^[` + ArgChars + `]*$`)
	// argRefRE is a reference to a build argument in go.ldflags.
	argRefRE  = lazyregexp.New(`\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})`)
	ldflagsRE = lazyregexp.New(ldflagsPattern)
	tagRE     = lazyregexp.New(tagPattern)
	binaryRE  = lazyregexp.New(binaryPattern)
	moduleRE  = lazyregexp.New(modulePattern)
)

var keys = []string{"main", "binary", "binaries", "cgo", "static", "ldflags", "tags", "private"}

// Decode reads the go section.
func (language) Decode(d *spec.Decoder, n *yaml.Node) spec.Recipe {
	r := &Recipe{LDFlags: "-s -w"}
	listed := false
	if n != nil {
		d.Fields(n, "go", keys, func(key string, v *yaml.Node, p string) {
			switch key {
			case "main":
				if m, ok := d.NonEmpty(v, p); ok {
					r.Main = goPackage(d, v, p, m)
				}
			case "binary":
				r.Binary = binaryName(d, v, p)
			case "binaries":
				listed = true
				r.Programs = decodeBinaries(d, v, p)
			case "cgo":
				r.CGO = d.Bool(v, p)
			case "static":
				r.Static = d.Bool(v, p)
			case "ldflags":
				if f, ok := d.Text(v, p); ok {
					if !ldflagsRE.MatchString(f) {
						d.Errorf(v, spec.ErrInvalid, "%s %q may hold only flags and values (letters, digits, spaces and _./=:,+@%%-) and build arguments as $NAME or ${NAME}, no quotes or other shell syntax (${NAME:-x}, $(...), $$): declare the argument in build.args and write e.g. -X main.version=${VERSION}", p, f)
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
			case "private":
				r.Private = decodePrivate(d, v, p)
			}
		})
	}
	if r.Main == "" && !listed {
		r.Main = "."
	}
	return r
}

// binaryName decodes a binary's file name.
func binaryName(d *spec.Decoder, n *yaml.Node, p string) string {
	b, ok := d.NonEmpty(n, p)
	if ok && !binaryRE.MatchString(b) {
		d.Errorf(n, spec.ErrInvalid, "%s %q is not a file name; use letters, digits, '.', '_' and '-'", p, b)
	}
	return b
}

// decodeBinaries reads go.binaries: a list of {main, binary}.
func decodeBinaries(d *spec.Decoder, n *yaml.Node, p string) []Program {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	const example = "[{main: ./cmd/server}, {main: ./cmd/cli, binary: cli}]"
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, spec.ErrType, "%s must be a list of the binaries to build, each {main: PACKAGE, binary: NAME} (binary optional), e.g. %s", p, example)
		return nil
	}
	if len(n.Content) == 0 {
		d.Errorf(n, spec.ErrRequired, "%s lists no binary; list at least one, e.g. %s, or use main instead", p, example)
		return nil
	}
	var out []Program
	for i, item := range n.Content {
		ip := fmt.Sprintf("%s[%d]", p, i)
		var prog Program
		if !d.Fields(item, ip, []string{"main", "binary"}, func(key string, v *yaml.Node, fp string) {
			switch key {
			case "main":
				if m, ok := d.NonEmpty(v, fp); ok {
					prog.Main = goPackage(d, v, fp, m)
				}
			case "binary":
				prog.Binary = binaryName(d, v, fp)
			}
		}) {
			continue
		}
		if !d.Has(ip + ".main") {
			d.Errorf(d.At(ip), spec.ErrRequired, "%s.main is required: the package to build, relative to the spec's folder, e.g. main: ./cmd/server", ip)
		}
		out = append(out, prog)
	}
	return out
}

// decodePrivate reads go.private: {modules, netrc, ssh}.
func decodePrivate(d *spec.Decoder, n *yaml.Node, p string) *Private {
	pr := &Private{}
	if !d.Fields(n, p, []string{"modules", "netrc", "ssh"}, func(key string, v *yaml.Node, fp string) {
		switch key {
		case "modules":
			for i, m := range d.List(v, fp, "[github.com/acme, gitlab.example.com/team]") {
				if !moduleRE.MatchString(m) {
					d.Errorf(d.Item(fp, i), spec.ErrInvalid, "%s: %q is not a module path prefix; write a host and path with no scheme, glob or trailing slash, e.g. github.com/acme (it covers every module below it)", fp, m)
				}
				pr.Modules = append(pr.Modules, m)
			}
		case "netrc":
			pr.Netrc, _ = d.SecretID(v, fp)
		case "ssh":
			pr.SSH = d.Bool(v, fp)
		}
	}) {
		return nil
	}
	if len(pr.Modules) == 0 && !d.Has(p+".modules") {
		d.Errorf(n, spec.ErrRequired, "%s.modules is required: the module path prefixes to fetch directly (GOPRIVATE), e.g. modules: [github.com/acme]", p)
	}
	if pr.Netrc == "" && !pr.SSH && !d.Has(p+".netrc") {
		d.Errorf(n, spec.ErrRequired, "%s needs netrc (the id of a BuildKit secret holding a .netrc with the login, e.g. netrc: go_netrc) or ssh: true (fetch over SSH with the build's SSH agent)", p)
	}
	return pr
}

// Hosts are the module prefixes' hosts, sorted, each once.
func (p *Private) Hosts() []string {
	var hosts []string
	for _, m := range p.Modules {
		h, _, _ := strings.Cut(m, "/")
		hosts = append(hosts, h)
	}
	slices.Sort(hosts)
	return slices.Compact(hosts)
}

// Rewrite is one git url.insteadOf rule: URLs starting with HTTPS are
// fetched from SSH instead.
type Rewrite struct{ Key, HTTPS string }

// Rewrites are the git configuration keys (url.<ssh>.insteadOf) and
// values that send each module prefix's https URLs to SSH.
func (p *Private) Rewrites() []Rewrite {
	rw := make([]Rewrite, len(p.Modules))
	for i, m := range p.Modules {
		rw[i] = Rewrite{Key: "url.ssh://git@" + m + "/.insteadOf", HTTPS: "https://" + m + "/"}
	}
	return rw
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
	if d.Has("go.binaries") {
		r.completeBinaries(d, s)
	} else {
		if r.Binary == "" {
			r.Binary = s.Name
		}
		r.Programs = []Program{{Main: r.Main, Binary: r.Binary}}
	}
	r.checkLDFlags(d, s)
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
	if _, set := s.Build.Env["GOPRIVATE"]; set && r.Private != nil {
		d.Errorf(d.At("build.env.GOPRIVATE"), spec.ErrInvalid, "build.env.GOPRIVATE is set by go.private.modules; remove it from build.env")
	}
	u := s.Runtime.User
	if runner.Family == spec.Scratch && !strings.Contains(u, ":") && u != spec.DefaultUser && u != "root" && strings.Trim(u, "0123456789") != "" {
		d.Errorf(d.At("runtime.user"), spec.ErrNoShell, "runtime.user %q cannot be created in a scratch runner (no shell); use a numeric uid such as \"%d\"", u, spec.DefaultUID)
	}
}

// completeBinaries names each binary of go.binaries that has no binary
// after its package (the spec's name for "."), and refuses go.main and
// go.binary beside the list, and two entries with the same binary or the
// same package.
func (r *Recipe) completeBinaries(d *spec.Decoder, s *spec.Spec) {
	if d.Has("go.main") {
		d.Errorf(d.At("go.main"), spec.ErrInvalid, "go.main and go.binaries both say what to build; keep go.binaries, which lists every binary, and remove go.main (add {main: %s} to binaries if that package is one of them; main: null drops one inherited through extends)", r.Main)
	}
	if d.Has("go.binary") {
		d.Errorf(d.At("go.binary"), spec.ErrInvalid, "go.binary names go.main's binary, but go.binaries lists every binary; keep go.binaries and remove go.binary (set binary on the entry instead, e.g. {main: ./cmd/server, binary: %s}; binary: null drops one inherited through extends)", r.Binary)
	}
	r.Main, r.Binary = "", ""
	byName, byMain := map[string]int{}, map[string]int{}
	for i := range r.Programs {
		prog := &r.Programs[i]
		if prog.Main == "" {
			continue // reported by Decode
		}
		ip := fmt.Sprintf("go.binaries[%d]", i)
		at := d.At(ip + ".main")
		if first, dup := byMain[prog.Main]; dup {
			d.Errorf(at, spec.ErrInvalid, "%s.main %s is also go.binaries[%d].main (line %d): a package builds one binary; remove one of the two entries", ip, prog.Main, first, d.At(fmt.Sprintf("go.binaries[%d].main", first)).Line)
		} else {
			byMain[prog.Main] = i
		}
		how := ""
		if prog.Binary == "" {
			prog.Binary = path.Base(prog.Main)
			how = fmt.Sprintf(" (the last element of main %s)", prog.Main)
			if prog.Main == "." {
				prog.Binary = s.Name
				how = " (the spec's name, for main .)"
			}
			if !binaryRE.MatchString(prog.Binary) {
				d.Errorf(at, spec.ErrInvalid, "%s: the binary's name defaults to %q%s, which is not a file name; set binary, e.g. {main: %s, binary: server}", ip, prog.Binary, how, prog.Main)
				continue
			}
		} else {
			at = d.At(ip + ".binary")
		}
		if first, dup := byName[prog.Binary]; dup {
			d.Errorf(at, spec.ErrInvalid, "%s: the binary %q%s is also go.binaries[%d]'s (line %d), and each is installed as /usr/local/bin/BINARY; set a binary name of its own on one of them", ip, prog.Binary, how, first, d.At(fmt.Sprintf("go.binaries[%d]", first)).Line)
		} else {
			byName[prog.Binary] = i
		}
	}
}

// ArgRefs are the build arguments go.ldflags uses ($NAME or ${NAME}),
// sorted, each once.
func (r *Recipe) ArgRefs() []string {
	var names []string
	for _, m := range argRefRE.FindAllStringSubmatch(r.LDFlags, -1) {
		names = append(names, m[1]+m[2])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// checkLDFlags checks the build arguments go.ldflags uses: each declared
// in build.args, not overridden by build.env, standing only in the value
// of a -X definition (where no value can become a flag of its own), with a
// default the build step's check accepts.
func (r *Recipe) checkLDFlags(d *spec.Decoder, s *spec.Spec) {
	if !argRefRE.MatchString(r.LDFlags) {
		return
	}
	at := d.At("go.ldflags")
	words := strings.Fields(r.LDFlags)
	for i, w := range words {
		value := ""
		switch {
		case i > 0 && (words[i-1] == "-X" || words[i-1] == "--X"):
			_, value, _ = strings.Cut(w, "=")
		case strings.HasPrefix(w, "-X=") || strings.HasPrefix(w, "--X="):
			_, def, _ := strings.Cut(w, "=")
			_, value, _ = strings.Cut(def, "=")
		}
		if strings.Count(w, "$") > strings.Count(value, "$") {
			d.Errorf(at, spec.ErrInvalid, "go.ldflags: %q uses a build argument outside the value of a -X definition; a build argument may stand only after the = of -X importpath.name=value, e.g. -X main.version=${VERSION}, where no value can become a linker flag of its own", w)
		}
	}
	for _, name := range r.ArgRefs() {
		def, declared := s.Build.Args[name]
		switch {
		case !declared:
			d.Errorf(at, spec.ErrInvalid, "go.ldflags uses ${%s}, which build.args does not declare; add it to build.args with a default, e.g. build: {args: {%s: dev}}", name, name)
		case !argValueRE.MatchString(def):
			d.Errorf(d.At("build.args."+name), spec.ErrInvalid, "build.args.%s %q is used in go.ldflags, where a value may hold only letters, digits and %s (the build step refuses any other value of the argument); change the default", name, def, strings.TrimPrefix(ArgChars, "A-Za-z0-9"))
		}
		if _, set := s.Build.Env[name]; set {
			d.Errorf(d.At("build.env."+name), spec.ErrInvalid, "build.env.%s would replace the build argument %s that go.ldflags uses (ENV wins over ARG in the build step); remove it from build.env", name, name)
		}
	}
}

// Explain writes the section's effective values.
func (r *Recipe) Explain(e *spec.Explainer, m *yaml.Node) {
	if r.Main == "" { // go.binaries
		list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i, prog := range r.Programs {
			ip := fmt.Sprintf("go.binaries[%d]", i)
			item := e.Mapping()
			e.Add(item, "main", e.Str(ip+".main", prog.Main))
			e.Add(item, "binary", e.Str(ip+".binary", prog.Binary))
			list.Content = append(list.Content, item)
		}
		e.Add(m, "binaries", list)
	} else {
		e.Add(m, "main", e.Str("go.main", r.Main))
		e.Add(m, "binary", e.Str("go.binary", r.Binary))
	}
	e.Add(m, "cgo", e.Bool("go.cgo", r.CGO))
	e.Add(m, "static", e.Bool("go.static", r.Static))
	e.Add(m, "ldflags", e.Str("go.ldflags", r.LDFlags))
	e.Add(m, "tags", e.List("go.tags", r.Tags))
	if p := r.Private; p != nil {
		pm := e.Mapping()
		e.Add(pm, "modules", e.List("go.private.modules", p.Modules))
		if p.Netrc != "" {
			e.Add(pm, "netrc", e.Str("go.private.netrc", p.Netrc))
		}
		e.Add(pm, "ssh", e.Bool("go.private.ssh", p.SSH))
		e.Add(m, "private", pm)
	}
}

// Schema is the go section's JSON Schema.
func (language) Schema() *spec.SchemaNode {
	return spec.SchemaObject("The Go recipe: one binary (main, binary), or several (binaries).", map[string]*spec.SchemaNode{
		"main":   spec.SchemaPattern("The package to build, relative to the spec's folder, e.g. ./cmd/server. Not with binaries.", mainPattern).WithDefault("."),
		"binary": spec.SchemaPattern("The binary's file name. Defaults to the spec's name. Not with binaries.", binaryPattern),
		"binaries": spec.SchemaList("The binaries to build, instead of main and binary: all in one step with the module and build caches, each installed as /usr/local/bin/BINARY; the first is the ENTRYPOINT.", spec.SchemaObject("One binary.", map[string]*spec.SchemaNode{
			"main":   spec.SchemaPattern("The package to build, relative to the spec's folder, e.g. ./cmd/server.", mainPattern),
			"binary": spec.SchemaPattern("The binary's file name. Defaults to the last element of main (the spec's name for .).", binaryPattern),
		}, "main")).WithExamples([]any{map[string]any{"main": "./cmd/server"}, map[string]any{"main": "./cmd/cli", "binary": "cli"}}),
		"cgo":     spec.SchemaBool("Build with cgo: the binary links the C library dynamically, so the runner needs one (the default runner becomes "+CGORunner.Ref+"). A Debian builder still cross-compiles, with Debian's cross gcc for the target platform; build.packages are then installed for the target's architecture (libsqlite3-dev:arm64). An Alpine builder runs on the target platform.", false),
		"static":  spec.SchemaBool("With cgo, link the binary statically (-extldflags=-static, with the netgo and osusergo tags), so it runs on a runner with no C library such as gcr.io/distroless/static-debian13 or scratch. The builder needs the static libraries (lib*-dev packages hold them on Debian).", false),
		"ldflags": spec.SchemaPattern("Flags for go build -ldflags: flags and values, no quotes or shell syntax; a build argument of build.args, as $NAME or ${NAME}, may stand in the value of -X importpath.name=value (-X main.version=${VERSION}). The build step checks the argument's value: letters, digits and "+strings.TrimPrefix(ArgChars, "A-Za-z0-9")+" only.", ldflagsPattern).WithDefault("-s -w"),
		"tags":    spec.SchemaList("Build tags.", spec.SchemaPattern("", tagPattern)).WithExamples([]any{"netgo", "osusergo"}),
		"private": spec.SchemaObject("Private modules. The login is never in the spec, the Dockerfile or the image: the steps that download mount it from a BuildKit secret (netrc) or the build's SSH agent (ssh).", map[string]*spec.SchemaNode{
			"modules": spec.SchemaList("Module path prefixes fetched directly from their servers, not through the proxy or the checksum database (GOPRIVATE).", spec.SchemaPattern("", modulePattern)).WithExamples([]any{"github.com/acme"}),
			"netrc":   spec.SchemaSecretID("The id of a BuildKit secret holding a .netrc file with the login (docker build --secret id=ID,src=$HOME/.netrc), mounted at " + NetrcPath + " while modules download.").WithExamples("go_netrc"),
			"ssh":     spec.SchemaBool("Fetch the modules' git repositories over SSH with the build's SSH agent (docker build --ssh default): git's url.insteadOf turns https://HOST/PATH/ into ssh://git@HOST/PATH/, and the hosts' keys are scanned into known_hosts.", false),
		}, "modules"),
	})
}
