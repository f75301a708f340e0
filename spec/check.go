package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/internal/memo"
)

const pathRule = "use letters, digits and . _ / @ + * -"

// relPath checks a path inside the build context and returns it cleaned.
func (d *decoder) relPath(n *yaml.Node, field, p string) string {
	clean := path.Clean(p)
	switch {
	case !isPathChars(p):
		d.errorf(n, ErrPath, "%s %q has characters wharf cannot pass to COPY safely; %s", field, p, pathRule)
	case strings.HasPrefix(clean, "-"):
		d.errorf(n, ErrPath, "%s %q starts with '-', which COPY and build tools read as an option; rename it or move it into a folder", field, p)
	case path.IsAbs(p):
		d.errorf(n, ErrPath, "%s %q must be relative to the spec's folder (the build context), e.g. %q", field, p, strings.TrimLeft(p, "/"))
	case d.specDir == "." && (clean == ".." || strings.HasPrefix(clean, "../")):
		d.errorf(n, ErrPath, "%s %q points outside the spec's folder, which is the build context; move the files in, or set context to a folder above (e.g. context: ..)", field, p)
	case d.specDir != "." && strings.HasPrefix(path.Join(d.specDir, clean)+"/", "../"):
		d.errorf(n, ErrPath, "%s %q points outside the build context (context: %s); move the files in, or widen context", field, p, strings.Repeat("../", strings.Count(d.specDir, "/"))+"..")
	}
	return clean
}

// absPath checks a path in an image, which must be absolute.
func (d *decoder) absPath(n *yaml.Node, field, p string) string {
	switch {
	case !isPathChars(p):
		d.errorf(n, ErrPath, "%s %q has characters wharf cannot pass to COPY safely; %s", field, p, pathRule)
	case !path.IsAbs(p):
		d.errorf(n, ErrPath, "%s %q must be an absolute path in the image, e.g. %q", field, p, "/"+strings.TrimPrefix(p, "./"))
	}
	return path.Clean(p)
}

// defaults fills in what the spec leaves out; lang is nil when the
// spec's language is not known.
func (d *decoder) defaults(s *Spec, lang Language) {
	if s.Output == "" {
		s.Output = "Dockerfile"
	}
	if s.Runtime.User == "" {
		s.Runtime.User = DefaultUser
	}
	if s.Runtime.Workdir == "" {
		s.Runtime.Workdir = "/app"
	}
	if lang == nil {
		return
	}
	defaults := lang.Images()
	if s.Images.Builder.Ref == "" {
		s.Images.Builder = defaults.Builder
	}
	if s.Images.Runner.Ref == "" {
		s.Images.Runner = defaults.Runner
	}
}

// check finds what would break at build or run time.
func (d *decoder) check(s *Spec) {
	s.Recipe.Complete(&Decoder{d}, s)
	d.completeStages(s)
	builder, runner := s.Images.Builder, s.Images.Runner
	builderAt := d.at("images.builder")
	if s.Runtime.Init == "" {
		s.Runtime.Init = InitNone
	}

	if !builder.Family.HasShell() {
		d.errorf(builderAt, ErrNoShell, "the builder image %s is %s, which has no shell to run the build; use a debian or alpine based builder (e.g. the language's official image)", builder.Ref, builder.Family)
	}
	if !runner.Family.HasShell() {
		if len(s.Runtime.Packages) > 0 {
			d.errorf(d.at("runtime.packages"), ErrNoShell, "runtime.packages needs a package manager, but the runner %s is %s (no shell); remove the packages or use a debian or alpine runner", runner.Ref, runner.Family)
		}
	}
	d.checkWritable(s)
	if !builder.Family.HasShell() {
		return
	}
	d.checkPackages(s.Build.Packages, "build.packages", builder.Family)
	if runner.Family.HasShell() {
		d.checkPackages(s.Runtime.Packages, "runtime.packages", runner.Family)
	}
	d.checkSteps("build.before", s.Build.Before)
	d.checkSteps("build.run", s.Build.Run)
	d.checkSecrets(s)
}

// checkSteps checks the shell steps of field (build.before, build.run):
// each becomes the command of a RUN instruction after wharf's mounts, so
// nothing in it may read as exec form, an option or a continuation.
func (d *decoder) checkSteps(field string, steps []string) {
	for i, step := range steps {
		at := d.at(fmt.Sprintf("%s[%d]", field, i))
		if strings.HasPrefix(strings.TrimSpace(step), "[") {
			d.errorf(at, ErrInvalid, "%s[%d] starts with '[', which a Dockerfile reads as exec form; start with the command instead, e.g. \"test -f x\"", field, i)
		}
		if t := strings.Trim(step, " \t"); t != strings.TrimSpace(t) {
			d.errorf(at, ErrInvalid, "%s[%d] starts or ends with a Unicode space, which BuildKit trims off the command; remove it", field, i)
		} else if strings.HasPrefix(t, "#") {
			d.errorf(at, ErrInvalid, "%s[%d] starts with '#': it follows wharf's cache mounts on a line of its own, which a Dockerfile reads as a comment inside the RUN, so the next instruction would become the command; remove the step, or start with the command", field, i)
		} else if strings.HasPrefix(t, "-") {
			d.errorf(at, ErrInvalid, "%s[%d] starts with '-', which a Dockerfile reads as a RUN option such as --mount or --network; start with the command instead", field, i)
		} else if strings.HasSuffix(t, `\`) {
			d.errorf(at, ErrInvalid, "%s[%d] ends with '\\', which a Dockerfile reads as a line continuation that would swallow the next instruction; remove it", field, i)
		}
		if strings.Contains(step, "<<") {
			d.errorf(at, ErrInvalid, "%s[%d] holds \"<<\", which a Dockerfile reads as a heredoc; put the script in a file in your project and run that", field, i)
		}
	}
}

// Folders that runtime.writable refuses. A container runtime mounts its
// own filesystems on runFolders (and Docker a tmpfs on /tmp with
// --read-only or --tmpfs), hiding what the image holds there, and /tmp and
// /var/tmp are writable by every user already (mode 1777). systemFolders
// hold the system (on merged-/usr images /bin, /sbin and /lib* are links
// into /usr): the app's data does not belong in them. sharedFolders hold
// other programs' folders: the app may own a folder below one of them,
// never the folder itself.
var (
	runFolders    = []string{"/dev", "/proc", "/sys", "/tmp", "/var/tmp"}
	systemFolders = []string{"/bin", "/boot", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/root", "/sbin", "/usr"}
	sharedFolders = []string{"/home", "/media", "/mnt", "/opt", "/run", "/srv", "/var", "/var/cache", "/var/lib", "/var/log", "/var/spool"}
)

// under reports whether p is dir or inside it.
func under(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/")
}

// checkWritable checks runtime.writable: folders the runner's user will
// own, each made on its own, so none may be the root, a system folder,
// the workdir or a folder above it (which would hand the user the
// workdir), or hold another; and the user must not be root.
func (d *decoder) checkWritable(s *Spec) {
	r := s.Runtime
	if uid, _, _ := strings.Cut(r.User, ":"); len(r.Writable) > 0 && (r.User == "root" || uid == "0") {
		d.errorf(d.at("runtime.writable"), ErrInvalid, "runtime.writable gives folders to the runner's user, but runtime.user is %s, which can write everywhere already: remove runtime.writable, or run as a non-root user (remove runtime.user for wharf's %q, uid %d)", r.User, DefaultUser, DefaultUID)
		return
	}
	const fix = "use a folder of the app's own, e.g. /app/data or /var/lib/"
	var valid []int // the indexes of the folders that passed, for nesting
	for i, w := range r.Writable {
		field := fmt.Sprintf("runtime.writable[%d]", i)
		at := d.at(field)
		if !path.IsAbs(w) || !isPathChars(w) {
			continue // absPath said so
		}
		var msg string
		switch {
		case strings.Contains(w, "*"):
			msg = fmt.Sprintf("%s %q holds '*', which COPY would read as a pattern; name the folder itself", field, w)
		case w == "/":
			msg = fmt.Sprintf("%s is the root folder: giving it to the app would let it replace any file of the image; %s%s", field, fix, s.Name)
		case slices.ContainsFunc(runFolders, func(f string) bool { return under(w, f) }):
			msg = fmt.Sprintf("%s %q is in %s, which is writable by every user already or which the container runtime mounts over at run time, hiding what the image holds; %s%s", field, w, runFolders[slices.IndexFunc(runFolders, func(f string) bool { return under(w, f) })], fix, s.Name)
		case slices.ContainsFunc(systemFolders, func(f string) bool { return under(w, f) }):
			msg = fmt.Sprintf("%s %q is in the system folder %s, whose files the app must not change; %s%s", field, w, systemFolders[slices.IndexFunc(systemFolders, func(f string) bool { return under(w, f) })], fix, s.Name)
		case slices.Contains(sharedFolders, w):
			msg = fmt.Sprintf("%s %q holds other programs' folders; give the app a folder inside it instead, e.g. %q", field, w, path.Join(w, s.Name))
		case under(r.Workdir, w):
			what := "the workdir"
			if w != r.Workdir {
				what = "a folder above the workdir " + r.Workdir
			}
			msg = fmt.Sprintf("%s %q is %s, which stays root's so the app cannot change its own code; give it a folder inside, e.g. %q", field, w, what, path.Join(r.Workdir, "data"))
		}
		if msg != "" {
			d.errorf(at, ErrPath, "%s", msg)
			continue
		}
		for _, j := range valid {
			other := r.Writable[j]
			switch {
			case other == w:
				d.errorf(at, ErrInvalid, "%s %q is listed twice; remove one", field, w)
			case under(w, other):
				d.errorf(at, ErrPath, "%s %q is inside runtime.writable[%d] %q, which the app owns already (it can make %s itself); remove one", field, w, j, other, w)
			case under(other, w):
				d.errorf(at, ErrPath, "%s %q holds runtime.writable[%d] %q; list only the outer folder, or only the inner ones", field, w, j, other)
			default:
				continue
			}
			break
		}
		valid = append(valid, i)
	}
}

func (d *decoder) checkPackages(pkgs []string, field string, family Family) {
	def := family.Def()
	if def == nil || def.Package == nil {
		return
	}
	for i, p := range pkgs {
		if !def.Package(p) {
			d.errorf(d.at(fmt.Sprintf("%s[%d]", field, i)), ErrInvalid, "%s[%d] %q is not a valid %s package name: write %s, starting with a letter or digit, with no spaces or shell syntax", field, i, p, family, def.PackageForm)
		}
	}
}

// secretName matches ENV and ARG names that usually hold credentials. It
// covers every name BuildKit's SecretsUsedInArgOrEnv check flags (its
// words, less those that also hold "public", "file" or "version"), plus a
// few compound ones such as API_KEY and CLIENT_SECRET, so that validate
// warns before the build does.
var (
	secretName    = lazyregexp.New(`(?i)(?:_|^)(?:apikey|api_key|auth|credentials?|key|passwd|password|pword|secret|token|private_key|access_key)(?:_|$)`)
	notSecretName = lazyregexp.New(`(?i)(?:_|^)(?:public|file|version)(?:_|$)`)
)

// secretNames remembers which names secretName matches and notSecretName
// does not: the same few names recur in the specs of a monorepo.
var secretNames = memo.New(func(k string) bool { return secretName.MatchString(k) && !notSecretName.MatchString(k) })

// secretValue matches values that are credentials whatever their name: a
// URL with a password in it, and the fixed prefixes of common tokens.
var secretValue = lazyregexp.New(`[a-zA-Z][a-zA-Z0-9+.-]*://[^/@\s:]*:[^/@\s]+@|\b(?:ghp_|gho_|ghs_|github_pat_|glpat-|npm_|xox[bpas]-|sk_live_)[A-Za-z0-9_-]{8,}|\bAKIA[0-9A-Z]{16}\b`)

// mayHoldCredential is a quick filter before secretValue, which is slow
// on long values: every credential it matches holds '@', '_' or '-', or
// starts an AWS key.
func mayHoldCredential(v string) bool {
	return strings.ContainsAny(v, "@_-") || strings.Contains(v, "AKIA")
}

// storedWhere says where the value of field ends up: build.* only in the
// builder stage, the rest in the image that ships.
func storedWhere(field string) string {
	if strings.HasPrefix(field, "build.") {
		return "it would be stored in the builder stage's history, not the runner image, but anyone with the build cache or a pushed builder image can read it"
	}
	return "it would be stored in the image for anyone who pulls it"
}

func (d *decoder) checkSecrets(s *Spec) {
	for _, f := range []struct {
		field string
		vars  map[string]string
	}{{"build.args", s.Build.Args}, {"build.env", s.Build.Env}, {"runtime.env", s.Runtime.Env}, {"runtime.labels", s.Runtime.Labels}} {
		for _, k := range sortedKeys(f.vars) {
			switch {
			case mayHoldCredential(f.vars[k]) && secretValue.MatchString(f.vars[k]):
				d.warnf(d.at(f.field+"."+k), ErrSecret, "%s.%s holds what looks like a credential; %s: pass it at build time as a BuildKit secret (see python.index and node.registry) or at run time", f.field, k, storedWhere(f.field))
			case f.field != "runtime.labels" && secretNames.Get(k):
				d.warnf(d.at(f.field+"."+k), ErrSecret, "%s.%s looks like a secret; %s: pass credentials at build time as a BuildKit secret (RUN --mount=type=secret) or at run time", f.field, k, storedWhere(f.field))
			}
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// jsonList renders args as a JSON list, as exec form is written.
func jsonList(args []string) (string, error) {
	quoted := make([]string, len(args))
	for i, a := range args {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(a); err != nil {
			return "", err
		}
		quoted[i] = strings.TrimSuffix(buf.String(), "\n")
	}
	return "[" + strings.Join(quoted, ", ") + "]", nil
}

// LooksSecret reports whether an ENV or ARG named name holding value looks
// like a credential, by the same rules as validate's warnings: the name
// (*_TOKEN, *_PASSWORD, ...) or the value (a URL with a password, a known
// token prefix). wharf import uses it to keep such values out of a spec.
func LooksSecret(name, value string) bool {
	return (mayHoldCredential(value) && secretValue.MatchString(value)) || secretNames.Get(name)
}

// RedactCredentials replaces what looks like a credential in text (a URL
// password, a known token) with "<redacted>", for text that wharf quotes
// back from a user's file.
func RedactCredentials(text string) string {
	if !mayHoldCredential(text) {
		return text
	}
	return secretValue.ReplaceAllString(text, "<redacted>")
}
