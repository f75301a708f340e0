package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wharf-dev/wharf"
	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/internal/atomicfile"
	"github.com/wharf-dev/wharf/internal/dockerfile"
	"github.com/wharf-dev/wharf/internal/readfile"
	"github.com/wharf-dev/wharf/internal/workspace"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

type initOptions struct {
	language string
	replace  bool
	compose  bool
	dryRun   bool
	partial  bool
}

func newInit() *cobra.Command {
	var opts initOptions
	cmd := &cobra.Command{
		Use:   "init [DIR...]",
		Short: "Write a wharf.yaml for a project, then its Dockerfile and .dockerignore",
		Long: `init looks at the project in DIR (default ".") to tell its language and
what its build needs: pyproject.toml, setup.py or requirements*.txt for
Python; go.mod and its main packages for Go; package.json and its lockfile
for Node. It writes a commented wharf.yaml, then generates the Dockerfile
and .dockerignore from it, as wharf generate does.

When DIR has a hand-written Dockerfile, init reads it first (as wharf
import does) and takes what it finds ahead of its own detection: images,
packages, ports, command, environment, user, healthcheck, labels, copied
files; what does not map is listed in wharf.yaml with its line. The spec
then writes Dockerfile.wharf (and Dockerfile.wharf.dockerignore), leaving
Dockerfile and .dockerignore byte for byte as they were; the patterns of
.dockerignore are carried into the spec's ignore list. A Dockerfile init
cannot read is reported in one line, and the spec comes from detection.

--compose also writes compose.yaml for local development (docker compose up
--watch): one service built from the Dockerfile's runner stage, with the
spec's ports, env and healthcheck and the language's develop.watch rules.
The spec says so with compose: compose.yaml, and generate and check keep
the file fresh. Beside a compose.yaml that wharf did not write, the file is
compose.wharf.yaml instead.

--replace makes wharf own the usual names: the spec writes Dockerfile and
.dockerignore, replacing the hand-written ones (whose ignore patterns are
kept in the spec). init never overwrites wharf.yaml: if it exists, init
writes nothing. It asks nothing; when the project holds files of more than
one language, --language chooses (or the Dockerfile's base images do).

"./...", "dir/..." or several DIRs propose one spec per service. A
pattern finds every folder below its root that holds a project file a
language tells (go.mod, package.json, pyproject.toml, ...), walking as
generate ./... does (skipping .git, node_modules, vendor, hidden and
_-prefixed folders, testdata, venv, env, build, dist, site-packages, and
what .wharfignore and .gitignore exclude). A project folder is one
service: the folders below it are its own (Node workspace members, a Go
module's packages) and are not proposed apart; name them as DIRs for that.
A folder that has a wharf.yaml already is left alone, and so is what is
below it. The settings that all the specs of one language hold alike
(images, packages, env entries, labels, ports, ...) go into a base spec,
wharf-<language>.yaml in the folder of the run (the pattern's root, or
the folder holding every DIR), which they extend; a language with one service gets no base. init checks that
each spec generates the same files through its base as alone.

With several services init prints the plan first: every file it writes,
and per spec each value and why. --dry-run prints only. If a service
cannot be proposed (no project file, more than one language, a file
that exists), init says why for each and writes nothing; --partial
writes the others anyway (the exit code is still 2). A base that exists
already stops init: it never overwrites a spec or a base.`,
		Example: `  wharf init
  wharf init services/api
  wharf init --replace services/api   # replace the hand-written Dockerfile
  wharf init --compose                # and compose.yaml, for docker compose up --watch
  wharf init --language go    # a Go service with a package.json for tooling
  wharf init --dry-run ./...  # the specs and bases of every service below .
  wharf init services/api services/web`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd, opts, args)
		},
	}
	cmd.Flags().StringVar(&opts.language, "language", "", "the project's language (python, go or node), instead of detecting it")
	cmd.Flags().BoolVar(&opts.compose, "compose", false, "also write compose.yaml, for docker compose up --watch (the spec's compose key)")
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "print the plan (files, values and reasons) and write nothing")
	cmd.Flags().BoolVar(&opts.partial, "partial", false, "with several folders, write the services that can be proposed even if others cannot")
	cmd.Flags().BoolVar(&opts.replace, "replace", false, "write Dockerfile and .dockerignore, replacing hand-written ones, instead of Dockerfile.wharf beside them")
	return cmd
}

// besideOutput is the output init proposes beside a hand-written Dockerfile.
const besideOutput = "Dockerfile.wharf"

// besideCompose is the compose file init proposes beside a compose file
// wharf did not write.
const besideCompose = "compose.wharf.yaml"

func runInit(cmd *cobra.Command, opts initOptions, args []string) error {
	if _, known := spec.LookupLanguage(opts.language); opts.language != "" && !known {
		return invalid(fmt.Errorf("--language %q is not supported; use %s", opts.language, languageList()))
	}
	if len(args) > 1 || (len(args) == 1 && workspace.IsPattern(args[0])) || opts.dryRun {
		return runInitMany(cmd, opts, args)
	}
	if opts.partial {
		return invalid(errors.New("--partial is for several folders (wharf init ./... or DIR DIR...)"))
	}
	dir := pathArg(args)
	sp, err := planService(dir, opts)
	if err != nil {
		return invalid(err)
	}
	if err := sp.render(nil); err != nil {
		return err
	}
	return sp.write(cmd, opts)
}

// A servicePlan is what init proposes for one project folder.
type servicePlan struct {
	dir, specPath string
	// output is the Dockerfile the spec writes: Dockerfile, or
	// Dockerfile.wharf beside a hand-written one.
	output   string
	proposal *detect.Proposal
	// readErr is why the hand-written Dockerfile could not be read.
	readErr error
	// data is the spec, files what it generates.
	data  []byte
	files []generate.File
}

// planService proposes the spec of the project in dir, checking first
// that init may write every file it will: the spec, and the Dockerfile,
// ignore file and compose file beside hand-written ones.
func planService(dir string, opts initOptions) (*servicePlan, error) {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("init %s: not a folder; pass the project's folder", dir)
	}
	specPath := filepath.Join(dir, spec.FileName)
	exists := func(name string) (bool, error) {
		_, err := os.Lstat(filepath.Join(dir, name))
		if err == nil {
			return true, nil
		}
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, err
	}
	if ok, err := exists(spec.FileName); err != nil {
		return nil, err
	} else if ok {
		return nil, fmt.Errorf("%s already exists; wharf init never overwrites a spec and wrote nothing: the project has a spec already: edit it and run wharf generate", specPath)
	}
	hasDockerfile, err := exists("Dockerfile")
	if err != nil {
		return nil, err
	}
	hasIgnore, err := exists(generate.DockerignorePath("Dockerfile"))
	if err != nil {
		return nil, err
	}
	output := "Dockerfile"
	if (hasDockerfile || hasIgnore) && !opts.replace {
		output = besideOutput
	}
	// The files init writes besides the spec must not exist, except the
	// hand-written ones --replace replaces.
	if output != "Dockerfile" {
		var found []string
		for _, name := range []string{output, generate.DockerignorePath(output)} {
			if ok, err := exists(name); err != nil {
				return nil, err
			} else if ok {
				found = append(found, filepath.Join(dir, name))
			}
		}
		if len(found) > 0 {
			return nil, fmt.Errorf("%s already %s; wharf init never overwrites it and wrote nothing: move it aside, or pass --replace to write Dockerfile and .dockerignore instead", detect.JoinList(found), map[bool]string{true: "exists", false: "exist"}[len(found) == 1])
		}
	}

	compose := ""
	if opts.compose {
		compose = "compose.yaml"
		for _, name := range []string{"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"} {
			if ok, err := exists(name); err != nil {
				return nil, err
			} else if ok {
				compose = besideCompose
			}
		}
		if ok, err := exists(compose); err != nil {
			return nil, err
		} else if ok {
			return nil, fmt.Errorf("%s already exists; wharf init never overwrites it and wrote nothing: move it aside", filepath.Join(dir, compose))
		}
	}

	sp := &servicePlan{dir: dir, specPath: specPath, output: output}
	var df *dockerfile.File
	if hasDockerfile {
		df, sp.readErr = readDockerfile(filepath.Join(dir, "Dockerfile"))
	}
	proposal, err := propose(dir, opts.language, df, output)
	if err != nil {
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	if compose != "" {
		proposal.Compose = compose
		proposal.ComposeWhy = "A compose file for local development (docker compose up --watch), which wharf generate keeps fresh: the runner stage, the ports, env and healthcheck, and develop.watch rules that sync or rebuild on changes."
		if compose == besideCompose {
			proposal.ComposeWhy += " Written beside the project's own compose file, which wharf leaves alone."
		}
	}
	sp.proposal = proposal
	return sp, nil
}

// render renders the proposal as the spec and the files it generates,
// reading the bases of loader (nil for a spec that extends none).
func (sp *servicePlan) render(loader *spec.Loader) error {
	data, files, err := render(loader, sp.specPath, sp.proposal)
	if err != nil {
		return err
	}
	sp.data, sp.files = data, files
	return nil
}

// writes are the files init writes for the service, the spec first,
// with their paths on disk.
func (sp *servicePlan) writes() []generate.File {
	writes := append([]generate.File{{Path: spec.FileName, Data: sp.data}}, sp.files...)
	for i := range writes {
		writes[i].Path = filepath.Join(sp.dir, filepath.FromSlash(writes[i].Path))
	}
	return writes
}

// write writes the service's files, printing each, then its notes.
func (sp *servicePlan) write(cmd *cobra.Command, opts initOptions) error {
	if err := sp.writeFiles(cmd, opts); err != nil {
		return err
	}
	sp.printNotes(cmd.ErrOrStderr(), "")
	return nil
}

// writeFiles writes the service's files, printing each: new files only,
// but for the hand-written Dockerfile and .dockerignore --replace
// replaces.
func (sp *servicePlan) writeFiles(cmd *cobra.Command, opts initOptions) error {
	for _, f := range sp.writes() {
		if opts.replace && filepath.Base(f.Path) != spec.FileName {
			if err := writeFileAtomic(f.Path, f.Data); err != nil {
				return invalid(err)
			}
		} else if err := writeNewFile(f.Path, f.Data); err != nil {
			return invalid(err)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", f.Path)
	}
	return nil
}

// printNotes prints what the user should know of the service, each note
// after prefix.
func (sp *servicePlan) printNotes(stderr io.Writer, prefix string) {
	if sp.readErr != nil {
		fmt.Fprintf(stderr, "wharf: note: %scould not read the Dockerfile, so the spec comes from the project's files alone: %v\n", prefix, sp.readErr)
	}
	for _, note := range append(slices.Clone(sp.proposal.Notes), sp.proposal.ImagesNote) {
		if note != "" {
			fmt.Fprintf(stderr, "wharf: note: %s%s\n", prefix, note)
		}
	}
	if sp.output == besideOutput {
		fmt.Fprintf(stderr, "wharf: note: %sthe hand-written Dockerfile and .dockerignore are untouched; to let wharf own them, set output: Dockerfile in %s and run wharf generate --force --prune %s\n", prefix, sp.specPath, sp.dir)
	}
}

// readDockerfile reads the Dockerfile at name.
func readDockerfile(name string) (*dockerfile.File, error) {
	data, err := readfile.ReadAll(name, "a Dockerfile", dockerfile.MaxSize)
	if err != nil {
		return nil, err
	}
	return dockerfile.Read(name, data)
}

// propose is the spec init and import propose for the project in dir:
// detection, with what the Dockerfile df (when not nil) says ahead of it,
// writing output, and the patterns of the project's .dockerignore.
func propose(dir, lang string, df *dockerfile.File, output string) (*detect.Proposal, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	fsys := readfile.FS(dir, spec.MaxProjectFile)
	var notes []string
	if lang == "" && df != nil {
		if hint := df.Language(); hint != "" {
			if _, err := detect.Detect(fsys, filepath.Base(abs), ""); errors.Is(err, detect.ErrAmbiguous) {
				lang = hint
				notes = append(notes, fmt.Sprintf("the project has files of more than one language; the Dockerfile's base images say %s (pass --language to choose another)", hint))
			}
		}
	}
	p, err := detect.Detect(fsys, filepath.Base(abs), lang)
	if err != nil {
		return nil, err
	}
	p.Notes = append(notes, p.Notes...)
	if output != "Dockerfile" {
		p.Output = output
		p.OutputWhy = "Written beside the hand-written Dockerfile, which wharf leaves alone; set output: Dockerfile (and run wharf generate --force --prune) to let wharf own it."
	}
	if df != nil {
		dockerfile.Apply(p, df, fsys)
	}
	if data, err := fs.ReadFile(fsys, ".dockerignore"); err == nil {
		if lines := ignoreLines(data, p, output); len(lines) > 0 {
			p.Ignore = lines
			p.IgnoreWhy = "From .dockerignore, so that builds of wharf's Dockerfile leave out what the hand-written one did (BuildKit reads only one ignore file per Dockerfile)."
		}
	}
	return p, nil
}

// ignoreLines are the patterns of a hand-written .dockerignore that the
// ignore file wharf generates for p lacks.
func ignoreLines(data []byte, p *detect.Proposal, output string) []string {
	have := map[string]bool{}
	if s, err := spec.Parse(spec.FileName, p.YAML()); err == nil {
		if files, err := wharf.Render(s, nil, nil); err == nil {
			for _, f := range files {
				if f.Path == generate.DockerignorePath(output) {
					for _, l := range strings.Split(string(f.Data), "\n") {
						have[strings.TrimSpace(l)] = true
					}
				}
			}
		}
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") || have[l] || slices.Contains(out, l) {
			continue
		}
		out = append(out, l)
	}
	return out
}

// render parses the proposal as the spec at specPath and renders its
// files, as generate would, with the base specs of loader.
func render(loader *spec.Loader, specPath string, p *detect.Proposal) ([]byte, []generate.File, error) {
	data := p.YAML()
	if loader == nil {
		loader = new(spec.Loader)
	}
	s, err := loader.Parse(specPath, data)
	if err != nil {
		return nil, nil, invalid(proposalError(specPath, err))
	}
	r, err := wharf.Complete(s, wharf.Options{}) // as generate does, should a wharf.lock be there
	if err != nil {
		return nil, nil, invalid(err)
	}
	return data, r.Files, nil
}

// proposalError explains why the spec init proposed for specPath is not
// valid: what detection found in the project that a spec cannot name
// (a main package in a folder with a space, say). The problems are not
// given as positions in specPath, which init has not written.
func proposalError(specPath string, err error) error {
	var list spec.ErrorList
	if !errors.As(err, &list) {
		return fmt.Errorf("wharf init proposed an invalid spec (a bug; please report it): %w", err)
	}
	msgs := make([]string, len(list))
	for i, e := range list {
		msgs[i] = "  " + e.Msg
	}
	return fmt.Errorf("init: the project has what a spec cannot name, so wharf init wrote nothing (not even %s):\n%s\nrename what these name, or write %s by hand (wharf schema describes it)",
		specPath, strings.Join(msgs, "\n"), specPath)
}

// writeNewFile writes name atomically, failing if it exists.
func writeNewFile(name string, data []byte) error {
	err := atomicfile.Create(name, data)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; wharf init never overwrites a file", name)
	}
	return err
}

// languageList is "python, go or node": the registered languages.
func languageList() string {
	var names []string
	for _, l := range spec.Languages() {
		names = append(names, l.Name())
	}
	return spec.OrList(names)
}
