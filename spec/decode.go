package spec

import (
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// CurrentVersion is the spec version this wharf reads.
const CurrentVersion = 1

// spec decodes the root mapping. The version is read first, so that a
// future version can be told apart before its keys are judged.
// It reports whether the spec was readable enough to check further.
func (d *decoder) spec(root *yaml.Node) (*Spec, bool) {
	s := &Spec{}
	root = resolve(root)
	d.nodes[""] = root
	if root.Kind != yaml.MappingNode {
		d.errorf(root, ErrType, "the spec must be a mapping of keys to values, starting with \"version: 1\"; found %s", kindName(root))
		return s, false
	}
	if !d.version(root, s) {
		return s, false
	}
	if !d.context(root, s) {
		return s, false
	}
	sections := map[string]*yaml.Node{}
	keys := append([]string{"version", "name", "language", "context", "images", "build", "runtime", "artifacts", "platforms", "ignore", "output", "compose", "templates", "publish", "stages"}, languageNames()...)
	d.fields(root, "", keys, func(key string, v *yaml.Node, p string) {
		switch key {
		case "version", "context":
			// read first, by version and context
		case "name":
			if name, ok := d.nonEmpty(v, p); ok {
				if !isSpecName(name) || len(name) > 128 {
					d.errorf(v, ErrInvalid, "name %q is not valid: use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit (at most 128)", name)
				}
				s.Name = name
			}
		case "language":
			if lang, ok := d.nonEmpty(v, p); ok {
				s.Language = lang
				if _, known := LookupLanguage(lang); !known {
					msg := fmt.Sprintf("language %q is not supported; use one of %s", lang, strings.Join(languageNames(), ", "))
					if sug := suggest(lang, languageNames()); sug != "" {
						msg += fmt.Sprintf(" (did you mean %q?)", sug)
					}
					d.errorf(v, ErrInvalid, "%s", msg)
				}
			}
		case "images":
			d.images(v, p, s)
		case "build":
			d.build(v, p, s)
		case "runtime":
			d.runtime(v, p, s)
		case "artifacts":
			d.artifacts(v, p, s)
		case "platforms":
			s.Platforms = d.platforms(v, p)
		case "ignore":
			s.Ignore = d.list(v, p, `[".git", "**/*.log"]`)
			for i, line := range s.Ignore {
				switch n := d.nodes[itemPath(p, i)]; {
				case line != strings.TrimSpace(line):
					d.errorf(n, ErrInvalid, "%s[%d] %q starts or ends with spaces, which .dockerignore trims off; remove them", p, i, line)
				case strings.HasPrefix(line, "#"):
					d.errorf(n, ErrInvalid, "%s[%d] %q starts with '#', which makes it a comment in .dockerignore; to ignore such files write %q", p, i, line, "**/"+line)
				}
			}
		case "output":
			if out, ok := d.nonEmpty(v, p); ok {
				s.Output = d.relPath(v, p, out)
				d.checkOutput(v, s.Output)
			}
		case "compose":
			if out, ok := d.nonEmpty(v, p); ok {
				s.Compose = d.relPath(v, p, out)
				d.checkCompose(v, s.Compose)
			}
		case "templates":
			if dir, ok := d.nonEmpty(v, p); ok {
				s.Templates = d.fileRelative(v, dir)
			}
		case "publish":
			d.publish(v, p, s)
		case "stages":
			sections[key] = v // decoded below, after the images
		default:
			sections[key] = v // a language's section: decoded below
		}
	})
	if s.Name == "" && d.nodes["name"] == nil {
		d.errorf(root, ErrRequired, "name is required: add e.g. \"name: hello\" (lowercase letters, digits, '.', '_', '-')")
	}
	if s.Language == "" && d.nodes["language"] == nil {
		quoted := make([]string, 0, len(Languages()))
		for _, l := range languageNames() {
			quoted = append(quoted, fmt.Sprintf("\"language: %s\"", l))
		}
		d.errorf(root, ErrRequired, "language is required: add %s", OrList(quoted))
	}
	lang, known := LookupLanguage(s.Language)
	dec := &Decoder{d}
	for _, other := range Languages() {
		n := sections[other.Name()]
		if n == nil {
			continue
		}
		if !known || other != lang {
			other.Decode(dec, n) // for its own problems
		}
		if known && other != lang {
			d.errorf(n, ErrInvalid, "a %s section in a %s spec: only the section of the spec's language is allowed; remove it or change language", other.Name(), s.Language)
		}
	}
	if known {
		s.Recipe = lang.Decode(dec, sections[lang.Name()])
	}
	d.defaults(s, lang)
	if n := sections["stages"]; n != nil {
		d.stages(n, "stages", s)
	}
	return s, known
}

// Platforms are the values platforms may hold: the Linux platforms that
// official base images are published for.
var Platforms = []string{"linux/amd64", "linux/amd64/v2", "linux/amd64/v3", "linux/arm64", "linux/arm/v7", "linux/arm/v6", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64"}

// platforms decodes the list of target platforms: known ones, each once.
func (d *decoder) platforms(n *yaml.Node, p string) []string {
	list := d.list(n, p, "[linux/amd64, linux/arm64]")
	for i, pl := range list {
		at := d.nodes[itemPath(p, i)]
		switch {
		case !slices.Contains(Platforms, pl):
			msg := fmt.Sprintf("%s[%d] %q is not a platform wharf knows; use os/arch[/variant], one of %s", p, i, pl, strings.Join(Platforms, ", "))
			if sug := suggest(pl, Platforms); sug != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
			d.errorf(at, ErrInvalid, "%s", msg)
		case slices.Contains(list[:i], pl):
			d.errorf(at, ErrInvalid, "%s[%d] %q is listed twice; remove one", p, i, pl)
		}
	}
	return list
}

// fileRelative resolves a path written relative to the file that holds
// node n (the spec, or a base it extends).
func (d *decoder) fileRelative(n *yaml.Node, p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(filepath.Dir(d.fileOf(n)), p)
}

// context reads the context key first, since every path of the spec is
// checked against it: "." or a folder above the spec's, as ".." steps.
func (d *decoder) context(root *yaml.Node, s *Spec) bool {
	s.Context, s.SpecDir = ".", "."
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "context" {
			continue
		}
		v := resolve(root.Content[i+1])
		d.nodes["context"] = v
		c, ok := d.nonEmpty(v, "context")
		if !ok {
			return true
		}
		c = path.Clean(c)
		up := strings.Count(c+"/", "../")
		if c != "." && (up == 0 || c != strings.Repeat("../", up-1)+"..") {
			d.errorf(v, ErrPath, "context %q must be the spec's folder (\".\") or a folder above it, written as .. steps (e.g. ../..); the spec's folder must be inside the build context", c)
			return true
		}
		s.Context = c
		if c == "." {
			return true
		}
		dir := filepath.ToSlash(filepath.Dir(d.abs))
		parts := strings.Split(strings.Trim(dir, "/"), "/")
		if up > len(parts) || (len(parts) == 1 && parts[0] == "") {
			d.errorf(v, ErrPath, "context %q goes above the root folder; use fewer .. steps", c)
			return true
		}
		s.SpecDir = strings.Join(parts[len(parts)-up:], "/")
		if !isPathChars(s.SpecDir) {
			d.errorf(v, ErrPath, "context %q makes the spec's folder %q, whose name COPY cannot take safely; %s", c, s.SpecDir, pathRule)
		}
		d.specDir = s.SpecDir
	}
	return true
}

func (d *decoder) version(root *yaml.Node, s *Spec) bool {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "version" {
			continue
		}
		v := resolve(root.Content[i+1])
		d.nodes["version"] = v
		n, ok := d.integer(v, "version")
		if !ok {
			return false
		}
		if n != CurrentVersion {
			d.errorf(v, ErrVersion, "spec version %d is not supported: this wharf reads version %d", n, CurrentVersion)
			return false
		}
		s.Version = n
		return true
	}
	d.errorf(root, ErrRequired, "version is required: add \"version: 1\" as the first line")
	return false
}

func (d *decoder) images(n *yaml.Node, path string, s *Spec) {
	d.fields(n, path, []string{"builder", "runner"}, func(key string, v *yaml.Node, p string) {
		switch key {
		case "builder":
			s.Images.Builder = d.baseImage(v, p)
		case "runner":
			s.Images.Runner = d.baseImage(v, p)
		default:
			panic("spec: no case for key " + key)
		}
	})
}

// baseImage decodes "ref" or {image: ref, family: f}.
func (d *decoder) baseImage(n *yaml.Node, path string) BaseImage {
	var b BaseImage
	var refNode *yaml.Node
	if n.Kind == yaml.ScalarNode {
		refNode = n
		b.Ref, _ = d.nonEmpty(n, path)
	} else {
		d.fields(n, path, []string{"image", "family"}, func(key string, v *yaml.Node, p string) {
			switch key {
			case "image":
				refNode = v
				b.Ref, _ = d.nonEmpty(v, p)
			case "family":
				f, ok := d.nonEmpty(v, p)
				if !ok {
					return
				}
				b.Family = Family(f)
				if !isFamily(b.Family) {
					msg := fmt.Sprintf("%s %q is not a known family; use debian, alpine, distroless or scratch", p, f)
					if sug := suggest(f, []string{"debian", "alpine", "distroless", "scratch"}); sug != "" {
						msg += fmt.Sprintf(" (did you mean %q?)", sug)
					}
					d.errorf(v, ErrInvalid, "%s", msg)
				}
			default:
				panic("spec: no case for key " + key)
			}
		})
		if refNode == nil && n.Kind == yaml.MappingNode {
			d.errorf(n, ErrRequired, "%s.image is required: name the base image, e.g. image: debian:trixie-slim", path)
		}
	}
	if b.Ref != "" {
		if why := ImageRefProblem(b.Ref); why != "" {
			d.errorf(refNode, ErrInvalid, "%s: %q is not a valid image reference; %s", path, b.Ref, why)
		} else if stage := stageName(b.Ref); stage != "" {
			d.errorf(refNode, ErrInvalid, "%s: %q is the name of a stage of the Dockerfile, so FROM %s would start from the %s stage instead of an image; name an image (for one called %s, write docker.io/library/%s)", path, b.Ref, b.Ref, stage, b.Ref, strings.ToLower(b.Ref))
		}
	}
	if b.Family == "" && b.Ref != "" {
		b.Family = InferFamily(b.Ref)
	}
	return b
}

// StageNames are the stages of every generated Dockerfile, in order.
var StageNames = []string{"builder", "runner"}

// stageName returns the stage that ref names in a FROM of the Dockerfile
// (BuildKit matches stage names without regard to case), or "".
func stageName(ref string) string {
	for _, s := range StageNames {
		if strings.EqualFold(ref, s) {
			return s
		}
	}
	return ""
}

func isFamily(f Family) bool {
	for _, known := range familyNames() {
		if f == known {
			return true
		}
	}
	return false
}

func (d *decoder) build(n *yaml.Node, path string, s *Spec) {
	d.fields(n, path, []string{"packages", "env", "args", "before", "run", "dependency_files"}, func(key string, v *yaml.Node, p string) {
		switch key {
		case "packages":
			s.Build.Packages = d.list(v, p, "[gcc, libpq-dev]")
		case "env":
			s.Build.Env = d.dict(v, p, isKeyName, envRule)
		case "args":
			s.Build.Args = d.dict(v, p, isKeyName, envRule)
		case "before":
			s.Build.Before = d.list(v, p, `["go generate ./..."]`)
		case "run":
			s.Build.Run = d.list(v, p, `["make assets"]`)
		case "dependency_files":
			for i, f := range d.list(v, p, "[vendor/]") {
				s.Build.DependencyFiles = append(s.Build.DependencyFiles, d.relPath(d.nodes[itemPath(p, i)], p, f))
			}
		default:
			panic("spec: no case for key " + key)
		}
	})
}

const envRule = "use letters, digits and '_', not starting with a digit"

func (d *decoder) runtime(n *yaml.Node, path string, s *Spec) {
	r := &s.Runtime
	d.fields(n, path, []string{"packages", "env", "user", "workdir", "writable", "expose", "entrypoint", "cmd", "healthcheck", "labels", "init"}, func(key string, v *yaml.Node, p string) {
		switch key {
		case "packages":
			r.Packages = d.list(v, p, "[libpq5]")
		case "env":
			r.Env = d.dict(v, p, isKeyName, envRule)
		case "user":
			if u, ok := d.nonEmpty(v, p); ok {
				if !isUserName(u) && !isNumericUser(u) {
					d.errorf(v, ErrInvalid, "runtime.user %q is not valid: use a name like app (lowercase letters, digits, '_', '-'), \"root\", or a numeric uid or uid:gid", u)
				}
				r.User = u
			}
		case "workdir":
			if w, ok := d.nonEmpty(v, p); ok {
				r.Workdir = d.absPath(v, p, w)
			}
		case "writable":
			for i, w := range d.list(v, p, "[/app/data]") {
				r.Writable = append(r.Writable, d.absPath(d.nodes[itemPath(p, i)], itemPath(p, i), w))
			}
		case "expose":
			r.Expose = d.ports(v, p)
		case "entrypoint":
			r.Entrypoint = d.execForm(v, p)
		case "cmd":
			r.Cmd = d.execForm(v, p)
		case "healthcheck":
			r.Healthcheck = d.healthcheck(v, p)
		case "labels":
			r.Labels = d.dict(v, p, isLabelKey, "use letters, digits, '.', '_', '/' and '-', e.g. org.opencontainers.image.source")
		case "init":
			if i, ok := d.nonEmpty(v, p); ok {
				if i != InitTini && i != InitNone {
					d.errorf(v, ErrInvalid, "runtime.init %q is not supported; use %q (run the command under tini, which forwards signals and reaps zombies) or %q (the command is PID 1)", i, InitTini, InitNone)
				}
				r.Init = i
			}
		default:
			panic("spec: no case for key " + key)
		}
	})
}

// execForm decodes a command in exec form: a non-empty list of strings.
func (d *decoder) execForm(n *yaml.Node, path string) []string {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		fields := strings.Fields(n.Value)
		example, _ := jsonList(fields)
		d.errorf(n, ErrType, "%s must be in exec form, a list of arguments: write %s (no shell is involved)", path, example)
		return nil
	}
	args := d.list(n, path, `["python", "-m", "app"]`)
	if n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		d.errorf(n, ErrRequired, "%s must name at least the program to run", path)
	}
	return args
}

func (d *decoder) ports(n *yaml.Node, path string) []Port {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, ErrType, "%s must be a list of ports, e.g. [8000, 9000/udp], not %s", path, kindName(n))
		return nil
	}
	var ports []Port
	for i, item := range n.Content {
		item = resolve(item)
		p := itemPath(path, i)
		d.nodes[p] = item
		text, ok := d.str(item, p)
		if !ok {
			continue
		}
		num, proto, _ := strings.Cut(text, "/")
		if proto == "" {
			proto = "tcp"
		}
		port, err := strconv.Atoi(num)
		if err != nil || port < 1 || port > 65535 || (proto != "tcp" && proto != "udp") {
			d.errorf(item, ErrInvalid, "%s: %q is not a port; use a number from 1 to 65535, optionally followed by /tcp or /udp", p, text)
			continue
		}
		ports = append(ports, Port{Number: port, Protocol: proto})
	}
	return ports
}

func (d *decoder) healthcheck(n *yaml.Node, path string) *Healthcheck {
	h := &Healthcheck{}
	var cmdNode *yaml.Node
	if !d.fields(n, path, []string{"cmd", "interval", "timeout", "start_period", "start_interval", "retries"}, func(key string, v *yaml.Node, p string) {
		switch key {
		case "cmd":
			cmdNode = v
			h.Cmd = d.execForm(v, p)
		case "interval":
			h.Interval = d.duration(v, p)
		case "timeout":
			h.Timeout = d.duration(v, p)
		case "start_period":
			h.StartPeriod = d.duration(v, p)
		case "start_interval":
			h.StartInterval = d.duration(v, p)
		case "retries":
			if r, ok := d.integer(v, p); ok {
				if r < 1 {
					d.errorf(v, ErrInvalid, "%s must be at least 1", p)
				}
				h.Retries = r
			}
		default:
			panic("spec: no case for key " + key)
		}
	}) {
		return nil
	}
	if cmdNode == nil {
		d.errorf(n, ErrRequired, "%s.cmd is required: the command that tells the container is healthy, e.g. cmd: [\"/app/healthcheck\"]", path)
	}
	return h
}

// duration decodes a healthcheck duration.
func (d *decoder) duration(n *yaml.Node, path string) string {
	s, ok := d.nonEmpty(n, path)
	if ok && !isHealthDuration(s) {
		d.errorf(n, ErrInvalid, "%s: %q is not a duration; write e.g. 30s, 1m30s or 500ms", path, s)
	}
	return s
}

func (d *decoder) artifacts(n *yaml.Node, path string, s *Spec) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, ErrType, "%s must be a list of {from: /builder/path, to: /runner/path}, not %s", path, kindName(n))
		return
	}
	for i, item := range n.Content {
		p := itemPath(path, i)
		var a Artifact
		var seen [2]bool
		if !d.fields(item, p, []string{"from", "to"}, func(key string, v *yaml.Node, p string) {
			switch key {
			case "from":
				seen[0] = true
				if f, ok := d.nonEmpty(v, p); ok {
					a.From = d.absPath(v, p, f)
				}
			case "to":
				seen[1] = true
				if t, ok := d.nonEmpty(v, p); ok {
					a.To = d.absPath(v, p, t)
				}
			default:
				panic("spec: no case for key " + key)
			}
		}) {
			continue
		}
		if !seen[0] || !seen[1] {
			d.errorf(resolve(item), ErrRequired, "%s needs both from (a path in the builder) and to (a path in the runner)", p)
			continue
		}
		s.Artifacts = append(s.Artifacts, a)
	}
}

// checkOutput refuses Dockerfile paths that would overwrite what wharf must
// not touch: the spec itself, a folder, or git's own files.
func (d *decoder) checkOutput(n *yaml.Node, out string) {
	switch base := path.Base(out); {
	case out == "." || strings.HasSuffix(out, "/.."):
		d.errorf(n, ErrPath, "output %q is a folder; name the Dockerfile, e.g. docker/Dockerfile", out)
	case base == FileName || strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml"):
		d.errorf(n, ErrPath, "output %q would overwrite a YAML file such as the spec; name the Dockerfile, e.g. Dockerfile", out)
	case strings.HasSuffix(base, ".lock"):
		d.errorf(n, ErrPath, "output %q would overwrite a lock file such as wharf.lock; name the Dockerfile, e.g. Dockerfile", out)
	case strings.HasSuffix(base, ".tmpl"):
		d.errorf(n, ErrPath, "output %q would overwrite a template file; name the Dockerfile, e.g. Dockerfile", out)
	case out == ".git" || strings.HasPrefix(out, ".git/"):
		d.errorf(n, ErrPath, "output %q is inside .git; write the Dockerfile elsewhere, e.g. docker/Dockerfile", out)
	}
}

// checkOutputFiles refuses an output or compose file that is one of the
// files the spec extends, or inside its templates folder: wharf would
// overwrite its own inputs. bases are the files extended, as paths usable
// from where the spec's file is.
func (d *decoder) checkOutputFiles(s *Spec, bases []string) {
	for _, f := range []struct{ key, value string }{{"output", s.Output}, {"compose", s.Compose}} {
		n, ok := d.nodes[f.key]
		if !ok || f.value == "" {
			continue // the default Dockerfile is neither
		}
		out := filepath.Join(filepath.Dir(d.file), filepath.FromSlash(f.value))
		if i := slices.IndexFunc(bases, func(b string) bool { return filepath.Clean(b) == out }); i >= 0 {
			d.errorf(n, ErrPath, "%s %q is %s, a file the spec extends; name another file", f.key, f.value, bases[i])
			continue
		}
		if t := s.Templates; t != "" {
			if rel, err := filepath.Rel(filepath.Clean(t), out); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				d.errorf(n, ErrPath, "%s %q is inside the templates folder %s; write it elsewhere", f.key, f.value, t)
			}
		}
	}
}

// checkCompose refuses compose file paths that are no YAML file or would
// overwrite the spec or git's files.
func (d *decoder) checkCompose(n *yaml.Node, out string) {
	switch base := path.Base(out); {
	case out == "." || strings.HasSuffix(out, "/.."):
		d.errorf(n, ErrPath, "compose %q is a folder; name the compose file, e.g. compose.yaml", out)
	case !strings.HasSuffix(base, ".yaml") && !strings.HasSuffix(base, ".yml"):
		d.errorf(n, ErrPath, "compose %q is not a .yaml or .yml file, which docker compose reads; name it e.g. compose.yaml", out)
	case base == FileName || base == path.Base(filepath.ToSlash(d.file)) || base == "wharf.bake.yaml":
		d.errorf(n, ErrPath, "compose %q would overwrite a wharf file; name it e.g. compose.yaml", out)
	case out == ".git" || strings.HasPrefix(out, ".git/"):
		d.errorf(n, ErrPath, "compose %q is inside .git; write it elsewhere, e.g. compose.yaml", out)
	}
}

// packageIndex decodes {url, secret}. example is a URL and secretFile says
// what the secret holds, for messages; needURL says whether url is required.
func (d *decoder) packageIndex(n *yaml.Node, p, example, secretFile string, needURL bool) *PackageIndex {
	idx := &PackageIndex{}
	var urlSet bool
	if !d.fields(n, p, []string{"url", "secret"}, func(key string, v *yaml.Node, fp string) {
		switch key {
		case "url":
			urlSet = true
			if u, ok := d.nonEmpty(v, fp); ok {
				idx.URL = d.indexURL(v, fp, u, example)
			}
		case "secret":
			if id, ok := d.secretID(v, fp); ok {
				idx.Secret = id
			}
		default:
			panic("spec: no case for key " + key)
		}
	}) {
		return nil
	}
	switch {
	case needURL && !urlSet:
		d.errorf(n, ErrRequired, "%s.url is required: the index's address without credentials, e.g. url: %s", p, example)
	case !urlSet && idx.Secret == "":
		d.errorf(n, ErrRequired, "%s needs url (the registry's address) or secret (the id of a BuildKit secret holding %s)", p, secretFile)
	}
	return idx
}

// secretID decodes the id of a BuildKit secret.
func (d *decoder) secretID(n *yaml.Node, p string) (string, bool) {
	id, ok := d.nonEmpty(n, p)
	if ok && !isSecretID(id) {
		d.errorf(n, ErrInvalid, "%s %q is not a BuildKit secret id: use letters, digits, '.', '_' and '-' (at most 64), e.g. pip_netrc or npmrc", p, id)
	}
	return id, ok
}

// indexURL checks an index address: http or https, with no credentials,
// which would be stored in the Dockerfile and the image's history.
func (d *decoder) indexURL(n *yaml.Node, p, raw, example string) string {
	// Messages never repeat what may be a credential: CI logs keep them.
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "":
		d.errorf(n, ErrInvalid, "%s is not an http or https address; write it like %s", p, example)
	case u.User != nil:
		d.errorf(n, ErrInvalid, "%s holds a user name or password, which would be stored in the Dockerfile and the image; write url: %s and put the login in the file of a BuildKit secret named by secret", p, plainURL(u))
	case u.RawQuery != "" || u.Fragment != "":
		d.errorf(n, ErrInvalid, "%s has a query or fragment, which may hold a token; write url: %s and put credentials in the file of a BuildKit secret named by secret", p, plainURL(u))
	case strings.ContainsAny(raw, " '\"\\$`"):
		d.errorf(n, ErrInvalid, "%s %q holds spaces, quotes or shell characters; percent-encode them", p, raw)
	}
	return raw
}

// plainURL is u without user, password, query and fragment.
func plainURL(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}
