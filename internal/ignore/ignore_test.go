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
