package detect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec"
)

// commentWidth is the column comments wrap at.
const commentWidth = 80

// YAML renders the proposal as a commented wharf.yaml. Its first line
// names the spec's JSON Schema, which editors use to complete and check it.
func (p *Proposal) YAML() []byte {
	w := &yamlWriter{}
	w.raw("# yaml-language-server: $schema=" + spec.SchemaURL)
	w.raw("#")
	from := "the project's folder"
	if len(p.Sources) > 0 {
		from = JoinList(p.Sources)
	}
	if len(p.SharedBy) > 0 {
		w.comment(0, fmt.Sprintf("What the %s specs of %s share, proposed by wharf init: each of them extends this file and holds only what differs. A value changed here changes every spec that extends it; run \"wharf generate\" on them after every change. Paths other than extends and templates are relative to each spec's folder.", p.Language, JoinList(p.SharedBy)))
	} else {
		w.comment(0, fmt.Sprintf("The wharf spec of %s, proposed by wharf init from %s. Check it, then run \"wharf generate\" after every change to rewrite the Dockerfile and .dockerignore; \"wharf schema\" describes every key.", p.Name, from))
	}
	w.key(0, "version", "1")
	if p.Extends != "" {
		w.comment(0, fmt.Sprintf("Takes %s from the base, which the specs of this language share.", JoinList(inheritedList(p.Inherited))))
		w.key(0, "extends", FlowList([]string{p.Extends}))
	}
	if p.Name != "" {
		w.key(0, "name", Scalar(p.Name))
	}
	if !slices.Contains(p.Inherited, "language") {
		w.key(0, "language", p.Language)
	}
	if p.Output != "" {
		w.blank()
		w.comment(0, p.OutputWhy)
		w.key(0, "output", Scalar(p.Output))
	}
	if p.Compose != "" {
		w.blank()
		w.comment(0, p.ComposeWhy)
		w.key(0, "compose", Scalar(p.Compose))
	}

	if p.Builder != "" || p.Runner != "" {
		w.blank()
		w.key(0, "images", "")
		w.comment(2, p.ImagesWhy)
		if p.Builder != "" {
			w.key(2, "builder", Scalar(p.Builder))
		}
		if p.Runner != "" {
			w.key(2, "runner", Scalar(p.Runner))
		}
	}

	if len(p.BuildPackages) > 0 || len(p.DependencyFiles) > 0 || len(p.Build) > 0 {
		w.blank()
		w.key(0, "build", "")
		for _, f := range p.Build {
			w.field(2, f)
		}
		if len(p.BuildPackages) > 0 {
			w.comment(2, p.BuildPackagesWhy)
			w.key(2, "packages", FlowList(p.BuildPackages))
		}
		if len(p.DependencyFiles) > 0 {
			w.comment(2, p.DependencyWhy)
			w.key(2, "dependency_files", FlowList(p.DependencyFiles))
		}
	}

	if len(p.Section) > 0 {
		w.blank()
		w.key(0, p.Language, "")
		for _, f := range p.Section {
			w.field(2, f)
		}
	}

	runtime := p.Runtime
	isExpose := func(f Field) bool { return f.Key == "expose" }
	if len(p.Expose) > 0 && !slices.ContainsFunc(runtime, isExpose) {
		items := make([]string, len(p.Expose))
		for i, port := range p.Expose {
			items[i] = strconv.Itoa(port)
		}
		runtime = append(slices.Clone(runtime), Field{Key: "expose", Value: "[" + strings.Join(items, ", ") + "]", Why: p.ExposeWhy})
	}
	// A base proposes no placeholder; a spec whose base exposes ports
	// needs none.
	exposed := slices.ContainsFunc(runtime, func(f Field) bool { return isExpose(f) && f.Sure != Unknown }) ||
		len(p.SharedBy) > 0 || slices.Contains(p.Inherited, "runtime.expose")
	if len(p.Cmd) > 0 || len(runtime) > 0 {
		w.blank()
		w.key(0, "runtime", "")
		for _, f := range runtime {
			w.field(2, f)
		}
		switch {
		case len(p.Cmd) > 0 && p.CmdSure == Unknown && p.CmdFails:
			// A command that fails loudly, never a confident guess.
			w.comment(2, "Cannot tell how the app starts: "+p.CmdWhy)
			w.key(2, "cmd", execList(p.Cmd))
		case len(p.Cmd) > 0 && p.CmdSure == Unknown:
			w.comment(2, "Cannot tell how the app starts: "+p.CmdWhy)
			w.raw("  # cmd: " + execList(p.Cmd))
		case len(p.Cmd) > 0:
			w.comment(2, p.CmdWhy)
			w.key(2, "cmd", execList(p.Cmd))
		}
		if !exposed {
			w.comment(2, "Ports the service listens on, for EXPOSE:")
			w.raw("  # expose: [8080]")
		}
	} else if !exposed {
		w.blank()
		w.comment(0, "Ports the service listens on, for EXPOSE:")
		w.raw("# runtime:")
		w.raw("#   expose: [8080]")
	}

	if len(p.Artifacts) > 0 {
		w.blank()
		w.key(0, "artifacts", "")
		w.comment(2, p.ArtifactsWhy)
		for _, a := range p.Artifacts {
			w.raw(fmt.Sprintf("  - {from: %s, to: %s}", Scalar(a.From), Scalar(a.To)))
		}
	}
	if len(p.Ignore) > 0 {
		w.blank()
		w.comment(0, p.IgnoreWhy)
		w.key(0, "ignore", "")
		for _, l := range p.Ignore {
			w.raw("  - " + Scalar(l))
		}
	}
	p.writeLeftovers(w)
	return w.buf.Bytes()
}

// writeLeftovers lists, as comments, the instructions of an existing
// Dockerfile that the spec does not hold: first those wharf's recipe
// does its own way, then those it does not carry over.
func (p *Proposal) writeLeftovers(w *yamlWriter) {
	for _, handled := range []bool{true, false} {
		var items []Leftover
		for _, l := range p.Leftovers {
			if l.Handled == handled {
				items = append(items, l)
			}
		}
		if len(items) == 0 {
			continue
		}
		w.blank()
		if handled {
			w.comment(0, "Done by wharf's own steps, so not in the spec:")
		} else {
			w.comment(0, "Not carried over from the Dockerfile; add to the spec what the image needs:")
		}
		for _, l := range items {
			text := l.At + ": " + l.Code
			if l.Why != "" {
				text += " -- " + l.Why
			}
			w.item(text)
		}
	}
}

// field writes one proposed key; an Unknown one commented out.
func (w *yamlWriter) field(indent int, f Field) {
	pad := strings.Repeat(" ", indent)
	if f.Sure == Unknown {
		w.comment(indent, "Cannot tell: "+f.Why)
		switch {
		case f.Value != "":
			w.raw(pad + "# " + f.Key + ": " + f.Value)
		case len(f.Lines) > 0:
			w.raw(pad + "# " + f.Key + ":")
			for _, l := range f.Lines {
				w.raw(pad + "#   " + l)
			}
		}
		return
	}
	w.comment(indent, f.Why)
	switch {
	case f.Value != "":
		w.key(indent, f.Key, f.Value)
	case len(f.Lines) > 0:
		w.key(indent, f.Key, "")
		for _, l := range f.Lines {
			w.raw(pad + "  " + l)
		}
	}
}

// item writes text as a comment list item, "#   - text", wrapped with
// a hanging indent.
func (w *yamlWriter) item(text string) {
	first, rest := "# - ", "#   "
	line := first
	for _, word := range strings.Fields(text) {
		if line != first && line != rest && len(line)+1+len(word) > commentWidth {
			w.raw(line)
			line = rest
		}
		if line != first && line != rest {
			line += " "
		}
		line += word
	}
	w.raw(line)
}

type yamlWriter struct{ buf bytes.Buffer }

func (w *yamlWriter) raw(line string) {
	w.buf.WriteString(line)
	w.buf.WriteByte('\n')
}

func (w *yamlWriter) blank() { w.buf.WriteByte('\n') }

// key writes "key: value", or "key:" opening a mapping when value is "".
func (w *yamlWriter) key(indent int, key, value string) {
	line := strings.Repeat(" ", indent) + key + ":"
	if value != "" {
		line += " " + value
	}
	w.raw(line)
}

// comment writes text as comment lines wrapped at commentWidth.
func (w *yamlWriter) comment(indent int, text string) {
	if text == "" {
		return
	}
	prefix := strings.Repeat(" ", indent) + "# "
	line := prefix
	for _, word := range strings.Fields(text) {
		if line != prefix && len(line)+1+len(word) > commentWidth {
			w.raw(line)
			line = prefix
		}
		if line != prefix {
			line += " "
		}
		line += word
	}
	w.raw(line)
}

var (
	plainScalar = lazyregexp.New(`^[A-Za-z_./][A-Za-z0-9_./@+-]*(:[A-Za-z0-9_./@+-]+)*$`)
	yamlWords   = lazyregexp.New(`(?i)^(y|n|yes|no|true|false|on|off|null)$`)
)

// Scalar writes a string as a plain YAML scalar when it reads back as the
// same string, else double-quoted.
func Scalar(s string) string {
	if plainScalar.MatchString(s) && !yamlWords.MatchString(s) {
		return s
	}
	return jsonString(s)
}

// jsonString quotes s as JSON, which YAML reads as a double-quoted scalar.
func jsonString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(buf.String(), "\n")
}

// FlowList renders items as a YAML flow list, each item as Scalar writes it.
func FlowList(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = Scalar(s)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// ExecList writes a command as a JSON list, the way exec form is written
// in a Dockerfile.
func ExecList(args []string) string { return execList(args) }

func execList(args []string) string {
	out := make([]string, len(args))
	for i, s := range args {
		out[i] = jsonString(s)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// inheritedList names inherited paths for a comment, the entries of one
// mapping together: "runtime.labels (3 entries)".
func inheritedList(paths []string) []string {
	var out []string
	entries := map[string]int{}
	for _, p := range paths {
		for _, m := range []string{"build.env.", "runtime.env.", "runtime.labels."} {
			if strings.HasPrefix(p, m) {
				p = strings.TrimSuffix(m, ".")
				break
			}
		}
		if entries[p] == 0 {
			out = append(out, p)
		}
		entries[p]++
	}
	for i, p := range out {
		if n := entries[p]; n > 1 {
			out[i] = fmt.Sprintf("%s (%d entries)", p, n)
		} else if n == 1 && (p == "build.env" || p == "runtime.env" || p == "runtime.labels") {
			out[i] = paths[slices.IndexFunc(paths, func(q string) bool { return strings.HasPrefix(q, p+".") })]
		}
	}
	return out
}
