package spec_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	_ "github.com/wharf-dev/wharf/lang"
	. "github.com/wharf-dev/wharf/spec"
)

// schemaAhead names keys that the decoder's handler tables do not hold:
// extends is read by the merge of shared specs before decoding. They are
// skipped on both sides.
var schemaAhead = map[string]bool{"extends": true}

// schemaObjects returns, for each mapping with fixed keys in the schema, its
// path in decoder notation ("runtime.healthcheck", "artifacts[]") and its
// sorted keys.
func schemaObjects(s *SchemaNode, path string, out map[string][]string) {
	if s.Properties != nil && s.AdditionalProperties == false {
		var keys []string
		for k, p := range s.Properties {
			if path == "" && schemaAhead[k] {
				continue
			}
			keys = append(keys, k)
			schemaObjects(p, joinPath(path, k), out)
		}
		slices.Sort(keys)
		out[path] = keys
	}
	if s.Items != nil {
		schemaObjects(s.Items, path+"[]", out)
	}
	for _, alt := range append(slices.Clone(s.OneOf), s.AnyOf...) {
		if !IsAlternative(alt) {
			schemaObjects(alt, path, out)
		}
	}
}

// maximalSpec builds a document holding every key of every mapping in the
// schema, with mappings where the schema allows them, so that decoding it
// visits every handler table. Values need not be valid.
func maximalSpec(s *SchemaNode) any {
	for _, alt := range s.AnyOf {
		if !IsAlternative(alt) {
			return maximalSpec(alt)
		}
	}
	for _, alt := range s.OneOf {
		if alt.Properties != nil {
			return maximalSpec(alt)
		}
	}
	switch {
	case s.Properties != nil && s.AdditionalProperties == false:
		m := map[string]any{}
		for k, p := range s.Properties {
			m[k] = maximalSpec(p)
		}
		return m
	case s.Items != nil:
		return []any{maximalSpec(s.Items)}
	case s.Const != nil:
		return s.Const
	}
	return "x"
}

var index = regexp.MustCompile(`\[[0-9]+\]`)

// TestSchemaMatchesDecoder fails when the schema and the decoder disagree
// on the keys of any mapping: a key the loader accepts that editors would
// flag, or a key editors offer that the loader rejects.
func TestSchemaMatchesDecoder(t *testing.T) {
	want := map[string][]string{}
	schema := SpecSchema()
	schemaObjects(schema, "", want)

	data, err := yaml.Marshal(maximalSpec(schema))
	if err != nil {
		t.Fatal(err)
	}
	known, err := DecodedKeys("maximal.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for path, keys := range known {
		var kept []string
		for _, k := range keys {
			if !(path == "" && schemaAhead[k]) {
				kept = append(kept, k)
			}
		}
		got[index.ReplaceAllString(path, "[]")] = kept
	}
	if len(got) < 10 {
		t.Fatalf("decoding the maximal spec visited %d mappings, want at least 10:\n%s", len(got), data)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("schema and decoder disagree on keys (-schema +decoder):\n%s\nmaximal spec:\n%s", diff, data)
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
