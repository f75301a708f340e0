package bake

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/wharf-dev/wharf"
	"github.com/wharf-dev/wharf/internal/readfile"
	"github.com/wharf-dev/wharf/internal/workspace"
	"github.com/wharf-dev/wharf/lock"
)

// Why a file is an input of a spec's image. The values are stable: they
// appear in affected's JSON report.
const (
	WhySpec      = "spec"      // the spec file itself
	WhyExtends   = "extends"   // a base it extends, directly or not
	WhyTemplates = "templates" // a file in its custom template folder
	WhyLock      = "lock"      // its wharf.lock
	WhyBuild     = "build"     // its Dockerfile or the ignore file BuildKit reads
	WhyContext   = "context"   // a file its build context sends (not excluded by the ignore file)
)

// Reason is a changed file that affects a spec, and why.
type Reason struct {
	File string // slash-separated, relative to the current folder when below it
	Why  string
}

// Affected is a spec whose image's inputs changed.
type Affected struct {
	// File is the spec's path, as given; Name its name.
	File, Name string
	Reasons    []Reason
}

// specInputs is what FindAffected keeps of a spec: a few fields, so that
// a run over 10,000 specs keeps no parsed YAML.
type specInputs struct {
	file, name, context, output, templates string
	extends                                []string
}

// Git runs git, as the git command: it is what CI checkouts come with,
// it reads every repository git can (worktrees, sparse and partial
// clones, index extensions, fsmonitor), and it resolves REF exactly as
// the user's own git does (origin/main, HEAD~3, a tag), with no library
// of a second implementation to keep in step.
type Git struct {
	// Dir is the folder git runs in.
	Dir string
}

func (g Git) run(args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = g.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return out, nil
}

// Changes returns the root of the repository and the files that differ
// between the commit rev and the working tree (staged or not, deleted,
// added, and untracked files git does not ignore), as absolute paths.
// A rename is the removal of the old path and the addition of the new.
func (g Git) Changes(rev string) (root string, files []string, err error) {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return "", nil, fmt.Errorf("--since %q is not a git revision; name a commit, branch or tag, e.g. origin/main", rev)
	}
	top, err := g.run("rev-parse", "--show-toplevel")
	if err != nil {
		return "", nil, err
	}
	root = logicalRoot(strings.TrimSpace(string(top)))
	if _, err := g.run("rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}"); err != nil {
		return "", nil, fmt.Errorf("--since %s: no such commit in %s (in a shallow CI checkout, fetch it: actions/checkout with fetch-depth: 0)", rev, root)
	}
	at := Git{Dir: strings.TrimSpace(string(top))}
	diff, err := at.run("-c", "core.quotePath=false", "diff", "--no-renames", "--no-ext-diff", "--name-only", "-z", rev, "--")
	if err != nil {
		return "", nil, err
	}
	untracked, err := at.run("ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return "", nil, err
	}
	for _, list := range [][]byte{diff, untracked} {
		for _, name := range bytes.Split(list, []byte{0}) {
			if len(name) > 0 {
				files = append(files, filepath.Join(root, filepath.FromSlash(string(name))))
			}
		}
	}
	slices.Sort(files)
	return root, slices.Compact(files), nil
}

// input is what a changed path may be to the specs: indexes from absolute
// paths to the specs that read them.
type inputs struct {
	files    map[string][]fileUse // exact files
	contexts map[string][]int     // build context folders
	folders  map[string][]int     // custom template folders
}

type fileUse struct {
	spec int
	why  string
}

// FindAffected loads the specs at paths (spec files, as workspace.Expand
// returns them) and returns, in their order, those that the changed files
// (absolute paths) affect: files under the build context that its ignore
// file does not exclude (with BuildKit's pattern rules), the spec and the
// bases it extends, its custom templates, its wharf.lock, its Dockerfile
// and ignore file. Invalid specs are returned as errors; a spec that no
// longer loads is still a change CI must see.
func FindAffected(paths, changed []string, cache *wharf.Cache) ([]Affected, error) {
	specs := make([]specInputs, len(paths))
	var errs []error
	workspace.Each(len(paths), func(i int) any {
		s, err := cache.Load(paths[i])
		if err != nil {
			return err
		}
		return specInputs{file: s.File, name: s.Name, context: s.Context, output: s.Output, templates: s.Templates, extends: s.Extends}
	}, func(i int, v any) {
		switch v := v.(type) {
		case error:
			errs = append(errs, v)
		case specInputs:
			specs[i] = v
		}
	})
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	in := inputs{files: map[string][]fileUse{}, contexts: map[string][]int{}, folders: map[string][]int{}}
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	abs := func(p string) string { // filepath.Abs, without a Getwd each time
		if filepath.IsAbs(p) {
			return filepath.Clean(p)
		}
		return filepath.Join(wd, p)
	}
	for i, s := range specs {
		dir := abs(filepath.Dir(s.file))
		add := func(p, why string) { in.files[p] = append(in.files[p], fileUse{i, why}) }
		add(abs(s.file), WhySpec)
		for _, b := range s.extends {
			add(abs(b), WhyExtends)
		}
		add(lock.Path(abs(s.file)), WhyLock)
		dockerfile := filepath.Join(dir, filepath.FromSlash(s.output))
		add(dockerfile, WhyBuild)
		add(dockerfile+".dockerignore", WhyBuild)
		ctx := filepath.Join(dir, filepath.FromSlash(s.context))
		add(filepath.Join(ctx, ".dockerignore"), WhyBuild)
		in.contexts[ctx] = append(in.contexts[ctx], i)
		if s.templates != "" {
			t := abs(s.templates)
			in.folders[t] = append(in.folders[t], i)
		}
	}
	reasons := make([][]Reason, len(specs))
	matchers := map[int]*patternmatcher.PatternMatcher{}
	seen := func(i int, file string) bool {
		return len(reasons[i]) > 0 && reasons[i][len(reasons[i])-1].File == file
	}
	for _, file := range changed {
		shown := workspace.Display(file)
		for _, u := range in.files[file] {
			if !seen(u.spec, shown) {
				reasons[u.spec] = append(reasons[u.spec], Reason{shown, u.why})
			}
		}
		for dir := filepath.Dir(file); ; dir = filepath.Dir(dir) {
			for _, i := range in.folders[dir] {
				if !seen(i, shown) {
					reasons[i] = append(reasons[i], Reason{shown, WhyTemplates})
				}
			}
			for _, i := range in.contexts[dir] {
				if seen(i, shown) {
					continue
				}
				m, err := contextMatcher(&specs[i], dir, matchers, i)
				if err != nil {
					return nil, err
				}
				rel, _ := filepath.Rel(dir, file)
				if excluded, err := m.MatchesOrParentMatches(filepath.ToSlash(rel)); err != nil {
					return nil, fmt.Errorf("%s: ignore file: %w", specs[i].file, err)
				} else if !excluded {
					reasons[i] = append(reasons[i], Reason{shown, WhyContext})
				}
			}
			if parent := filepath.Dir(dir); parent == dir {
				break
			}
		}
	}
	var out []Affected
	for i, s := range specs {
		if len(reasons[i]) > 0 {
			out = append(out, Affected{File: s.file, Name: s.name, Reasons: reasons[i]})
		}
	}
	return out, nil
}

// contextMatcher returns the patterns of the ignore file BuildKit reads
// for a spec: <Dockerfile>.dockerignore beside the Dockerfile, else
// .dockerignore at the root of the context ctx.
func contextMatcher(s *specInputs, ctx string, cache map[int]*patternmatcher.PatternMatcher, i int) (*patternmatcher.PatternMatcher, error) {
	if m, ok := cache[i]; ok {
		return m, nil
	}
	dockerfile := filepath.Join(filepath.Dir(s.file), filepath.FromSlash(s.output))
	var patterns []string
	for _, name := range []string{dockerfile + ".dockerignore", filepath.Join(ctx, ".dockerignore")} {
		data, err := readfile.ReadAll(name, "an ignore file", workspace.MaxIgnoreFile)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		patterns, err = ignorefile.ReadAll(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		break
	}
	m, err := patternmatcher.New(patterns)
	if err != nil {
		return nil, fmt.Errorf("%s: ignore file: %w", s.file, err)
	}
	cache[i] = m
	return m, nil
}

// logicalRoot returns the repository root git names (a path with no
// symbolic links) as a path below the current folder's own spelling, when
// that folder is inside it, so that changed files compare equal with the
// paths of the specs found from there.
func logicalRoot(root string) string {
	wd, err := os.Getwd()
	if err != nil {
		return root
	}
	real, err := filepath.EvalSymlinks(wd)
	if err != nil || real == wd {
		return root
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return root
	}
	logical := wd
	if rel != "." {
		for range strings.Split(rel, string(filepath.Separator)) {
			logical = filepath.Dir(logical)
		}
	}
	return logical
}
