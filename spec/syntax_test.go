package spec_test

import (
	"strings"
	"testing"

	"github.com/wharf-dev/wharf/spec"
)

// TestSyntaxPositions checks where YAML syntax errors are reported:
// yaml.v3 gives a line only, often the one before an open bracket.
func TestSyntaxPositions(t *testing.T) {
	const head = "version: 1\nname: x\n"
	tests := []struct {
		name, doc, want string
	}{
		{"unclosed list", head + "language: [python\n", "3:11: did not find expected ',' or ']'"},
		{"unclosed list, indented", head + "build:\n  packages: [gcc\n  env: {A: b}\n", "4:13: did not find expected ',' or ']'"},
		{"unclosed mapping", head + "build: {packages: [gcc, make]\nruntime: {}\n", "3:8: did not find expected ',' or '}'"},
		{"unclosed mapping after a list over two lines", head + "cmd: [a,\n  b, c]\nimages: {builder: x\n", "5:9: did not find expected ',' or '}'"},
		{"unclosed quote", head + "runtime:\n  env: {A: \"b}\n", "4:12: found unexpected end of stream"},
		{"unclosed quote at the top", "version: 1\nname: \"x\nlanguage: python\n", "2:7: found unexpected end of stream"},
		{"indented key", head + "  language: python\n", "3:11: mapping values are not allowed in this context"},
		{"colon in a plain value", "version: 1\nname: x: y\n", "2:8: mapping values are not allowed in this context"},
		{"colon after a wide character", "version: 1\nname: é: x\n", "2:8: mapping values are not allowed in this context"},
		{"tab indentation", head + "\tlanguage: go\n", "3:1: found a tab character that violates indentation"},
		{"key dedented into nothing", head + "build:\n  packages: [gcc]\n env: {}\n", "5:2: did not find expected key"},
		{"extra brace", head + "build: {packages: [gcc]}}\n", "3:25: did not find expected key"},
		{"list item in a mapping", head + "- a\n", "3:1: did not find expected key"},
		{"reserved character", head + "@foo: 1\n", "3:1: found character that cannot start any token"},
		{"CRLF line ends", "version: 1\r\nname: x\r\nlanguage: [python\r\n", "3:11: did not find expected ',' or ']'"},
		// Near 1 MiB, the search stops at its budget: no column.
		{"large file", head + strings.Repeat("# a comment line that fills the file up to nearly a MiB ....\n", 15000) + "language: [python\n", "15003:1: did not find expected ',' or ']'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := spec.Parse("wharf.yaml", []byte(tt.doc))
			want := "wharf.yaml:" + tt.want + " (the spec is not valid YAML)"
			if err == nil || err.Error() != want {
				t.Errorf("Parse error:\n got %v\nwant %s", err, want)
			}
		})
	}
}
