package ignore

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct {
		patterns string
		path     string
		isDir    bool
		want     bool
	}{
		// Names match at any depth.
		{"build", "build", true, true},
		{"build", "a/b/build", false, true},
		{"build", "builds", true, false},
		{"*.log", "x/debug.log", false, true},
		{"*.log", "x/debug.log.txt", false, false},
		// A slash anchors at the root.
		{"/build", "build", true, true},
		{"/build", "a/build", true, false},
		{"docs/legacy", "docs/legacy", true, true},
		{"docs/legacy", "x/docs/legacy", true, false},
		// "*" and "?" stop at a slash.
		{"a/*", "a/b", true, true},
		{"a/*", "a/b/c", true, false},
		{"a?c", "abc", false, true},
		{"a?c", "a/c", false, false},
		// A trailing slash matches folders only.
		{"tmp/", "tmp", true, true},
		{"tmp/", "tmp", false, false},
		{"tmp/", "x/tmp", true, true},
		// "**".
		{"**/gen", "gen", true, true},
		{"**/gen", "a/b/gen", true, true},
		{"a/**/b", "a/b", true, true},
		{"a/**/b", "a/x/y/b", true, true},
		{"a/**/b", "c/a/x/b", true, false},
		{"a/**", "a/x/y", false, true},
		{"a/**", "a", true, false},
		{"a**b", "axxb", false, true},
		{"a**b", "ax/xb", false, false},
		// Classes.
		{"v[0-9]", "v7", true, true},
		{"v[0-9]", "vx", true, false},
		{"v[!0-9]", "vx", true, true},
		{"v[^0-9]", "v7", true, false},
		{"v[!0-9]", "v/", true, false},
		{"[]]", "]", false, true},
		{"[a-]", "-", false, true},
		{"[\\d]", "d", false, true},
		{"[\\d]", "7", false, false},
		{"[abc", "[abc", false, true},
		// Negation: the last match wins.
		{"services/*\n!services/api", "services/api", true, false},
		{"services/*\n!services/api", "services/web", true, true},
		{"!services/api\nservices/*", "services/api", true, true},
		// Comments, blanks, escapes and spaces.
		{"# build\n\n", "# build", false, false},
		{"\\#notes", "#notes", false, true},
		{"\\!keep", "!keep", false, true},
		{"trail   ", "trail", false, true},
		{"space\\ ", "space ", false, true},
		{"a.b", "axb", false, false},
		{"(x)+", "(x)+", false, true},
		{"crlf\r\n", "crlf", false, true},
		{"", "anything", false, false},
	}
	for _, tt := range tests {
		if got := Parse([]byte(tt.patterns)).Match(tt.path, tt.isDir); got != tt.want {
			t.Errorf("patterns %q: Match(%q, dir=%v) = %v, want %v", tt.patterns, tt.path, tt.isDir, got, tt.want)
		}
	}
}

// TestAddOverrides checks that a later file overrides an earlier one, as
// .wharfignore does after .gitignore.
func TestAddOverrides(t *testing.T) {
	m := Parse([]byte("vendor-services/\n"))
	m.Add([]byte("!vendor-services/\n"))
	if m.Match("vendor-services", true) {
		t.Error("the later negation did not re-include the folder")
	}
	var none *Matcher
	if none.Match("x", false) {
		t.Error("a nil Matcher excludes a path")
	}
}

// TestNested checks git's precedence between the ignore files of nested
// folders: the deepest file with a matching pattern decides, by its last
// matching pattern, and its patterns are relative to its folder.
func TestNested(t *testing.T) {
	type file struct{ base, patterns string }
	tests := []struct {
		name  string
		files []file // shallowest first; the first is the root's
		path  string
		isDir bool
		want  bool
	}{
		{"unanchored at any depth below", []file{{"", ""}, {"svc", "build/"}}, "svc/x/build", true, true},
		{"not outside its folder", []file{{"", ""}, {"svc", "build/"}}, "other/build", true, false},
		{"not its own folder", []file{{"", ""}, {"svc", "svc"}}, "svc", true, false},
		{"not a sibling with the same prefix", []file{{"", ""}, {"svc", "*"}}, "svc2/x", false, false},
		{"anchored at its folder", []file{{"", ""}, {"svc", "/gen"}}, "svc/gen", true, true},
		{"anchored, not deeper", []file{{"", ""}, {"svc", "/gen"}}, "svc/x/gen", true, false},
		{"anchored with a middle slash", []file{{"", ""}, {"svc", "docs/old"}}, "svc/docs/old", true, true},
		{"anchored with a middle slash, not from the root", []file{{"", ""}, {"svc", "docs/old"}}, "docs/old", true, false},
		{"anchored with a middle slash, not deeper", []file{{"", ""}, {"svc", "docs/old"}}, "svc/x/docs/old", true, false},
		{"double star from its folder", []file{{"", ""}, {"svc", "**/tmp"}}, "svc/a/b/tmp", false, true},
		{"deeper re-includes", []file{{"", "*.yaml"}, {"svc", "!wharf.yaml"}}, "svc/wharf.yaml", false, false},
		{"deeper re-include stays in its folder", []file{{"", "*.yaml"}, {"svc", "!wharf.yaml"}}, "api/wharf.yaml", false, true},
		{"deeper excludes", []file{{"", "!keep"}, {"svc", "keep"}}, "svc/keep", false, true},
		{"shallower applies when deeper has no match", []file{{"", "*.log"}, {"svc", "build/"}}, "svc/a.log", false, true},
		{"deeper decides though shallower's match is later in its file", []file{{"", "a\n!a"}, {"svc", "a"}}, "svc/a", false, true},
		{"last match within the deepest file", []file{{"", "a"}, {"svc", "!a\na"}}, "svc/a", false, true},
		{"last match, re-included", []file{{"", "a"}, {"svc", "a\n!a"}}, "svc/a", false, false},
		{"three levels, middle decides", []file{{"", "*.gen"}, {"a", "!x.gen"}, {"a/b", "*.tmp"}}, "a/b/x.gen", false, false},
		{"three levels, deepest decides", []file{{"", "!x.gen"}, {"a", "!x.gen"}, {"a/b", "x.gen"}}, "a/b/x.gen", false, true},
		{"folder-only pattern skips files", []file{{"", "out"}, {"svc", "!out/"}}, "svc/out", false, true},
		{"comments only", []file{{"", "out"}, {"svc", "# nothing\n"}}, "svc/out", false, true},
	}
	for _, tt := range tests {
		m := Parse([]byte(tt.files[0].patterns))
		for _, f := range tt.files[1:] {
			m = m.Nested(f.base, []byte(f.patterns))
		}
		if got := m.Match(tt.path, tt.isDir); got != tt.want {
			t.Errorf("%s: Match(%q, dir=%v) = %v, want %v", tt.name, tt.path, tt.isDir, got, tt.want)
		}
	}
}

// TestNestedEmpty checks that an ignore file without patterns adds no level.
func TestNestedEmpty(t *testing.T) {
	m := Parse([]byte("x\n"))
	if n := m.Nested("svc", []byte("\n# comment\n")); n != m {
		t.Error("Nested with no patterns returned a new Matcher")
	}
	var none *Matcher
	if !none.Nested("svc", []byte("x")).Match("svc/x", false) {
		t.Error("Nested on a nil Matcher does not exclude")
	}
}
