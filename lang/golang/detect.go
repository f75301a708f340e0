package golang

import (
	"fmt"
	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec/detect"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// defaultGoMinor is the Go 1 minor of the default golang image.
const defaultGoMinor = 26

// oldestGoBookworm is the oldest Go 1 minor with golang:1.N-bookworm
// images, and oldestGoTrixie the oldest with golang:1.N-trixie (Debian 13,
// wharf's default line); minors in between stay on Debian 12.
const (
	oldestGoBookworm = 19
	oldestGoTrixie   = 24
)

var (
	goModule    = lazyregexp.New(`(?m)^module\s+"?([^\s"]+)"?`)
	goDirective = lazyregexp.New(`(?m)^go\s+1\.([0-9]+)`)
	goToolchain = lazyregexp.New(`(?m)^toolchain\s+go1\.([0-9]+)`)
	majorSuffix = lazyregexp.New(`^v[0-9]+$`)
	binaryChars = lazyregexp.New(`[^A-Za-z0-9._-]+`)
)

// goPkg is a folder of Go files that build for linux.
type goPkg struct {
	dir  string // slash path relative to the module root, "." for the root
	main bool
	cgo  bool // imports "C"
	// opens are the string literals the package passes to functions
	// that open files at run time (os.Open, template.ParseGlob, ...).
	opens []string
	// embeds are the patterns of its //go:embed directives.
	embeds []string
	// ports are the ports of literal listen addresses (":8080").
	ports []int
}

// Detect reads the project into p.
func (language) Detect(fsys fs.FS, p *detect.Proposal) error {
	mod, ok := detect.ReadFile(fsys, "go.mod")
	if !ok {
		return fmt.Errorf("go: found no go.mod; the go recipe builds a module: run go mod init first")
	}
	p.Sources = append(p.Sources, "go.mod")
	module := ""
	if m := goModule.FindStringSubmatch(mod); m != nil {
		module = m[1]
	}

	minor, why := defaultGoMinor, fmt.Sprintf("Go 1.%d: go.mod has no go directive.", defaultGoMinor)
	if m := goDirective.FindStringSubmatch(mod); m != nil {
		minor, _ = strconv.Atoi(m[1])
		why = fmt.Sprintf("Go 1.%d, from the go directive in go.mod.", minor)
		if t := goToolchain.FindStringSubmatch(mod); t != nil {
			if tm, _ := strconv.Atoi(t[1]); tm > minor {
				minor = tm
				why = fmt.Sprintf("Go 1.%d, from the toolchain directive in go.mod.", minor)
			}
		}
		if minor < oldestGoBookworm {
			minor = defaultGoMinor
			why = fmt.Sprintf("Go 1.%d: go.mod asks for Go 1.%s or newer, older than any golang:*-bookworm image.", minor, m[1])
		}
	}

	pkgs := goPackages(fsys)
	var mains, cgo []string
	for _, pkg := range pkgs {
		if pkg.main {
			mains = append(mains, pkg.dir)
		}
		if pkg.cgo {
			cgo = append(cgo, pkg.dir)
		}
	}
	if len(mains) == 0 {
		return fmt.Errorf("go: found no main package in the module; the go recipe builds one binary: add one (e.g. cmd/NAME/main.go) or pass the folder that holds it")
	}

	base := moduleBase(module)
	var cmds []string // the main packages under cmd/, in name order
	for _, m := range mains {
		if strings.HasPrefix(m, "cmd/") {
			cmds = append(cmds, m)
		}
	}
	chosen, chosenWhy := mains[0], ""
	switch {
	case slices.Contains(mains, "cmd/"+base):
		chosen = "cmd/" + base
		chosenWhy = fmt.Sprintf("it is named like the module (%s)", base)
	case slices.Contains(mains, "."):
		chosen = "."
		chosenWhy = "it is the module's root package"
	case len(cmds) > 0:
		chosen = cmds[0]
		chosenWhy = fmt.Sprintf("wharf cannot tell which one the image runs (none is named like the module, %s), so it took the first in name order", base)
	}
	binary := binaryFor(chosen, base)
	if module != "" {
		p.Name = detect.SpecName(base)
	} else {
		p.Name = detect.SpecName(binary)
	}
	g := &proposal{Main: goMainPath(chosen), Binary: binary}
	if binary == p.Name {
		g.Binary = ""
	}
	if len(cmds) > 1 {
		// Several commands under cmd/: build them all, the chosen one first.
		progs := []string{chosen}
		for _, m := range mains {
			if m != chosen && (m == "." || strings.HasPrefix(m, "cmd/")) {
				progs = append(progs, m)
			}
		}
		g.Main, g.Binary = "", ""
		for _, m := range progs {
			b := binaryFor(m, base)
			line := "- main: " + detect.Scalar(goMainPath(m))
			if def := path.Base(m); (m == "." && b != p.Name) || (m != "." && b != def) {
				line = "- {main: " + detect.Scalar(goMainPath(m)) + ", binary: " + detect.Scalar(b) + "}"
			}
			g.Binaries = append(g.Binaries, line)
		}
		g.MainWhy = fmt.Sprintf("The module's commands, each built into /usr/local/bin/<binary> in one step; the first, %s, is the ENTRYPOINT: %s. Remove the ones the image does not need; reorder to change the ENTRYPOINT.", goMainPath(chosen), chosenWhy)
		if others := slices.DeleteFunc(slices.Clone(mains), func(m string) bool { return slices.Contains(progs, m) }); len(others) > 0 {
			for i, m := range others {
				others[i] = goMainPath(m)
			}
			g.MainWhy += fmt.Sprintf(" Main packages outside cmd/, not built: %s.", detect.JoinList(others))
		}
	} else if len(mains) > 1 {
		var others []string
		for _, m := range mains {
			if m != chosen {
				others = append(others, goMainPath(m))
			}
		}
		g.MainWhy = fmt.Sprintf("The module has more main packages: %s. A spec builds one binary unless it lists binaries; add them with binaries: [{main: %s}, {main: %s}], or write one spec per binary.", detect.JoinList(others), goMainPath(chosen), others[0])
	}
	if len(cgo) == 0 {
		if mods := cgoModules(mod); len(mods) > 0 {
			g.CGO = true
			g.CGOWhy = fmt.Sprintf("Cgo: the module requires %s, which needs cgo, so the binary links the C library and the runner needs one. Add the -dev packages of libraries it links to build.packages.", detect.JoinList(mods))
		}
	}
	if len(cgo) > 0 {
		g.CGO = true
		dirs := make([]string, len(cgo))
		for i, d := range cgo {
			dirs[i] = goMainPath(d)
			if d == "." {
				dirs[i] = "the root package"
			}
		}
		g.CGOWhy = fmt.Sprintf("Cgo: %s imports \"C\", so the binary links the C library and the runner needs one. Add the -dev packages of libraries it links to build.packages, and their runtime packages to a runner with a shell.", detect.JoinList(dirs))
	}
	p.Section = g.fields()
	runtimeFiles(fsys, pkgs, p)
	listenPorts(pkgs, chosen, p)
	codename, debian := "trixie", "13"
	if minor < oldestGoTrixie {
		codename, debian = "bookworm", "12"
		why += fmt.Sprintf(" No golang:1.%d-trixie image exists, so both stages are on Debian 12.", minor)
	}
	p.Builder = fmt.Sprintf("golang:1.%d-%s", minor, codename)
	p.Runner = "gcr.io/distroless/static-debian" + debian
	p.ImagesWhy = why + " The runner is distroless: no shell, no package manager, only the binary."
	if g.CGO {
		p.Runner = "gcr.io/distroless/base-debian" + debian
		p.ImagesWhy = why + " The runner is distroless with glibc, which a cgo binary needs."
	}
	return nil
}

// binaryFor is the name of the binary built from the main package in
// dir: go build's, the folder's name (the module's for the root),
// made a file name wharf accepts.
func binaryFor(dir, base string) string {
	b := base
	if dir != "." {
		b = path.Base(dir)
	}
	b = strings.Trim(binaryChars.ReplaceAllString(b, "-"), "-._")
	if b == "" {
		b = "app"
	}
	return b
}

// moduleBase is the last element of a module path that is not a major
// version suffix, which go build names the binary of the root package after.
func moduleBase(module string) string {
	parts := strings.Split(module, "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i] != "" && !(i > 0 && majorSuffix.MatchString(parts[i])) {
			return parts[i]
		}
	}
	return ""
}

func goMainPath(dir string) string {
	if dir == "." {
		return "."
	}
	return "./" + dir
}

// goPackages lists the packages of the module in fsys, skipping nested
// modules and the folders the go command ignores. Files are matched for
// linux/amd64 with cgo enabled, so build tags and _windows.go suffixes
// count as the build in the image will see them.
func goPackages(fsys fs.FS) []goPkg {
	ctx := build.Default
	ctx.GOOS, ctx.GOARCH, ctx.CgoEnabled = "linux", "amd64", true
	ctx.JoinPath = path.Join
	ctx.OpenFile = func(name string) (io.ReadCloser, error) { return fsys.Open(name) }
	ctx.ReadDir = func(dir string) ([]fs.FileInfo, error) {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, err
		}
		infos := make([]fs.FileInfo, 0, len(entries))
		for _, e := range entries {
			if info, err := e.Info(); err == nil {
				infos = append(infos, info)
			}
		}
		return infos, nil
	}

	byDir := map[string]*goPkg{}
	var dirs []string
	_ = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if name != "." && (detect.SkipDir(d.Name()) || detect.IsFile(fsys, path.Join(name, "go.mod"))) {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		dir, file := path.Split(name)
		dir = strings.TrimSuffix(dir, "/")
		if dir == "" {
			dir = "."
		}
		if ok, err := ctx.MatchFile(dir, file); err != nil || !ok {
			return nil
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, data, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil
		}
		pkg := byDir[dir]
		if pkg == nil {
			pkg = &goPkg{dir: dir}
			byDir[dir] = pkg
			dirs = append(dirs, dir)
		}
		if f.Name.Name == "main" {
			pkg.main = true
		}
		for _, imp := range f.Imports {
			if imp.Path.Value == `"C"` {
				pkg.cgo = true
			}
		}
		scanFile(f, pkg)
		return nil
	})
	slices.Sort(dirs)
	out := make([]goPkg, len(dirs))
	for i, d := range dirs {
		out[i] = *byDir[d]
	}
	return out
}

// proposal is the proposed go section.
type proposal struct {
	Main   string
	Binary string // "" when it equals the spec's name
	// Binaries are go.binaries' lines, a YAML block list, when the
	// module has several commands; Main and Binary are then empty.
	Binaries []string
	MainWhy  string
	CGO      bool
	CGOWhy   string
}

func (g *proposal) fields() []detect.Field {
	f := []detect.Field{{Key: "main", Value: detect.Scalar(g.Main), Why: g.MainWhy}}
	if len(g.Binaries) > 0 {
		f = []detect.Field{{Key: "binaries", Lines: g.Binaries, Why: g.MainWhy, Sure: detect.Likely}}
	}
	if g.Binary != "" {
		f = append(f, detect.Field{Key: "binary", Value: detect.Scalar(g.Binary)})
	}
	if g.CGO {
		f = append(f, detect.Field{Key: "cgo", Value: "true", Why: g.CGOWhy})
	}
	return f
}

// Markers are the files that tell a Go project.
func (language) Markers() []string { return []string{"go.mod"} }
