package detect

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
)

// IsProject reports whether the folder that is fsys's root holds a file
// that tells a registered language (a go.mod, a package.json, ...): a
// project wharf init can propose a spec for.
func IsProject(fsys fs.FS) bool {
	for _, unit := range languages() {
		for _, pattern := range unit.Markers() {
			names, _ := fs.Glob(fsys, pattern)
			for _, n := range names {
				if IsFile(fsys, n) {
					return true
				}
			}
		}
	}
	return false
}

// Item is one value a proposed spec holds: where, as the path of keys
// wharf explain names ("images.builder", "runtime.env.PORT"), its value
// as the spec writes it (a block's lines joined by newlines), and why.
type Item struct {
	Path, Value, Why string
}

// Items lists the values the proposal's spec holds, in the order they
// are written, name excepted. Values written commented out, for the user
// to decide, are not in it; nor are the notes written as comments only.
// The entries of env and labels (mappings that extends merges key by
// key) are items of their own.
func (p *Proposal) Items() []Item {
	var items []Item
	add := func(path, value, why string) {
		if value != "" {
			items = append(items, Item{path, value, why})
		}
	}
	if !slices.Contains(p.Inherited, "language") {
		add("language", p.Language, "")
	}
	if p.Output != "" {
		add("output", Scalar(p.Output), p.OutputWhy)
	}
	if p.Compose != "" {
		add("compose", Scalar(p.Compose), p.ComposeWhy)
	}
	if p.Builder != "" {
		add("images.builder", Scalar(p.Builder), p.ImagesWhy)
	}
	if p.Runner != "" {
		add("images.runner", Scalar(p.Runner), p.ImagesWhy)
	}
	fields := func(prefix string, list []Field) {
		for _, f := range list {
			if f.Sure == Unknown {
				continue
			}
			if entries, ok := mappingEntries(f); ok {
				for _, e := range entries {
					add(prefix+f.Key+"."+e.key, e.value, f.Why)
				}
				continue
			}
			add(prefix+f.Key, fieldValue(f), f.Why)
		}
	}
	fields("build.", p.Build)
	if len(p.BuildPackages) > 0 {
		add("build.packages", FlowList(p.BuildPackages), p.BuildPackagesWhy)
	}
	if len(p.DependencyFiles) > 0 {
		add("build.dependency_files", FlowList(p.DependencyFiles), p.DependencyWhy)
	}
	fields(p.Language+".", p.Section)
	fields("runtime.", p.Runtime)
	if len(p.Expose) > 0 && !slices.ContainsFunc(p.Runtime, func(f Field) bool { return f.Key == "expose" }) {
		add("runtime.expose", exposeList(p.Expose), p.ExposeWhy)
	}
	if len(p.Cmd) > 0 && p.CmdSure != Unknown {
		add("runtime.cmd", execList(p.Cmd), p.CmdWhy)
	}
	if len(p.Artifacts) > 0 {
		var lines []string
		for _, a := range p.Artifacts {
			lines = append(lines, fmt.Sprintf("{from: %s, to: %s}", Scalar(a.From), Scalar(a.To)))
		}
		add("artifacts", strings.Join(lines, "\n"), p.ArtifactsWhy)
	}
	if len(p.Ignore) > 0 {
		add("ignore", FlowList(p.Ignore), p.IgnoreWhy)
	}
	return items
}

// fieldValue is a field's value as Item holds it.
func fieldValue(f Field) string {
	if f.Value != "" {
		return f.Value
	}
	return strings.Join(f.Lines, "\n")
}

func exposeList(ports []int) string {
	items := make([]string, len(ports))
	for i, port := range ports {
		items[i] = strconv.Itoa(port)
	}
	return "[" + strings.Join(items, ", ") + "]"
}

type entry struct{ key, value, line string }

// mappingEntries splits a field written as a block of "key: value" lines
// (env, labels) into its entries; ok is false for any other field.
func mappingEntries(f Field) ([]entry, bool) {
	if f.Value != "" || len(f.Lines) == 0 || (f.Key != "env" && f.Key != "labels") {
		return nil, false
	}
	var out []entry
	for _, l := range f.Lines {
		k, v, found := strings.Cut(l, ": ")
		if !found || strings.HasPrefix(l, " ") || strings.HasPrefix(l, "-") || strings.HasPrefix(l, "#") {
			return nil, false
		}
		out = append(out, entry{k, v, l})
	}
	return out, true
}

// Share moves what every proposal of ps holds alike into a base proposal
// that they extend: the values Items lists, with the same path and value
// in each (an env or label entry on its own; any other value whole). ps
// are proposals of one language; names names them in the base's reasons.
// It returns nil, leaving ps alone, when ps are fewer than two or share
// nothing. Each proposal's Inherited lists the paths it no longer holds.
//
// Since a spec's own values override its base's and mappings merge key
// by key, each spec that extends the base is the spec it was.
func Share(ps []*Proposal, names []string) *Proposal {
	if len(ps) < 2 {
		return nil
	}
	counts := map[Item]int{}
	whys := map[string][]string{}
	for _, p := range ps {
		for _, it := range p.Items() {
			key := Item{Path: it.Path, Value: it.Value}
			counts[key]++
			whys[it.Path] = append(whys[it.Path], it.Why)
		}
	}
	shared := map[string]bool{}
	var paths []string
	for _, it := range ps[0].Items() {
		if counts[Item{Path: it.Path, Value: it.Value}] == len(ps) && !shared[it.Path] {
			shared[it.Path] = true
			paths = append(paths, it.Path)
		}
	}
	if len(paths) == 0 {
		return nil
	}
	why := func(path string) string { return sharedWhy(whys[path], names) }
	first := ps[0]
	base := &Proposal{Language: first.Language, SharedBy: names}
	if shared["output"] {
		base.Output, base.OutputWhy = first.Output, why("output")
	}
	if shared["compose"] {
		base.Compose, base.ComposeWhy = first.Compose, why("compose")
	}
	if shared["images.builder"] {
		base.Builder, base.ImagesWhy = first.Builder, why("images.builder")
	}
	if shared["images.runner"] {
		base.Runner, base.ImagesWhy = first.Runner, why("images.runner")
	}
	if shared["build.packages"] {
		base.BuildPackages, base.BuildPackagesWhy = first.BuildPackages, why("build.packages")
	}
	if shared["build.dependency_files"] {
		base.DependencyFiles, base.DependencyWhy = first.DependencyFiles, why("build.dependency_files")
	}
	base.Build = sharedFields("build.", first.Build, shared, why)
	base.Section = sharedFields(first.Language+".", first.Section, shared, why)
	base.Runtime = sharedFields("runtime.", first.Runtime, shared, why)
	if shared["runtime.expose"] && !slices.ContainsFunc(base.Runtime, func(f Field) bool { return f.Key == "expose" }) {
		base.Expose, base.ExposeWhy = first.Expose, why("runtime.expose")
	}
	if shared["runtime.cmd"] {
		base.Cmd, base.CmdWhy, base.CmdSure = first.Cmd, why("runtime.cmd"), first.CmdSure
	}
	if shared["artifacts"] {
		base.Artifacts, base.ArtifactsWhy = first.Artifacts, why("artifacts")
	}
	if shared["ignore"] {
		base.Ignore, base.IgnoreWhy = first.Ignore, why("ignore")
	}
	for _, p := range ps {
		p.drop(shared)
		p.Inherited = paths
	}
	return base
}

// sharedFields are the fields of list, or the entries of its mapping
// fields, whose paths are shared.
func sharedFields(prefix string, list []Field, shared map[string]bool, why func(string) string) []Field {
	var out []Field
	for _, f := range list {
		if entries, ok := mappingEntries(f); ok && f.Sure != Unknown {
			var lines, whys []string
			for _, e := range entries {
				if shared[prefix+f.Key+"."+e.key] {
					lines = append(lines, e.line)
					whys = append(whys, why(prefix+f.Key+"."+e.key))
				}
			}
			if len(lines) > 0 {
				out = append(out, Field{Key: f.Key, Lines: lines, Why: strings.Join(slices.Compact(whys), " ")})
			}
			continue
		}
		if shared[prefix+f.Key] {
			f.Why = why(prefix + f.Key)
			out = append(out, f)
		}
	}
	return out
}

// Inherit drops the values at paths (paths of Items) from the proposal,
// which takes them from the base it extends instead, and records them in
// Inherited.
func (p *Proposal) Inherit(paths []string) {
	shared := map[string]bool{}
	for _, path := range paths {
		shared[path] = true
	}
	p.drop(shared)
	p.Inherited = slices.Clone(paths)
}

// drop removes from p the values whose paths are shared.
func (p *Proposal) drop(shared map[string]bool) {
	if shared["output"] {
		p.Output, p.OutputWhy = "", ""
	}
	if shared["compose"] {
		p.Compose, p.ComposeWhy = "", ""
	}
	if shared["images.builder"] {
		p.Builder = ""
	}
	if shared["images.runner"] {
		p.Runner = ""
	}
	if p.Builder == "" && p.Runner == "" {
		p.ImagesWhy = ""
	}
	if shared["build.packages"] {
		p.BuildPackages, p.BuildPackagesWhy = nil, ""
	}
	if shared["build.dependency_files"] {
		p.DependencyFiles, p.DependencyWhy = nil, ""
	}
	p.Build = dropFields("build.", p.Build, shared)
	p.Section = dropFields(p.Language+".", p.Section, shared)
	p.Runtime = dropFields("runtime.", p.Runtime, shared)
	if shared["runtime.expose"] {
		p.Expose, p.ExposeWhy = nil, ""
	}
	if shared["runtime.cmd"] {
		p.Cmd, p.CmdWhy = nil, ""
	}
	if shared["artifacts"] {
		p.Artifacts, p.ArtifactsWhy = nil, ""
	}
	if shared["ignore"] {
		p.Ignore, p.IgnoreWhy = nil, ""
	}
}

// dropFields is list less its shared fields and mapping entries.
func dropFields(prefix string, list []Field, shared map[string]bool) []Field {
	var out []Field
	for _, f := range list {
		if entries, ok := mappingEntries(f); ok && f.Sure != Unknown {
			var lines []string
			for _, e := range entries {
				if !shared[prefix+f.Key+"."+e.key] {
					lines = append(lines, e.line)
				}
			}
			if len(lines) > 0 {
				f.Lines = lines
				out = append(out, f)
			}
			continue
		}
		if f.Sure == Unknown || !shared[prefix+f.Key] {
			out = append(out, f)
		}
	}
	return out
}

// sharedWhy is the reason for a value shared by the services names, from
// their reasons whys: the reason when all give the same, else each
// distinct reason with the services that gave it.
func sharedWhy(whys, names []string) string {
	distinct := slices.Compact(slices.Clone(whys))
	if len(distinct) == 1 {
		return distinct[0]
	}
	if why, ok := mergeCitations(whys, names); ok {
		return why
	}
	var order []string
	by := map[string][]string{}
	for i, w := range whys {
		if _, ok := by[w]; !ok {
			order = append(order, w)
		}
		by[w] = append(by[w], names[i])
	}
	var parts []string
	for _, w := range order {
		if w == "" {
			continue
		}
		parts = append(parts, "For "+JoinList(by[w])+": "+w)
	}
	return strings.Join(parts, " ")
}

// citation is a line of a file a reason cites: "Dockerfile:12".
var citation = lazyregexp.New(`\bDockerfile:[0-9]+(-[0-9]+)?\b`)

// mergeCitations writes reasons that differ only in the lines they cite
// (each service's Dockerfile has its own) as one, each citation followed
// by the service whose it is: "at Dockerfile:34 (accounts), Dockerfile:30
// (billing)", or once where all cite the same line. ok is false when they
// differ otherwise.
func mergeCitations(whys, names []string) (string, bool) {
	text := citation.ReplaceAllString(whys[0], "\x00")
	cites := make([][]string, len(whys))
	for i, w := range whys {
		if citation.ReplaceAllString(w, "\x00") != text {
			return "", false
		}
		cites[i] = citation.FindAllString(w, -1)
	}
	parts := strings.Split(text, "\x00")
	var b strings.Builder
	for k, part := range parts {
		b.WriteString(part)
		if k == len(parts)-1 {
			break
		}
		var at []string
		same := true
		for i := range whys {
			at = append(at, fmt.Sprintf("%s (%s)", cites[i][k], names[i]))
			same = same && cites[i][k] == cites[0][k]
		}
		if same {
			b.WriteString(cites[0][k])
		} else {
			b.WriteString(strings.Join(at, ", "))
		}
	}
	return b.String(), true
}
