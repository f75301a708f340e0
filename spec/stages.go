package spec

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
)

// A Stage is an extra build stage (the spec's stages): a project in a
// folder of the build context built with another language's recipe, whose
// output folder the runner copies. The stage is a spec of its own (Spec):
// its language section decoded and completed by its language, its builder
// image, and its folder as its build context, so that the language's
// builder blocks render it as they render a spec's builder.
type Stage struct {
	// Name is the stage's name in the Dockerfile (FROM ... AS <name>).
	Name string
	// Language names a registered Language whose Recipe is a StageRecipe.
	Language string
	// Context is the stage's folder, slash-separated and relative to the
	// spec's folder; Dir is the same folder relative to the build context.
	Context, Dir string
	// Output is the folder the build writes, relative to the stage's folder.
	Output string
	// To is where the runner gets Output, an absolute path.
	To string
	// Spec is the stage as a spec whose folder is the stage's folder and
	// whose build context is that folder: Language, Recipe, Images (the
	// builder's image in both) and File are set, Context and SpecDir are
	// ".", and its field paths ("node.build", "images.builder") are those
	// of the stage's item.
	Spec *Spec
}

// A StageRecipe is a Recipe that can build a stage: its build writes a
// folder of plain files (a web frontend's dist) that the runner can use
// without the language's runtime. A language whose Recipe is not one is
// refused in stages.
type StageRecipe interface {
	Recipe
	// CompleteStage is Complete for the recipe of a stage, s being the
	// stage's spec: it fills in defaults and reports what would break,
	// leaving out what concerns a runner, which a stage has not, and
	// refusing settings that only make sense for one.
	CompleteStage(d *Decoder, s *Spec)
	// StageManifests are the files, relative to the stage's folder, that
	// must be there for the build to start (fs.Glob patterns), e.g.
	// package.json and the lockfile.
	StageManifests() []string
}

// A StageFolderChecker is a StageRecipe that also checks what the stage's
// folder holds (a build script that package.json must define): dir is
// the folder in fsys, the spec's folder.
type StageFolderChecker interface {
	StageRecipe
	CheckStageFolder(d *Decoder, fsys fs.FS, dir string)
}

// stageNamePattern is what a stage's name may be: what BuildKit takes as
// a stage name, lowercase.
const stageNamePattern = `^[a-z][a-z0-9_.-]*$`

var stageNameRE = lazyregexp.New(stageNamePattern)

// TiniStage is the name of the stage that fetches a static tini (see
// StaticTini), which no extra build stage may take.
const TiniStage = "tini"

// stageLanguages lists the registered languages that can build a stage.
func stageLanguages() []string {
	var names []string
	probe := &Decoder{&decoder{nodes: map[string]*yaml.Node{}}}
	for _, l := range Languages() {
		if _, ok := l.Decode(probe, nil).(StageRecipe); ok {
			names = append(names, l.Name())
		}
	}
	return names
}

// stageState is a stage being decoded: its item's path and the decoder
// of its own fields, whose problems are reported with the stage named.
type stageState struct {
	path string
	dec  *decoder
}

// stages decodes the list of extra build stages. It runs after the
// spec's own language and images are decoded.
func (d *decoder) stages(n *yaml.Node, p string, s *Spec) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, ErrType, "%s must be a list of {name, language, context, output, to}, e.g. [{name: frontend, language: node, context: frontend, output: dist, to: /app/static}], not %s", p, kindName(n))
		return
	}
	allowed := stageLanguages()
	keys := append([]string{"name", "language", "context", "output", "to", "image"}, allowed...)
	for i, item := range n.Content {
		ip := itemPath(p, i)
		item = resolve(item)
		st := Stage{}
		sub := &decoder{file: d.file, abs: d.abs, specDir: ".", nodes: map[string]*yaml.Node{"": item}, origin: d.origin}
		if d.known != nil {
			sub.known = map[string][]string{}
		}
		sections := map[string]*yaml.Node{}
		var img BaseImage
		var imgNode *yaml.Node
		if !d.fields(item, ip, keys, func(key string, v *yaml.Node, fp string) {
			switch key {
			case "name":
				if name, ok := d.nonEmpty(v, fp); ok {
					st.Name = name
				}
			case "language":
				if l, ok := d.nonEmpty(v, fp); ok {
					st.Language = l
				}
			case "context":
				if c, ok := d.nonEmpty(v, fp); ok {
					st.Context = d.relPath(v, fp, c)
				}
			case "output":
				if o, ok := d.nonEmpty(v, fp); ok {
					st.Output = d.stageOutput(v, fp, o)
				}
			case "to":
				if t, ok := d.nonEmpty(v, fp); ok {
					st.To = d.absPath(v, fp, t)
					if st.To == "/" {
						d.errorf(v, ErrPath, "%s %q is the runner's root folder, which the copy would replace; name a folder of its own, e.g. /app/static", fp, t)
					}
				}
			case "image":
				imgNode = v
				img = d.baseImage(v, fp)
			default:
				sections[key] = v
			}
		}) {
			continue
		}
		for _, k := range []struct{ key, example string }{
			{"name", "name: frontend"}, {"language", "language: node"}, {"context", "context: frontend (the folder of its package.json)"},
			{"output", "output: dist (the folder its build writes)"}, {"to", "to: /app/static (where the runner gets it)"},
		} {
			if d.nodes[join(ip, k.key)] == nil {
				d.errorf(item, ErrRequired, "%s.%s is required: add %s", ip, k.key, k.example)
			}
		}
		if st.Name != "" {
			d.checkStageName(d.nodes[join(ip, "name")], join(ip, "name"), st.Name)
		}
		lang, known := LookupLanguage(st.Language)
		switch {
		case st.Language == "":
		case !known:
			msg := fmt.Sprintf("%s.language %q is not a language wharf knows; a stage may use %s", ip, st.Language, OrList(allowed))
			if sug := suggest(st.Language, languageNames()); sug != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
			d.errorf(d.nodes[join(ip, "language")], ErrInvalid, "%s", msg)
		case !slices.Contains(allowed, st.Language):
			d.errorf(d.nodes[join(ip, "language")], ErrInvalid, "%s.language %s cannot build a stage: a stage's output is a folder of plain files that the runner uses without the stage's toolchain (a web frontend), which only %s builds; a %s service's program or packages need its own runtime, so give it a spec of its own", ip, st.Language, OrList(allowed), st.Language)
			known = false
		}
		dec := &Decoder{sub}
		for _, other := range Languages() {
			sn := sections[other.Name()]
			if sn == nil {
				continue
			}
			if !known || other != lang {
				other.Decode(dec, sn)
			}
			if known && other != lang {
				d.errorf(sn, ErrInvalid, "a %s section in a %s stage: only the section of the stage's language is allowed; remove it or change the stage's language", other.Name(), st.Language)
			}
		}
		st.Spec = &Spec{Version: s.Version, Name: st.Name, Language: st.Language, Context: ".", SpecDir: ".", Output: s.Output}
		if known {
			st.Spec.Recipe = lang.Decode(dec, sections[lang.Name()])
			if img.Ref == "" {
				img = lang.Images().Builder
			} else {
				sub.nodes["images.builder"] = imgNode
			}
			st.Spec.Images = Images{Builder: img, Runner: img}
		}
		for k, v := range sub.known {
			d.known[join(ip, k)] = v
		}
		st.Dir = s.InContext(st.Context)
		s.Stages = append(s.Stages, st)
		d.stageStates = append(d.stageStates, stageState{path: ip, dec: sub})
		d.flushStage(ip, st.Name, sub)
	}
	seen := map[string]int{}
	for i, st := range s.Stages {
		if st.Name == "" {
			continue
		}
		if j, dup := seen[st.Name]; dup {
			ip := d.stageStates[i].path
			d.errorf(d.nodes[join(ip, "name")], ErrInvalid, "%s.name %q is also the name of %s; each stage needs a name of its own", ip, st.Name, d.stageStates[j].path)
			continue
		}
		seen[st.Name] = i
	}
}

// stageOutput checks a stage's output folder: relative to the stage's
// folder and inside it.
func (d *decoder) stageOutput(n *yaml.Node, field, o string) string {
	clean := path.Clean(o)
	switch {
	case !isPathChars(o):
		d.errorf(n, ErrPath, "%s %q has characters wharf cannot pass to COPY safely; %s", field, o, pathRule)
	case path.IsAbs(o):
		d.errorf(n, ErrPath, "%s %q must be relative to the stage's folder (its context), e.g. %q", field, o, strings.TrimLeft(o, "/"))
	case clean == "..", strings.HasPrefix(clean, "../"):
		d.errorf(n, ErrPath, "%s %q points outside the stage's folder; name the folder its build writes inside it, e.g. dist", field, o)
	case clean == ".":
		d.errorf(n, ErrPath, "%s %q is the stage's whole folder, sources and dependencies included; name the folder its build writes, e.g. dist", field, o)
	case strings.ContainsAny(o, "*?["):
		d.errorf(n, ErrPath, "%s %q is a pattern; name the folder its build writes, e.g. dist", field, o)
	}
	return clean
}

// checkStageName refuses a stage name BuildKit would not take, or one of
// the stages wharf writes itself.
func (d *decoder) checkStageName(n *yaml.Node, field, name string) {
	switch {
	case !stageNameRE.MatchString(name) || len(name) > 64:
		d.errorf(n, ErrInvalid, "%s %q is not a valid stage name: use lowercase letters, digits, '.', '_' and '-', starting with a letter (at most 64), e.g. frontend", field, name)
	case name == "scratch":
		d.errorf(n, ErrInvalid, "%s %q is BuildKit's name for the empty image, which no stage can take; name it after what it builds, e.g. frontend", field, name)
	case stageName(name) != "" || name == TiniStage:
		d.errorf(n, ErrInvalid, "%s %q is the name of a stage wharf writes itself (%s); name it after what it builds, e.g. frontend", field, name, strings.Join(append(slices.Clone(StageNames), TiniStage), ", "))
	}
}

// checkStageImages refuses a spec image named like one of its stages
// (issue 17's rule for builder and runner, for the stages a spec adds).
func (d *decoder) checkStageImages(s *Spec) {
	for _, img := range []struct{ field, ref string }{{"images.builder", s.Images.Builder.Ref}, {"images.runner", s.Images.Runner.Ref}} {
		for _, st := range s.Stages {
			if n := d.nodes[img.field]; n != nil && st.Name != "" && strings.EqualFold(img.ref, st.Name) {
				d.errorf(d.at(img.field+".image"), ErrInvalid, "%s: %q is the name of a stage of the Dockerfile, so FROM %s would start from the %s stage instead of an image; name an image (for one called %s, write docker.io/library/%s)", img.field, img.ref, img.ref, st.Name, img.ref, strings.ToLower(img.ref))
				break
			}
		}
	}
	for i, st := range s.Stages {
		ip := d.stageStates[i].path
		if ref := st.Spec.Images.Builder.Ref; ref != "" && d.nodes[join(ip, "image")] != nil {
			for _, other := range s.Stages {
				if other.Name != "" && strings.EqualFold(ref, other.Name) {
					d.errorf(d.at(join(ip, "image")), ErrInvalid, "%s.image: %q is the name of a stage of the Dockerfile, so FROM %s would start from the %s stage instead of an image; name an image (for one called %s, write docker.io/library/%s)", ip, ref, ref, other.Name, ref, strings.ToLower(ref))
					break
				}
			}
		}
	}
}

// completeStages runs each stage's language checks once the spec is
// decoded, and checks its image.
func (d *decoder) completeStages(s *Spec) {
	d.checkStageImages(s)
	for i, st := range s.Stages {
		state := d.stageStates[i]
		r, ok := st.Spec.Recipe.(StageRecipe)
		if !ok {
			continue
		}
		if b := st.Spec.Images.Builder; b.Ref != "" && !b.Family.HasShell() {
			d.errorf(d.at(join(state.path, "image")), ErrNoShell, "%s.image %s is %s, which has no shell to run the build; use a debian or alpine based image (e.g. %s)", state.path, b.Ref, b.Family, mustLanguage(st.Language).Images().Builder.Ref)
		}
		r.CompleteStage(&Decoder{state.dec}, st.Spec)
		st.Spec.Images.Runner = st.Spec.Images.Builder
		d.flushStage(state.path, st.Name, state.dec)
		st.Spec.fields = &fieldNodes{file: d.file, nodes: state.dec.nodes, origin: d.origin}
	}
}

func mustLanguage(name string) Language {
	l, _ := LookupLanguage(name)
	return l
}

// flushStage moves the problems the stage's decoder found into d's,
// each message saying which stage it is about.
func (d *decoder) flushStage(p, name string, sub *decoder) {
	prefix := p + ": "
	if name != "" {
		prefix = fmt.Sprintf("%s (%s): ", p, name)
	}
	for _, e := range sub.errs {
		e.Msg = prefix + e.Msg
		d.errs = append(d.errs, e)
	}
	for _, e := range sub.warnings {
		e.Msg = prefix + e.Msg
		d.warnings = append(d.warnings, e)
	}
	sub.errs, sub.warnings = nil, nil
}

// checkStageFolders checks each stage's folder against the files of the
// spec's folder (fsys): it must be a folder holding the language's
// manifests. Folders above the spec's are not looked at.
func (d *decoder) checkStageFolders(s *Spec, fsys fs.FS) {
	for i, st := range s.Stages {
		r, ok := st.Spec.Recipe.(StageRecipe)
		if !ok || st.Context == ".." || strings.HasPrefix(st.Context, "../") {
			continue
		}
		ip := d.stageStates[i].path
		at := d.at(join(ip, "context"))
		info, err := fs.Stat(fsys, st.Context)
		switch {
		case err != nil:
			d.errorf(at, ErrPath, "%s.context %s is not a folder of the spec's folder; name the folder that holds the stage's %s", ip, st.Context, strings.Join(r.StageManifests(), " and "))
			continue
		case !info.IsDir():
			d.errorf(at, ErrPath, "%s.context %s is a file; name the folder that holds it", ip, st.Context)
			continue
		}
		missing := false
		for _, m := range r.StageManifests() {
			if found, _ := fs.Glob(fsys, path.Join(st.Context, m)); len(found) == 0 {
				d.errorf(at, ErrPath, "%s.context %s has no %s, which the %s build copies first; add it (a lockfile: run the install once and commit it), or name the folder that holds it", ip, st.Context, m, st.Language)
				missing = true
			}
		}
		if c, ok := r.(StageFolderChecker); ok && !missing {
			sub := d.stageStates[i].dec
			sub.nodes["stages.context"] = at
			c.CheckStageFolder(&Decoder{sub}, fsys, st.Context)
			d.flushStage(ip, st.Name, sub)
		}
	}
}

// explainStages adds the stages to the explained spec, each with its
// effective image and language section.
func (e *explainer) explainStages(root *yaml.Node) {
	list := e.sequence()
	for i, st := range e.s.Stages {
		p := itemPath("stages", i)
		m := e.mapping()
		e.add(m, "name", e.str(p+".name", st.Name))
		e.add(m, "language", e.str(p+".language", st.Language))
		e.add(m, "context", e.str(p+".context", st.Context))
		e.add(m, "output", e.str(p+".output", st.Output))
		e.add(m, "to", e.str(p+".to", st.To))
		sub := &explainer{s: st.Spec, dir: e.dir}
		e.add(m, "image", sub.image("images.builder", st.Spec.Images.Builder))
		if st.Spec.Recipe != nil {
			section := e.mapping()
			st.Spec.Recipe.Explain(&Explainer{sub}, section)
			e.add(m, st.Language, section)
		}
		list.Content = append(list.Content, m)
	}
	e.add(root, "stages", list)
}

// stagesSchema is the schema of stages: each item's keys, and the
// section of each language that can build a stage.
func stagesSchema() *SchemaNode {
	langs := stageLanguages()
	props := map[string]*SchemaNode{
		"name":     withExamples(pattern("The stage's name in the Dockerfile (FROM ... AS name): lowercase letters, digits, '.', '_' and '-', starting with a letter; not builder, runner, tini or scratch, and unique.", stageNamePattern), "frontend"),
		"language": enum("The recipe that builds the stage: a language whose build writes plain files.", langs...),
		"context":  withExamples(relPathSchema("The stage's folder, relative to the spec's folder and inside the build context: it holds the stage's manifests (package.json and the lockfile), and the stage's build runs there as if it were the build context."), "frontend"),
		"output":   withExamples(relPathSchema("The folder the stage's build writes, relative to the stage's folder; the runner gets it at to."), "dist"),
		"to":       withExamples(absPathSchema("Where the runner gets the output, an absolute path: root-owned, like the other artifacts, and not on or above another copy into the runner."), "/app/static"),
	}
	img := imageSchema("builder")
	var defaults []string
	for _, name := range langs {
		defaults = append(defaults, name+": "+mustLanguage(name).Images().Builder.Ref)
	}
	img.Description = "The stage's base image, which needs a shell: a reference, or {image, family}. Default: the language's builder image (" + strings.Join(defaults, "; ") + ", or what its section picks, such as Bun's image)."
	props["image"] = img
	for _, name := range langs {
		props[name] = mustLanguage(name).Schema()
	}
	item := object("An extra build stage, built with another language's recipe, whose output the runner copies.", props, "name", "language", "context", "output", "to")
	for _, lang := range langs {
		others := map[string]*SchemaNode{}
		for _, other := range langs {
			if other != lang {
				others[other] = &SchemaNode{Not: &SchemaNode{}}
			}
		}
		if len(others) > 0 {
			item.AllOf = append(item.AllOf, &SchemaNode{
				If:   &SchemaNode{Properties: map[string]*SchemaNode{"language": {Const: lang}}, Required: []string{"language"}},
				Then: &SchemaNode{Properties: others},
			})
		}
	}
	s := list("Extra build stages, each built with another language's recipe (only "+OrList(langs)+": their build writes plain files), whose output the runner copies, e.g. a Python app's frontend built with Node.", item)
	s.Examples = []any{[]any{map[string]any{"name": "frontend", "language": "node", "context": "frontend", "output": "dist", "to": "/app/static", "node": map[string]any{"build": "build"}}}}
	return s
}
