// Package generate renders a spec into a Dockerfile and its .dockerignore.
//
// Generation is a pure function of the spec and the templates: it does no
// I/O, and the same spec gives the same bytes on every machine and run.
package generate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"sync"
	"text/template"

	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/templates"
)

// File is a generated file.
type File struct {
	// Path is slash-separated and relative to the spec's folder.
	Path string
	Data []byte
}

// Generator renders specs with a set of templates.
type Generator struct {
	tmpl *template.Template
	// custom names the template files that override built-in blocks,
	// so that errors in their output can name them.
	custom []string
}

// New returns a Generator with the built-in templates, whose blocks are
// overridden by the blocks that the *.tmpl files in custom define. custom
// may be nil.
func New(custom fs.FS) (*Generator, error) {
	tmpl, err := template.New("wharf").Funcs(funcs).Option("missingkey=error").ParseFS(templates.FS, "*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse built-in templates: %w", err)
	}
	g := &Generator{tmpl: tmpl}
	if custom == nil {
		return g, nil
	}
	names, err := fs.Glob(custom, "*.tmpl")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		data, err := fs.ReadFile(custom, name)
		if err != nil {
			return nil, fmt.Errorf("read template %s: %w", name, err)
		}
		if _, err := g.tmpl.New(name).Parse(string(data)); err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		g.custom = append(g.custom, name)
	}
	return g, nil
}

var builtin = sync.OnceValues(func() (*Generator, error) { return New(nil) })

// Files renders the spec's Dockerfile and .dockerignore with the built-in
// templates.
func Files(s *spec.Spec) ([]File, error) {
	g, err := builtin()
	if err != nil {
		return nil, err
	}
	return g.Files(s)
}

// Files renders the spec's Dockerfile and .dockerignore.
func (g *Generator) Files(s *spec.Spec) ([]File, error) {
	data := newDockerfile(s)
	var buf bytes.Buffer
	if err := g.tmpl.ExecuteTemplate(&buf, "dockerfile", data); err != nil {
		return nil, fmt.Errorf("render Dockerfile for %s: %w", s.File, err)
	}
	dockerfile := normalize(buf.Bytes())
	if err := checkSyntax(dockerfile); err != nil {
		if len(g.custom) > 0 {
			return nil, fmt.Errorf("the custom templates (%s) produce an invalid Dockerfile: %w", strings.Join(g.custom, ", "), err)
		}
		return nil, fmt.Errorf("wharf produced an invalid Dockerfile (a bug; please report it): %w", err)
	}
	return []File{
		{Path: s.Output, Data: dockerfile},
		{Path: DockerignorePath(s.Output), Data: dockerignore(s, data.SpecFile)},
	}, nil
}

// DockerignorePath returns where BuildKit looks for the ignore file of the
// Dockerfile at output: .dockerignore for a Dockerfile at the context's
// root, "<output>.dockerignore" next to it otherwise.
func DockerignorePath(output string) string {
	if output == "Dockerfile" {
		return ".dockerignore"
	}
	return output + ".dockerignore"
}

var funcs = template.FuncMap{
	"quote":     quote,
	"exec":      execForm,
	"shell":     shellQuote,
	"join":      strings.Join,
	"joinPath":  path.Join,
	"localPath": localPath,
}

var bare = regexp.MustCompile(`^[A-Za-z0-9_./:@%+,-]+$`)

// quote renders a value for ENV, ARG and LABEL so that BuildKit reads back
// exactly the value: bare when it holds nothing special, else double-quoted
// with '\', '"' and '$' escaped.
func quote(v string) string {
	if bare.MatchString(v) {
		return v
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`).Replace(v) + `"`
}

// execForm renders arguments as a JSON list, the exec form of CMD,
// ENTRYPOINT and HEALTHCHECK.
func execForm(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(a) // a string always encodes
		quoted[i] = strings.TrimSuffix(buf.String(), "\n")
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// shellQuote renders one word for a POSIX shell.
func shellQuote(w string) string {
	if bare.MatchString(w) {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

// localPath makes a relative path explicit, so pip reads it as a folder
// rather than a package name.
func localPath(p string) string {
	if p == "." || strings.HasPrefix(p, "./") {
		return p
	}
	return "./" + p
}

// normalize trims trailing spaces and lays out blank lines: one after the
// leading comment block, one before each FROM, none elsewhere.
func normalize(raw []byte) []byte {
	var out bytes.Buffer
	inHeader := true
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimRight(line, " \t")
		if line == "" {
			continue
		}
		if inHeader && !strings.HasPrefix(line, "#") {
			inHeader = false
			if out.Len() > 0 {
				out.WriteByte('\n')
			}
		} else if strings.HasPrefix(line, "FROM ") && out.Len() > 0 {
			out.WriteByte('\n')
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// instructions are the Dockerfile instructions BuildKit knows.
var instructions = map[string]bool{
	"ADD": true, "ARG": true, "CMD": true, "COPY": true, "ENTRYPOINT": true, "ENV": true,
	"EXPOSE": true, "FROM": true, "HEALTHCHECK": true, "LABEL": true, "MAINTAINER": true,
	"ONBUILD": true, "RUN": true, "SHELL": true, "STOPSIGNAL": true, "USER": true,
	"VOLUME": true, "WORKDIR": true,
}

// checkSyntax catches output that is not a Dockerfile at all: each
// instruction must be a known one, continuations must end, and the file
// must have a stage. BuildKit's own parser and checks run in the e2e tests.
func checkSyntax(dockerfile []byte) error {
	lines := strings.Split(strings.TrimSuffix(string(dockerfile), "\n"), "\n")
	stages := 0
	continued := false
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		wasContinued := continued
		continued = strings.HasSuffix(trimmed, `\`)
		if wasContinued || trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		word, _, _ := strings.Cut(trimmed, " ")
		if !instructions[strings.ToUpper(word)] {
			return fmt.Errorf("line %d: %q is not a Dockerfile instruction", i+1, word)
		}
		if strings.ToUpper(word) == "FROM" {
			stages++
		}
	}
	if continued {
		return fmt.Errorf("line %d: the last instruction ends with a line continuation", len(lines))
	}
	if stages == 0 {
		return fmt.Errorf("no FROM instruction")
	}
	return nil
}
