package golang

import (
	"fmt"
	"go/ast"
	"go/token"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

// openers are the functions that open files named by their argument at
// run time, relative to the working directory, by package name.
var openers = map[string][]string{
	"os":       {"Open", "OpenFile", "ReadFile", "ReadDir", "DirFS", "Stat"},
	"ioutil":   {"ReadFile", "ReadDir"},
	"template": {"ParseGlob", "ParseFiles"},
	"http":     {"Dir"},
	"godotenv": {"Load"},
}

// conventional are folders Go services usually read at run time.
var conventional = []string{"templates", "static", "migrations", "public", "web"}

// listenAddr matches a literal listen address with a port.
var listenAddr = lazyregexp.New(`^(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\])?:([0-9]{2,5})$`)

// scanFile records what the file opens, embeds and listens on.
func scanFile(f *ast.File, pkg *goPkg) {
	for _, group := range f.Comments {
		for _, c := range group.List {
			if rest, ok := strings.CutPrefix(c.Text, "//go:embed "); ok {
				pkg.embeds = append(pkg.embeds, strings.Fields(rest)...)
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || len(n.Args) == 0 {
				return true
			}
			x, ok := sel.X.(*ast.Ident)
			if !ok || !slices.Contains(openers[x.Name], sel.Sel.Name) {
				return true
			}
			for _, a := range n.Args {
				if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if v, err := strconv.Unquote(lit.Value); err == nil {
						pkg.opens = append(pkg.opens, v)
					}
				}
			}
		case *ast.BasicLit:
			if n.Kind != token.STRING {
				return true
			}
			if v, err := strconv.Unquote(n.Value); err == nil {
				if m := listenAddr.FindStringSubmatch(v); m != nil {
					if port, _ := strconv.Atoi(m[1]); port > 0 && port < 65536 {
						pkg.ports = append(pkg.ports, port)
					}
				}
			}
		}
		return true
	})
}

// runtimeFiles proposes, as artifacts, the files and folders of the
// project that the program opens at run time and does not embed: the
// first element of each literal path it opens that exists in the project,
// and the conventional folders.
func runtimeFiles(fsys fs.FS, pkgs []goPkg, p *detect.Proposal) {
	var embeds []string
	found := map[string]string{} // top-level path to why
	for _, pkg := range pkgs {
		for _, e := range pkg.embeds {
			embeds = append(embeds, path.Clean(path.Join(pkg.dir, e)))
		}
	}
	embedded := func(top string) bool {
		for _, e := range embeds {
			if e == top || strings.HasPrefix(e, top+"/") || strings.HasPrefix(top, e+"/") {
				return true
			}
		}
		return false
	}
	for _, pkg := range pkgs {
		for _, o := range pkg.opens {
			top := topElement(o)
			if top == "" || embedded(top) {
				continue
			}
			if detect.IsFile(fsys, top) || detect.IsDir(fsys, top) {
				if _, ok := found[top]; !ok {
					found[top] = fmt.Sprintf("%q in %s", o, goMainPath(pkg.dir))
				}
			}
		}
	}
	for _, c := range conventional {
		if _, ok := found[c]; !ok && detect.IsDir(fsys, c) && !embedded(c) {
			found[c] = c + "/, a folder Go services read at run time"
		}
	}
	if len(found) == 0 {
		return
	}
	tops := make([]string, 0, len(found))
	for t := range found {
		tops = append(tops, t)
	}
	slices.Sort(tops)
	var why []string
	for _, t := range tops {
		p.Artifacts = append(p.Artifacts, spec.Artifact{From: "/src/" + t, To: "/app/" + t})
		why = append(why, found[t])
	}
	p.ArtifactsWhy = fmt.Sprintf("The program opens files relative to its working directory (/app) that it does not embed: %s. The runner gets them next to the binary. Remove what it does not need at run time.", detect.JoinList(why))
}

// topElement is the first element of a relative path the program opens,
// or "" for an absolute path, one that leaves the folder, or one with
// characters a spec path cannot hold.
func topElement(p string) string {
	p = path.Clean(strings.TrimPrefix(p, "./"))
	if p == "." || path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
		return ""
	}
	top, _, _ := strings.Cut(p, "/")
	if strings.ContainsAny(top, "*?[%") || !pathChars.MatchString(top) {
		return ""
	}
	return top
}

var pathChars = lazyregexp.New(`^[A-Za-z0-9._@+-]+$`)

// listenPorts proposes the ports of the literal listen addresses in the
// chosen main package, or in the whole module when it has none.
func listenPorts(pkgs []goPkg, chosen string, p *detect.Proposal) {
	var ports []int
	where := "the main package"
	for _, pkg := range pkgs {
		if pkg.dir == chosen {
			ports = append(ports, pkg.ports...)
		}
	}
	if len(ports) == 0 {
		where = "the module"
		for _, pkg := range pkgs {
			ports = append(ports, pkg.ports...)
		}
	}
	slices.Sort(ports)
	ports = slices.Compact(ports)
	if len(ports) == 0 || len(ports) > 4 {
		return
	}
	p.Expose = ports
	p.ExposeWhy = fmt.Sprintf("Literal listen addresses in %s.", where)
}

// cgoRequirements are modules that need cgo, each with why.
var cgoRequirements = map[string]string{
	"github.com/mattn/go-sqlite3":                "SQLite's C library, compiled in through cgo",
	"github.com/confluentinc/confluent-kafka-go": "librdkafka",
	"gopkg.in/gographics/imagick.v2":             "ImageMagick's MagickWand",
	"gopkg.in/gographics/imagick.v3":             "ImageMagick's MagickWand",
	"github.com/tecbot/gorocksdb":                "RocksDB",
	"github.com/linxGnu/grocksdb":                "RocksDB",
	"github.com/go-gl/glfw":                      "GLFW",
	"github.com/DataDog/zstd":                    "zstd's C sources",
	"github.com/google/gopacket/pcap":            "libpcap",
	"github.com/miekg/pkcs11":                    "a PKCS#11 module through dlopen",
}

// cgoModules lists the required modules of go.mod that need cgo.
func cgoModules(mod string) []string {
	var found []string
	for _, line := range strings.Split(mod, "\n") {
		fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(fields) < 2 {
			continue
		}
		for m, why := range cgoRequirements {
			if fields[0] == m || strings.HasPrefix(fields[0], m+"/") || strings.HasPrefix(m, fields[0]+"/") {
				found = append(found, fmt.Sprintf("%s (%s)", fields[0], why))
			}
		}
	}
	slices.Sort(found)
	return slices.Compact(found)
}
