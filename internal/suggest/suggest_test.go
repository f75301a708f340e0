package suggest

import "testing"

func TestClosest(t *testing.T) {
	keys := []string{"artifacts", "build", "go", "ignore", "images", "language", "name", "node", "output", "python", "runtime", "version"}
	for _, tc := range []struct{ word, want string }{
		{"lang", "language"},
		{"langauge", "language"},
		{"Runtime", "runtime"},
		{"imgs", "images"},
		{"outptu", "output"},
		{"completely-different", ""},
	} {
		if got := Closest(tc.word, keys); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}
