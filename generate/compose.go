package generate

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec"
)

// Watch actions of docker compose's develop.watch.
const (
	// Sync copies changed files into the running container.
	Sync = "sync"
	// SyncRestart copies them, then restarts the container, for
	// interpreters that read the source only at start.
	SyncRestart = "sync+restart"
	// Rebuild builds the image again and replaces the container.
	Rebuild = "rebuild"
)

// A WatchRule is one develop.watch entry of a spec's compose file.
type WatchRule struct {
	// Action is Sync, SyncRestart or Rebuild.
	Action string
	// Path is what is watched, a path in the build context, slash-separated
	// ("." for the whole context).
	Path string
	// Target is where a sync puts Path in the runner, an absolute path;
	// empty for Rebuild.
	Target string
	// Ignore holds patterns, relative to Path, whose changes the rule
	// skips (compose also skips what the .dockerignore excludes).
	Ignore []string
}

// A Watcher is a Language with develop.watch rules for its source: which
// folders a change syncs into the runner, or rebuilds. A change to a
// manifest or lockfile (what the Dockerfile copies before the dependency
// step) rebuilds for every language; the compose file adds those rules.
type Watcher interface {
	Watch(d *Dockerfile, s *spec.Spec) []WatchRule
}

// composeHint follows the generated-file header of a compose file.
const composeHint = "# Local development: docker compose up --watch. wharf generate rewrites this file from the spec."

// compose renders the compose file of s: one service, named after the
// spec, built from the Dockerfile's runner stage, with the spec's ports,
// env and healthcheck and the language's develop.watch rules. Paths are
// relative to the compose file's folder.
func compose(s *spec.Spec, lang Language, d *Dockerfile, dockerfile []byte) []byte {
	dir := path.Dir(s.Compose)
	rel := func(p string) string { return relPath(dir, p) }
	ctx := path.Clean(s.Context)
	// inCtx turns a context path into one relative to the compose file:
	// through the spec's folder when the path is below it.
	inCtx := func(p string) string {
		if sd := s.SpecDir; sd != "" && sd != "." {
			if p == sd {
				return rel(".")
			}
			if rest, ok := strings.CutPrefix(p, sd+"/"); ok {
				return rel(rest)
			}
		}
		return rel(path.Join(ctx, p))
	}

	build := mapping()
	add(build, "context", str(rel(ctx)))
	add(build, "dockerfile", str(path.Join(s.SpecDir, s.Output)))
	add(build, "target", str("runner"))
	if len(s.Build.Args) > 0 {
		args := mapping()
		for _, k := range sortedNames(s.Build.Args) {
			add(args, k, str(s.Build.Args[k]))
		}
		add(build, "args", args)
	}
	ids := SecretIDs(dockerfile)
	if len(ids) > 0 {
		add(build, "secrets", strs(ids))
	}
	if MountsSSH(dockerfile) {
		add(build, "ssh", strs([]string{"default"}))
	}

	svc := mapping()
	add(svc, "build", build)
	if len(s.Runtime.Expose) > 0 {
		ports := &yaml.Node{Kind: yaml.SequenceNode}
		for _, p := range s.Runtime.Expose {
			v := fmt.Sprintf("%d:%d", p.Number, p.Number)
			if p.Protocol != "tcp" {
				v += "/" + p.Protocol
			}
			n := str(v)
			n.Style = yaml.DoubleQuotedStyle
			ports.Content = append(ports.Content, n)
		}
		add(svc, "ports", ports)
	}
	if len(s.Runtime.Env) > 0 {
		env := mapping()
		for _, k := range sortedNames(s.Runtime.Env) {
			add(env, k, str(s.Runtime.Env[k]))
		}
		add(svc, "environment", env)
	}
	if h := s.Runtime.Healthcheck; h != nil {
		hc := mapping()
		add(hc, "test", strs(append([]string{"CMD"}, h.Cmd...)))
		for _, kv := range [][2]string{{"interval", h.Interval}, {"timeout", h.Timeout}, {"start_period", h.StartPeriod}, {"start_interval", h.StartInterval}} {
			if kv[1] != "" {
				add(hc, kv[0], str(kv[1]))
			}
		}
		if h.Retries > 0 {
			add(hc, "retries", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(h.Retries)})
		}
		add(svc, "healthcheck", hc)
	}

	watch := &yaml.Node{Kind: yaml.SequenceNode}
	for _, r := range WatchRules(s, lang, d) {
		w := mapping()
		add(w, "action", str(r.Action))
		add(w, "path", str(inCtx(r.Path)))
		if r.Target != "" {
			add(w, "target", str(r.Target))
		}
		if len(r.Ignore) > 0 {
			add(w, "ignore", strs(r.Ignore))
		}
		watch.Content = append(watch.Content, w)
	}
	if len(watch.Content) > 0 {
		develop := mapping()
		add(develop, "watch", watch)
		add(svc, "develop", develop)
	}

	services := mapping()
	add(services, s.Name, svc)
	root := mapping()
	add(root, "services", services)
	if len(ids) > 0 {
		secrets := mapping()
		for _, id := range ids {
			e := mapping()
			add(e, "environment", str(SecretEnv(id)))
			add(secrets, id, e)
		}
		add(root, "secrets", secrets)
	}

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%s from %s. DO NOT EDIT.\n%s\n", HeaderPrefix, strings.TrimPrefix(relPath(dir, specBase(s)), "./"), composeHint)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	// Encoding a tree of strings cannot fail.
	_ = enc.Encode(root)
	_ = enc.Close()
	return buf.Bytes()
}

// WatchRules are the develop.watch rules of s: the language's (a Watcher's)
// for its source, a rebuild for each extra build stage's folder (which
// the language's syncs then ignore), then a rebuild for each manifest,
// lockfile and dependency file the Dockerfile copies before the
// dependency step.
func WatchRules(s *spec.Spec, lang Language, d *Dockerfile) []WatchRule {
	var rules []WatchRule
	if w, ok := lang.(Watcher); ok {
		rules = w.Watch(d, s)
	}
	// An extra build stage's sources reach the runner only as the stage's
	// output: a change to them rebuilds, and no sync copies them.
	for _, st := range d.Stages {
		dir := st.Builder.Source
		for i, r := range rules {
			if r.Action == Rebuild || dir == "." {
				continue
			}
			if rest, ok := strings.CutPrefix(dir, r.Path+"/"); ok || r.Path == "." {
				if r.Path == "." {
					rest = dir
				}
				rules[i].Ignore = append(slices.Clone(r.Ignore), rest+"/")
			}
		}
		rules = append(rules, WatchRule{Action: Rebuild, Path: dir})
	}
	var seen []string
	for _, c := range d.DependencyCopies {
		for _, src := range c.Src {
			// An optional file (go.sum*) is watched by its name; other
			// patterns cannot be watched.
			p := strings.TrimSuffix(src, "*")
			if strings.ContainsAny(p, "*?[") || slices.Contains(seen, p) {
				continue
			}
			seen = append(seen, p)
			rules = append(rules, WatchRule{Action: Rebuild, Path: p})
		}
	}
	return rules
}

// specBase is the spec's file name, slash-separated, relative to its folder.
func specBase(s *spec.Spec) string {
	if s.File == "" {
		return spec.FileName
	}
	return path.Base(strings.ReplaceAll(s.File, "\\", "/"))
}

// relPath returns target, a path relative to the spec's folder, relative
// to dir (also relative to the spec's folder). Both are clean and
// slash-separated; the result is "." or starts with "./" or "../", as
// compose writes local paths.
func relPath(dir, target string) string {
	dir, target = path.Clean(dir), path.Clean(target)
	up := 0
	for dir != "." && !(target == dir || strings.HasPrefix(target, dir+"/")) {
		dir = path.Dir(dir)
		up++
	}
	rest := target
	if dir != "." {
		rest = strings.TrimPrefix(strings.TrimPrefix(target, dir), "/")
	}
	// Leading ".." in target stays as it is.
	out := path.Join(strings.Repeat("../", up), rest)
	if out == "" || out == "." {
		return "."
	}
	if !strings.HasPrefix(out, "../") && out != ".." {
		out = "./" + out
	}
	return out
}

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

func str(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

func strs(vs []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, v := range vs {
		n.Content = append(n.Content, str(v))
	}
	return n
}

func add(m *yaml.Node, key string, v *yaml.Node) { m.Content = append(m.Content, str(key), v) }

var secretMount = lazyregexp.New(`--mount=type=secret,id=([A-Za-z0-9][A-Za-z0-9_.-]*)`)

// SecretIDs are the ids of the BuildKit secrets a Dockerfile mounts,
// sorted.
func SecretIDs(dockerfile []byte) []string {
	var out []string
	for _, m := range secretMount.FindAllSubmatch(dockerfile, -1) {
		if id := string(m[1]); !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// MountsSSH reports whether a Dockerfile mounts the build's SSH agent
// (RUN --mount=type=ssh), which the build must then forward ("default").
func MountsSSH(dockerfile []byte) bool { return bytes.Contains(dockerfile, []byte("--mount=type=ssh")) }

// SecretEnv is the environment variable a bake target or compose build
// reads the secret id from: the id in upper case, with '.' and '-' as '_'.
func SecretEnv(id string) string {
	return strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(id))
}
