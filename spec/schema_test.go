package spec_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/golden"
	"github.com/wharf-dev/wharf/spec"
)

const schemaFile = "../schema/wharf.schema.json"

// TestSchemaFile checks that the committed schema, which editors fetch from
// spec.SchemaURL, is what wharf schema prints.
func TestSchemaFile(t *testing.T) {
	got, err := spec.Schema()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := spec.Schema()
	if !bytes.Equal(got, again) {
		t.Fatal("spec.Schema differs between two calls")
	}
	golden.Check(t, schemaFile, got)
}

// compileSchema compiles spec.Schema with a draft 2020-12 validator.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := spec.Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(spec.SchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(spec.SchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// yamlToJSON turns a spec into the JSON value an editor's validator sees.
func yamlToJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestSchemaAcceptsSpecs validates every spec that the loader accepts in
// the repository against the schema.
func TestSchemaAcceptsSpecs(t *testing.T) {
	sch := compileSchema(t)
	specs := golden.Specs("..")
	for _, pattern := range []string{"../examples/*/wharf.yaml", "../examples/*/*/wharf.yaml", "../e2e/cases/*/wharf.yaml", "../testdata/init/*/wharf.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, m...)
	}
	if len(specs) < 25 {
		t.Fatalf("found %d specs, want at least 25", len(specs))
	}
	for _, path := range specs {
		t.Run(strings.TrimPrefix(filepath.ToSlash(path), "../"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := spec.Load(path); err != nil {
				t.Skipf("the loader rejects it too: %v", err)
			}
			if err := sch.Validate(yamlToJSON(t, data)); err != nil {
				t.Errorf("the loader accepts %s but the schema rejects it:\n%v", path, err)
			}
		})
	}
}

// TestSchemaRejects checks that the schema catches the mistakes an editor
// should underline, each of which the loader rejects too.
func TestSchemaRejects(t *testing.T) {
	sch := compileSchema(t)
	base := "version: 1\nname: app\nlanguage: go\n"
	for _, tc := range []struct{ name, spec string }{
		{"unknown top-level key", base + "pakages: [gcc]\n"},
		{"unknown nested key", base + "build: {pakages: [gcc]}\n"},
		{"version 2", "version: 2\nname: app\nlanguage: go\n"},
		{"missing version", "name: app\nlanguage: go\n"},
		{"version as a string", "version: \"1\"\nname: app\nlanguage: go\n"},
		{"unknown language", "version: 1\nname: app\nlanguage: ruby\n"},
		{"bad name", "version: 1\nname: My App\nlanguage: go\n"},
		{"unknown family", base + "images: {runner: {image: foo, family: windows}}\n"},
		{"image mapping without image", base + "images: {runner: {family: debian}}\n"},
		{"bad image reference", base + "images: {runner: \"Not An Image\"}\n"},
		{"shell-form cmd", base + "runtime: {cmd: ./server --port 80}\n"},
		{"empty cmd", base + "runtime: {cmd: []}\n"},
		{"port out of range", base + "runtime: {expose: [70000]}\n"},
		{"bad protocol", base + "runtime: {expose: [\"80/sctp\"]}\n"},
		{"bad env name", base + "runtime: {env: {1BAD: x}}\n"},
		{"multi-line env value", base + "runtime: {env: {A: \"x\\ny\"}}\n"},
		{"absolute project path", "version: 1\nname: app\nlanguage: python\npython: {project: /src}\nruntime: {cmd: [app]}\n"},
		{"relative workdir", base + "runtime: {workdir: app}\n"},
		{"unknown install mode", "version: 1\nname: app\nlanguage: python\npython: {install: pipx}\nruntime: {cmd: [app]}\n"},
		{"cgo as string", base + "go: {cgo: \"yes\"}\n"},
		{"bad go main", base + "go: {main: cmd/server}\n"},
		{"wrong language section", base + "node: {manager: npm}\n"},
		{"bad label key", base + "runtime: {labels: {\"my label\": x}}\n"},
		{"healthcheck without cmd", base + "runtime: {healthcheck: {interval: 30s}}\n"},
		{"bad duration", base + "runtime: {healthcheck: {cmd: [x], interval: 30}}\n"},
		{"artifact without to", base + "artifacts: [{from: /a}]\n"},
		{"unknown node manager", "version: 1\nname: app\nlanguage: node\nnode: {manager: deno}\nruntime: {cmd: [node, x.js]}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := spec.Parse("wharf.yaml", []byte(tc.spec)); err == nil {
				t.Fatalf("the loader accepts this spec; the case is wrong:\n%s", tc.spec)
			}
			if err := sch.Validate(yamlToJSON(t, []byte(tc.spec))); err == nil {
				t.Errorf("the schema accepts:\n%s", tc.spec)
			}
		})
	}
}
