package detect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

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
	w.comment(0, fmt.Sprintf("The wharf spec of %s, proposed by wharf init from %s. Check it, then run \"wharf generate\" after every change to rewrite the Dockerfile and .dockerignore; \"wharf schema\" describes every key.", p.Name, from))
	w.key(0, "version", "1")
	w.key(0, "name", Scalar(p.Name))
	w.key(0, "language", p.Language)

	w.blank()
	w.key(0, "images", "")
	w.comment(2, p.ImagesWhy)
	w.key(2, "builder", Scalar(p.Builder))
	w.key(2, "runner", Scalar(p.Runner))

	if len(p.BuildPackages) > 0 || len(p.DependencyFiles) > 0 {
		w.blank()
		w.key(0, "build", "")
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
			switch {
			case f.Sure == Unknown:
				w.comment(2, "Cannot tell: "+f.Why)
				if f.Value != "" {
					w.raw("  # " + f.Key + ": " + f.Value)
				}
			default:
				w.comment(2, f.Why)
				if f.Value != "" {
					w.key(2, f.Key, f.Value)
				}
			}
		}
	}

	w.blank()
	ports := "  # expose: [8080]"
	if len(p.Expose) > 0 {
		ports = ""
	}
	switch {
	case len(p.Cmd) > 0 && p.CmdSure == Unknown:
		// A command that fails loudly, never a confident guess.
		w.key(0, "runtime", "")
		w.comment(2, "Cannot tell how the app starts: "+p.CmdWhy)
		w.key(2, "cmd", execList(p.Cmd))
	case len(p.Cmd) > 0:
		w.key(0, "runtime", "")
		w.comment(2, p.CmdWhy)
		w.key(2, "cmd", execList(p.Cmd))
	case len(p.Expose) > 0:
		w.key(0, "runtime", "")
	default:
		w.comment(0, "Ports the service listens on, for EXPOSE:")
		w.raw("# runtime:")
		w.raw("#   expose: [8080]")
		ports = ""
	}
	if len(p.Expose) > 0 {
		w.comment(2, p.ExposeWhy)
		items := make([]string, len(p.Expose))
		for i, port := range p.Expose {
			items[i] = strconv.Itoa(port)
		}
		w.key(2, "expose", "["+strings.Join(items, ", ")+"]")
	} else if ports != "" {
		w.comment(2, "Ports the service listens on, for EXPOSE:")
		w.raw(ports)
	}

	if len(p.Artifacts) > 0 {
		w.blank()
		w.key(0, "artifacts", "")
		w.comment(2, p.ArtifactsWhy)
		for _, a := range p.Artifacts {
			w.raw(fmt.Sprintf("  - {from: %s, to: %s}", Scalar(a.From), Scalar(a.To)))
		}
	}
	return w.buf.Bytes()
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
	plainScalar = regexp.MustCompile(`^[A-Za-z_./][A-Za-z0-9_./@+-]*(:[A-Za-z0-9_./@+-]+)*$`)
	yamlWords   = regexp.MustCompile(`(?i)^(y|n|yes|no|true|false|on|off|null)$`)
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

// execList writes a command as a JSON list, the way exec form is written
// in a Dockerfile.
func execList(args []string) string {
	out := make([]string, len(args))
	for i, s := range args {
		out[i] = jsonString(s)
	}
	return "[" + strings.Join(out, ", ") + "]"
}
