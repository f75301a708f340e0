package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// SchemaURL is where the JSON Schema of the spec is published. Specs that
// wharf init writes name it on their first line, for editors.
const SchemaURL = "https://raw.githubusercontent.com/wharf-dev/wharf/main/schema/wharf.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of a spec, indented and
// ending in a newline. Editors use it to complete and check wharf.yaml
// files. The loader stays the judge: the schema cannot express every check
// (libc and Python version mismatches, package names per family), but
// every spec the loader accepts is valid against it.
func Schema() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(specSchema()); err != nil {
		return nil, fmt.Errorf("encode schema: %w", err)
	}
	return buf.Bytes(), nil
}

// SchemaNode is the part of JSON Schema that the spec's schema uses.
// encoding/json writes struct fields in this order and map keys sorted, so
// the output is deterministic.
type SchemaNode struct {
	Schema               string                 `json:"$schema,omitempty"`
	ID                   string                 `json:"$id,omitempty"`
	Title                string                 `json:"title,omitempty"`
	Description          string                 `json:"description,omitempty"`
	Type                 any                    `json:"type,omitempty"` // a string or a list of them
	Const                any                    `json:"const,omitempty"`
	Enum                 []string               `json:"enum,omitempty"`
	Default              any                    `json:"default,omitempty"`
	Examples             []any                  `json:"examples,omitempty"`
	Pattern              string                 `json:"pattern,omitempty"`
	MinLength            *int                   `json:"minLength,omitempty"`
	Minimum              *int                   `json:"minimum,omitempty"`
	Maximum              *int                   `json:"maximum,omitempty"`
	Properties           map[string]*SchemaNode `json:"properties,omitempty"`
	Required             []string               `json:"required,omitempty"`
	PropertyNames        *SchemaNode            `json:"propertyNames,omitempty"`
	AdditionalProperties any                    `json:"additionalProperties,omitempty"` // false or a schema
	Items                *SchemaNode            `json:"items,omitempty"`
	MinItems             *int                   `json:"minItems,omitempty"`
	MinProperties        *int                   `json:"minProperties,omitempty"`
	OneOf                []*SchemaNode          `json:"oneOf,omitempty"`
	AnyOf                []*SchemaNode          `json:"anyOf,omitempty"`
	AllOf                []*SchemaNode          `json:"allOf,omitempty"`
	If                   *SchemaNode            `json:"if,omitempty"`
	Then                 *SchemaNode            `json:"then,omitempty"`
	Not                  *SchemaNode            `json:"not,omitempty"`
}

func intp(i int) *int { return &i }

// object is a mapping with exactly the given keys.
func object(desc string, props map[string]*SchemaNode, required ...string) *SchemaNode {
	for k, p := range props {
		props[k] = nullable(p)
	}
	return &SchemaNode{Type: "object", Description: desc, Properties: props, Required: required, AdditionalProperties: false}
}

// nullable also accepts null, which removes a value inherited through extends.
func nullable(s *SchemaNode) *SchemaNode {
	if t, ok := s.Type.(string); ok && t == "object" {
		s.Type = []string{"object", "null"}
		return s
	}
	if s.Type == nil && s.AnyOf != nil {
		s.AnyOf = append(s.AnyOf, &SchemaNode{Type: "null"})
		return s
	}
	outer := &SchemaNode{Description: s.Description, Default: s.Default, Examples: s.Examples, AnyOf: []*SchemaNode{s, {Type: "null"}}}
	s.Description, s.Default, s.Examples = "", nil, nil
	return outer
}

// appendSchema is {append: [...]}, which adds to a list inherited through extends.
func appendSchema(item *SchemaNode) *SchemaNode {
	return &SchemaNode{
		Type:                 "object",
		Description:          "Adds these items to the list inherited through extends.",
		Properties:           map[string]*SchemaNode{"append": {Type: "array", Items: item}},
		Required:             []string{"append"},
		AdditionalProperties: false,
	}
}

// isAlternative reports whether s is one of the forms every key or list
// takes besides its own: null, or {append: [...]}.
func isAlternative(s *SchemaNode) bool {
	if s.Type == "null" {
		return true
	}
	_, ok := s.Properties["append"]
	return ok && len(s.Properties) == 1
}

// text is a one-line string that must not be blank.
func text(desc string) *SchemaNode {
	return &SchemaNode{Type: "string", Description: desc, MinLength: intp(1), Pattern: `^[^\n\r]*\S[^\n\r]*$`}
}

func withDefault(s *SchemaNode, def any) *SchemaNode {
	s.Default = def
	return s
}

func withExamples(s *SchemaNode, examples ...any) *SchemaNode {
	s.Examples = examples
	return s
}

func pattern(desc, re string) *SchemaNode {
	return &SchemaNode{Type: "string", Description: desc, Pattern: re}
}

func enum[T ~string](desc string, values ...T) *SchemaNode {
	s := &SchemaNode{Type: "string", Description: desc}
	for _, v := range values {
		s.Enum = append(s.Enum, string(v))
	}
	return s
}

// list is a list of one-line, non-blank strings.
func list(desc string, item *SchemaNode) *SchemaNode {
	if item == nil {
		item = text("")
	}
	return &SchemaNode{Description: desc, AnyOf: []*SchemaNode{{Type: "array", Items: item}, appendSchema(item)}}
}

// relPathSchema is a path inside the build context (see decoder.relPath):
// relative, and leaving the spec's folder (..) only as far as the context,
// which the loader checks: the schema cannot know the context's depth.
func relPathSchema(desc string) *SchemaNode {
	s := pattern(desc, pathCharsPattern)
	s.Not = &SchemaNode{Pattern: `^/`}
	return s
}

// absPathSchema is a path in an image (see decoder.absPath).
func absPathSchema(desc string) *SchemaNode {
	s := pattern(desc, pathCharsPattern)
	s.Not = &SchemaNode{Pattern: `^[^/]`}
	return s
}

// vars is a mapping of names to scalar values, like env and labels. YAML
// numbers and booleans are taken as written; an empty value is "".
func vars(desc, keyPattern string) *SchemaNode {
	return &SchemaNode{
		Type:                 "object",
		Description:          desc,
		PropertyNames:        &SchemaNode{Pattern: keyPattern},
		AdditionalProperties: &SchemaNode{Type: []string{"string", "number", "boolean", "null"}, Pattern: `^[^\n\r\x00]*$`},
	}
}

// execFormSchema is a command in exec form.
func execFormSchema(desc string, example ...any) *SchemaNode {
	s := list(desc, &SchemaNode{Type: "string", Pattern: `^[^\n\r]*$`})
	s.MinItems = intp(1)
	s.Examples = []any{example}
	return s
}

func imageSchema(stage string) *SchemaNode {
	var defaults []string
	for _, lang := range Languages() {
		img := lang.Images()
		ref := img.Builder.Ref
		if stage == "runner" {
			ref = img.Runner.Ref
		}
		defaults = append(defaults, fmt.Sprintf("%s: %s", lang.Name(), ref))
	}
	ref := pattern("The image reference, as docker pull takes it.", imageRef.String())
	var families []string
	for _, f := range familyNames() {
		families = append(families, string(f))
	}
	return &SchemaNode{
		Description: fmt.Sprintf("The %s stage's base image: a reference (the family is inferred from it), or {image, family} for images whose name does not tell. Default per language: %s.", stage, strings.Join(defaults, "; ")),
		OneOf: []*SchemaNode{
			ref,
			object("An image whose family wharf cannot infer from its name.", map[string]*SchemaNode{
				"image":  ref,
				"family": enum("How packages are installed and users created, and whether the image has a shell: "+strings.Join(families, ", ")+".", familyNames()...),
			}, "image"),
		},
	}
}

// specSchema builds the schema. Its keys are the keys the decoder accepts;
// TestSchemaMatchesDecoder keeps the two in step.
func specSchema() *SchemaNode {
	packageName := pattern("", `^[A-Za-z0-9][^\s]*$`)
	durationSchema := func(desc string) *SchemaNode {
		return withExamples(pattern(desc+" A Go duration, e.g. 30s, 1m30s or 500ms; unset means Docker's default.", healthDurationPattern), "30s")
	}
	port := &SchemaNode{
		Description: "A port number, optionally followed by /tcp or /udp.",
		OneOf: []*SchemaNode{
			{Type: "integer", Minimum: intp(1), Maximum: intp(65535)},
			pattern("", `^([1-9][0-9]{0,4})(/(tcp|udp))?$`),
		},
	}
	langs := languageNames()

	root := object("A wharf spec: how a service is built into a container image with a builder and a runner stage. wharf validate checks what a schema cannot, such as required keys that a spec may inherit through extends.", map[string]*SchemaNode{
		"version":  {Type: "integer", Const: CurrentVersion, Description: "The spec format's version. Write it first."},
		"name":     withExamples(pattern("The service's name: lowercase letters, digits, '.', '_' and '-', at most 128. Go binaries are named after it by default.", specNamePattern), "hello"),
		"language": enum("The language recipe the builder uses.", langs...),
		"context":  withDefault(pattern("The build context, relative to the spec's folder: \".\" (the spec's folder) or a folder above it (\"..\", \"../..\"), for a service whose manifests or workspace root sit higher up. Every other path stays relative to the spec's folder and must be inside the context.", `^\.$|^\.\.(/\.\.)*/?$`), "."),
		"images": object("The base images of the two stages.", map[string]*SchemaNode{
			"builder": imageSchema("builder"),
			"runner":  imageSchema("runner"),
		}),
		"build": object("The builder stage.", map[string]*SchemaNode{
			"packages":         withExamples(list("Build dependencies, installed with the builder family's package manager (apt-get or apk). They stay out of the runner.", packageName), []any{"gcc", "libc6-dev"}),
			"env":              vars("ENV variables of the builder stage.", keyNamePattern),
			"args":             vars("Build arguments: ARG instructions with these defaults, overridable with docker build --build-arg.", keyNamePattern),
			"before":           withExamples(list("Shell steps run in /src after the source is copied and before the language's build step (e.g. to generate code the build needs), with the language's cache mounts.", nil), []any{"go generate ./..."}),
			"run":              withExamples(list("Extra shell steps, run after the language's build step, with the language's cache mounts.", nil), []any{"make assets"}),
			"dependency_files": withExamples(list("Files or folders copied into the builder before the dependency step, next to the language's manifests, e.g. local packages that a requirements file names. Relative to the spec's folder.", relPathSchema("")), []any{"vendor"}),
		}),
		"runtime": object("The runner stage: the image that ships.", map[string]*SchemaNode{
			"packages": withExamples(list("Runtime packages, installed with the runner family's package manager. Needs a runner with a shell (debian or alpine).", packageName), []any{"libpq5"}),
			"env":      vars("ENV variables of the runner.", keyNamePattern),
			"user": {
				Description: fmt.Sprintf("The user the container runs as: a name that wharf creates with UID and GID %d, \"root\", or a numeric uid or uid:gid used as is.", DefaultUID),
				Type:        []string{"string", "integer"},
				Pattern:     "(" + userNamePattern + ")|(" + numericUserPattern + ")",
				Default:     DefaultUser,
			},
			"workdir":     withDefault(absPathSchema("The runner's working directory, an absolute path."), "/app"),
			"writable":    withExamples(list("Folders of the runner that runtime.user owns (a SQLite file, uploads); everything else stays root's. Absolute; not /, a system folder, the workdir or a folder above it, and not one inside another.", absPathSchema("")), []any{"/app/data"}),
			"expose":      list("Ports the service listens on (EXPOSE).", port),
			"entrypoint":  execFormSchema("ENTRYPOINT in exec form. Go defaults it to the binary.", "/usr/local/bin/server"),
			"cmd":         execFormSchema("CMD in exec form: a list of arguments, no shell involved. Required for python and node.", "python", "-m", "app"),
			"healthcheck": healthcheckSchema(durationSchema),
			"labels":      vars("LABEL key-value pairs, e.g. org.opencontainers.image.source.", labelKeyPattern),
			"init":        enum("The runner's PID 1: tini (ENTRYPOINT becomes tini -- ..., which forwards signals such as docker stop's SIGTERM and reaps zombies; installed with the runner's package manager, or, on a runner with none, copied as Debian's static tini for the target platform from a stage on the build platform) or none (the command is PID 1). Default: tini for python, and for node except on a distroless node runner with no runtime.entrypoint; none for the other languages.", InitTini, InitNone),
		}),
		"artifacts": list("Extra paths copied from the builder to the runner.", object("A copy from the builder to the runner.", map[string]*SchemaNode{
			"from": absPathSchema("A path in the builder."),
			"to":   absPathSchema("A path in the runner."),
		}, "from", "to")),
		"platforms": withExamples(list("The platforms the image is built for, for tools that drive the build (docker buildx bake); the Dockerfile stays platform-agnostic. See the README for which recipes and runners cross-build without emulation.", enum("", Platforms...)), []any{"linux/amd64", "linux/arm64"}),
		"ignore":    withExamples(list(".dockerignore lines added to wharf's defaults.", nil), []any{".git", "**/*.log"}),
		"output":    withDefault(relPathSchema("Where the Dockerfile is written, relative to the spec's folder (the build context). Its ignore file is written next to it."), "Dockerfile"),
		"compose":   withExamples(relPathSchema("Where wharf writes a compose file for local development, relative to the spec's folder: one service built from the Dockerfile's runner stage, with the spec's ports, env and healthcheck, and develop.watch rules for docker compose watch. Off when not set."), "compose.yaml"),
		"extends":   extendsSchema(),
		"templates": withExamples(pattern("A folder of *.tmpl files, relative to the spec's folder, whose named blocks override wharf's built-in templates.", `^[^\n\r]*\S[^\n\r]*$`), "templates"),
	}, "version")
	root.Properties["publish"] = nullable(publishSchema())
	root.Properties["stages"] = nullable(stagesSchema())
	for _, lang := range Languages() {
		root.Properties[lang.Name()] = nullable(lang.Schema())
	}
	root.Schema = "https://json-schema.org/draft/2020-12/schema"
	root.ID = SchemaURL
	root.Title = "wharf spec (wharf.yaml)"

	// name, language and runtime.cmd are not required here: a base spec
	// that others extend may leave them out, and an extending spec may
	// inherit them. wharf validate checks the complete spec.
	for _, lang := range langs {
		props := map[string]*SchemaNode{}
		for _, other := range langs {
			if other != lang {
				props[other] = &SchemaNode{Not: &SchemaNode{}}
			}
		}
		root.AllOf = append(root.AllOf, &SchemaNode{
			If:   &SchemaNode{Properties: map[string]*SchemaNode{"language": {Const: lang}}, Required: []string{"language"}},
			Then: &SchemaNode{Properties: props},
		})
	}
	return root
}

// extendsSchema is a path or a list of paths to the specs a spec inherits from.
func extendsSchema() *SchemaNode {
	path := pattern("A spec file, relative to the file that names it.", `^[^\n\r]*\S[^\n\r]*$`)
	return &SchemaNode{
		Description: "Specs this spec inherits from, relative to the file that names them; later ones override earlier ones, and this spec overrides them all. Mappings merge key by key; a scalar or list in this spec replaces the inherited one. A base spec may leave out name and language.",
		OneOf:       []*SchemaNode{path, {Type: "array", Items: path, MinItems: intp(1)}},
		Examples:    []any{[]any{"../base.yaml"}},
	}
}

func healthcheckSchema(duration func(string) *SchemaNode) *SchemaNode {
	return object("HEALTHCHECK: a command that tells the container is healthy.", map[string]*SchemaNode{
		"cmd":            execFormSchema("The check, in exec form.", "/app/healthcheck"),
		"interval":       duration("Time between checks."),
		"timeout":        duration("How long a check may take."),
		"start_period":   duration("Start-up time during which failures do not count."),
		"start_interval": duration("Time between checks during the start period."),

		"retries": {Type: "integer", Minimum: intp(1), Description: "Consecutive failures before the container is unhealthy."},
	}, "cmd")
}

// packageIndexSchema describes {url, secret}; required names the keys that
// must be present.
func packageIndexSchema(desc, exampleURL string, required ...string) *SchemaNode {
	s := object(desc, map[string]*SchemaNode{
		"url":    withExamples(pattern("The index's address, http or https, with no user, password, query or fragment.", `^https?://[^/@?#\s'"$`+"`"+`\\]+(/[^@?#\s'"$`+"`"+`\\]*)?$`), exampleURL),
		"secret": withExamples(pattern("The id of the BuildKit secret holding the login.", secretIDPattern), "pip_netrc"),
	}, required...)
	if len(required) == 0 {
		s.MinProperties = intp(1)
	}
	return s
}

// Helpers for languages' section schemas.

// SchemaObject is a mapping with exactly the given keys, each also
// accepting null (which drops an inherited value).
func SchemaObject(desc string, props map[string]*SchemaNode, required ...string) *SchemaNode {
	return object(desc, props, required...)
}

// SchemaPattern is a string matching the regular expression re.
func SchemaPattern(desc, re string) *SchemaNode { return pattern(desc, re) }

// SchemaEnum is one of values.
func SchemaEnum(desc string, values ...string) *SchemaNode { return enum(desc, values...) }

// SchemaBool is a boolean with a default.
func SchemaBool(desc string, def bool) *SchemaNode {
	return &SchemaNode{Type: "boolean", Default: def, Description: desc}
}

// SchemaList is a list of item (one-line strings when nil), or
// {append: [...]} to add to an inherited list.
func SchemaList(desc string, item *SchemaNode) *SchemaNode { return list(desc, item) }

// SchemaRelPath is a path relative to the spec's folder, inside the context.
func SchemaRelPath(desc string) *SchemaNode { return relPathSchema(desc) }

// SchemaPathChars is the pattern of what a path in a spec may hold.
const SchemaPathChars = pathCharsPattern

// SchemaSecretID is the id of a BuildKit secret.
func SchemaSecretID(desc string) *SchemaNode { return pattern(desc, secretIDPattern) }

// SchemaPackageIndex is {url, secret}; required names the keys that must
// be present.
func SchemaPackageIndex(desc, exampleURL string, required ...string) *SchemaNode {
	return packageIndexSchema(desc, exampleURL, required...)
}

// WithDefault sets s's default.
func (s *SchemaNode) WithDefault(def any) *SchemaNode { return withDefault(s, def) }

// WithExamples sets s's examples.
func (s *SchemaNode) WithExamples(examples ...any) *SchemaNode { return withExamples(s, examples...) }
