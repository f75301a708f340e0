package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/internal/readfile"
	"github.com/wharf-dev/wharf/internal/workspace"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

// A basePlan is a base spec init proposes: what the specs of one
// language share.
type basePlan struct {
	path     string
	data     []byte
	proposal *detect.Proposal
}

// runInitMany is init over several folders or a pattern: it finds the
// services, proposes a spec for each and a base per language for what
// their specs share, prints the plan, then writes it all or nothing.
func runInitMany(cmd *cobra.Command, opts initOptions, args []string) error {
	if len(args) == 0 {
		args = []string{"."}
	}
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	dirs, existing, skipped, err := findServices(args)
	if err != nil {
		return invalid(err)
	}
	printSkipped(cmd, skipped)
	if len(dirs) == 0 && len(existing) == 0 {
		return invalid(fmt.Errorf("%s matched no project: wharf init looks for a folder holding a project file (%s)", strings.Join(args, " "), detect.MarkerList()))
	}

	var plans []*servicePlan
	var failed []error
	for _, dir := range dirs {
		sp, err := planService(dir, opts)
		if err == nil {
			err = sp.render(nil)
		}
		if err != nil {
			failed = append(failed, err)
			continue
		}
		plans = append(plans, sp)
	}
	plans, bases, baseErrs := shareBases(runRoots(args), plans, opts)
	failed = append(failed, baseErrs...)

	printPlan(out, existing, bases, plans)
	for _, sp := range plans {
		sp.printNotes(errOut, workspace.Display(sp.dir)+": ")
	}
	for _, err := range failed {
		printError(errOut, err)
	}
	files := len(bases)
	for _, sp := range plans {
		files += len(sp.writes())
	}
	fmt.Fprintf(out, "plan: %s, %s, %s\n", count(len(plans), "spec", "specs"), count(len(bases), "base", "bases"), count(files, "file", "files"))
	switch {
	case len(failed) > 0 && !opts.partial:
		fmt.Fprintf(errOut, "wharf: init wrote nothing: %s could not be proposed; fix %s, or pass --partial to write the others\n",
			count(len(failed), "service or base", "services or bases"), map[bool]string{true: "it", false: "them"}[len(failed) == 1])
		return &exitError{code: ExitError}
	case opts.dryRun:
		fmt.Fprintln(out, "dry run: wrote nothing")
	default:
		if err := writePlan(cmd, opts, bases, plans); err != nil {
			return err
		}
	}
	if len(failed) > 0 {
		return &exitError{code: ExitError}
	}
	return nil
}

// findServices returns the project folders args name, in path order: a
// pattern's folders that hold a project file (a folder holding one is a
// service, and the walk does not enter it), any other argument as
// given. existing are the specs of the folders the walk left alone.
func findServices(args []string) (dirs, existing []string, skipped []error, err error) {
	for _, arg := range args {
		root, ok := workspace.PatternRoot(arg)
		if !ok {
			dirs = append(dirs, filepath.Clean(arg))
			continue
		}
		if info, err := os.Stat(root); err != nil || !info.IsDir() {
			return nil, nil, nil, fmt.Errorf("init %s: %s is not a folder", arg, root)
		}
		skip, err := workspace.Folders(root, detect.SkipDir, func(dir string, entries []fs.DirEntry) bool {
			if slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() == spec.FileName }) {
				existing = append(existing, filepath.Join(dir, spec.FileName))
				return false
			}
			if detect.IsProject(readfile.FS(dir, spec.MaxProjectFile)) {
				dirs = append(dirs, dir)
				return false
			}
			return true
		})
		if err != nil {
			return nil, nil, nil, err
		}
		skipped = append(skipped, skip...)
	}
	slices.Sort(dirs)
	slices.Sort(existing)
	return slices.Compact(dirs), slices.Compact(existing), skipped, nil
}

// runRoots are the folders init's arguments name: a pattern's root, or
// the folder itself.
func runRoots(args []string) []string {
	roots := make([]string, len(args))
	for i, arg := range args {
		if root, ok := workspace.PatternRoot(arg); ok {
			roots[i] = root
		} else {
			roots[i] = arg
		}
	}
	return roots
}

// baseName is the file name of the base of a language's specs.
func baseName(lang string) string { return "wharf-" + lang + ".yaml" }

// shareBases moves what the specs of each language share into a base in
// the root of the run, the folder holding every one of roots, and checks that each spec generates
// the same files through it as alone. It returns the plans it could
// keep: those of a language whose base cannot be written are dropped,
// with the reason in errs.
func shareBases(roots []string, plans []*servicePlan, opts initOptions) ([]*servicePlan, []basePlan, []error) {
	byLang := map[string][]*servicePlan{}
	var langs []string
	for _, sp := range plans {
		l := sp.proposal.Language
		if byLang[l] == nil {
			langs = append(langs, l)
		}
		byLang[l] = append(byLang[l], sp)
	}
	slices.Sort(langs)
	root, err := commonFolder(roots)
	if err != nil {
		return nil, nil, []error{err}
	}
	var bases []basePlan
	var errs []error
	dropped := map[string]bool{}
	for _, lang := range langs {
		group := byLang[lang]
		path := filepath.Join(root, baseName(lang))
		if _, err := os.Lstat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
			// A base from an earlier run (or by hand): never overwritten;
			// each new spec extends it where that changes nothing.
			for _, sp := range group {
				if err := sp.extendExisting(path, opts); err != nil {
					errs = append(errs, err)
					dropped[lang] = true
				}
			}
			continue
		}
		if len(group) < 2 {
			continue
		}
		ps := make([]*detect.Proposal, len(group))
		names := make([]string, len(group))
		for i, sp := range group {
			ps[i], names[i] = sp.proposal, sp.proposal.Name
		}
		base := detect.Share(ps, names)
		if base == nil {
			continue
		}
		data := base.YAML()
		loader := new(spec.Loader)
		if err := loader.SetBase(path, data); err != nil {
			errs = append(errs, err)
			dropped[lang] = true
			continue
		}
		for _, sp := range group {
			rel, err := relPath(sp.dir, path)
			if err != nil {
				errs = append(errs, err)
				dropped[lang] = true
				break
			}
			sp.proposal.Extends = rel
			alone := sp.files
			if err := sp.render(loader); err != nil {
				errs = append(errs, fmt.Errorf("the spec wharf init proposed for %s does not load with its base %s (a bug; please report it): %w", sp.dir, path, err))
				dropped[lang] = true
				break
			}
			if !sameFiles(alone, sp.files) {
				errs = append(errs, fmt.Errorf("the spec wharf init proposed for %s generates other files through its base %s than alone (a bug; please report it)", sp.dir, path))
				dropped[lang] = true
				break
			}
		}
		if !dropped[lang] {
			bases = append(bases, basePlan{path: path, data: data, proposal: base})
		}
	}
	var kept []*servicePlan
	for _, sp := range plans {
		if !dropped[sp.proposal.Language] {
			kept = append(kept, sp)
		}
	}
	return kept, bases, errs
}

// extendExisting makes the service's spec extend base, a base spec that
// exists already, when the spec then generates the files it generates
// alone, and drops from it each value the base gives alike. A base that
// would change its files (it sets what the service does not want) is
// left out, with a note saying so.
func (sp *servicePlan) extendExisting(base string, opts initOptions) error {
	rel, err := relPath(sp.dir, base)
	if err != nil {
		return err
	}
	alone := sp.files
	// try plans the service afresh without the values at paths, extending
	// base or not: fits says it generates the files it does alone.
	try := func(extends string, paths []string) (next *servicePlan, fits bool, err error) {
		next, err = planService(sp.dir, opts)
		if err != nil {
			return nil, false, err
		}
		next.proposal.Extends = extends
		next.proposal.Inherit(paths)
		if next.render(nil) != nil {
			return nil, false, nil
		}
		return next, sameFiles(alone, next.files), nil
	}
	best, fits, err := try(rel, nil)
	if err != nil {
		return err
	}
	if !fits {
		sp.proposal.Notes = append(sp.proposal.Notes, fmt.Sprintf("%s exists, but the spec does not extend it: with it the service would get other files (the base sets values, or has problems, that this service's spec would take); add extends: [%s] by hand to share what fits", workspace.Display(base), rel))
		return nil
	}
	// A value is taken from the base when the spec generates the same
	// files without it through the base, and other files without it
	// alone: the base gives it, not a default (which the spec keeps, as
	// init writes it).
	var taken []string
	for _, item := range sp.proposal.Items() {
		next, fits, err := try(rel, append(slices.Clone(taken), item.Path))
		if err != nil {
			return err
		}
		if !fits {
			continue
		}
		if _, isDefault, err := try("", []string{item.Path}); err != nil {
			return err
		} else if !isDefault {
			best, taken = next, append(taken, item.Path)
		}
	}
	*sp = *best
	return nil
}

// sameFiles reports whether a and b are the same files, byte for byte.
func sameFiles(a, b []generate.File) bool {
	return slices.EqualFunc(a, b, func(x, y generate.File) bool { return x.Path == y.Path && bytes.Equal(x.Data, y.Data) })
}

// commonFolder is the deepest folder holding every one of dirs, relative
// to the working folder when it is below it.
func commonFolder(dirs []string) (string, error) {
	var common []string
	for i, dir := range dirs {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", err
		}
		parts := strings.Split(abs, string(filepath.Separator))
		if i == 0 {
			common = parts
			continue
		}
		n := 0
		for n < len(common) && n < len(parts) && common[n] == parts[n] {
			n++
		}
		common = common[:n]
	}
	abs := strings.Join(common, string(filepath.Separator))
	if abs == "" {
		abs = string(filepath.Separator)
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return rel, nil
		}
	}
	return abs, nil
}

// relPath is the path of target from the folder dir, slash-separated, as
// extends names it.
func relPath(dir, target string) (string, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	absTarget, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absDir, absTarget)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), nil
}

// printPlan prints every file init writes, and per spec and base each
// value with why.
func printPlan(w io.Writer, existing []string, bases []basePlan, plans []*servicePlan) {
	for _, path := range existing {
		fmt.Fprintf(w, "%s: exists; left alone\n", workspace.Display(path))
	}
	for _, b := range bases {
		fmt.Fprintf(w, "%s: the base of the %s specs of %s\n", workspace.Display(b.path), b.proposal.Language, detect.JoinList(b.proposal.SharedBy))
		printItems(w, b.proposal.Items())
	}
	for _, sp := range plans {
		p := sp.proposal
		head := fmt.Sprintf("%s: the %s spec of %s", workspace.Display(sp.specPath), p.Language, p.Name)
		if p.Extends != "" {
			head += ", extends " + p.Extends
		}
		fmt.Fprintln(w, head)
		printItems(w, p.Items())
		for _, f := range sp.writes()[1:] {
			fmt.Fprintf(w, "  writes %s\n", workspace.Display(f.Path))
		}
	}
}

// printItems prints each value with why, unless the value before it
// has the same reason (builder and runner images, entries of env).
func printItems(w io.Writer, items []detect.Item) {
	for i, it := range items {
		fmt.Fprintf(w, "  %s: %s\n", it.Path, strings.ReplaceAll(it.Value, "\n", "; "))
		if it.Why != "" && (i == 0 || items[i-1].Why != it.Why) {
			fmt.Fprintf(w, "      %s\n", it.Why)
		}
	}
}

// writePlan writes the bases, then each service's files, printing each
// file written.
func writePlan(cmd *cobra.Command, opts initOptions, bases []basePlan, plans []*servicePlan) error {
	for _, b := range bases {
		if err := writeNewFile(b.path, b.data); err != nil {
			return invalid(err)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", workspace.Display(b.path))
	}
	for _, sp := range plans {
		if err := sp.writeFiles(cmd, opts); err != nil {
			return err
		}
	}
	return nil
}

// count is "1 spec" or "3 specs".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
