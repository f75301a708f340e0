package shellarg_test

import (
	"testing"

	"github.com/wharf-dev/wharf/internal/shellarg"
)

func TestPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"services/api", "services/api"},
		{".", "."},
		{"./...", "./..."},
		{"", "''"},
		{"my app", "'my app'"},
		{"-rf", "./-rf"},
		{"-my dir", "'./-my dir'"},
		{"it's", `'it'\''s'`},
		{"a$b", "'a$b'"},
		{"a*", "'a*'"},
		{"svc\x1b[2Jx", `$'svc\x1b[2Jx'`},
		{"new\nline", `$'new\x0aline'`},
		{"bidi\u202eevil", `$'bidi\u202eevil'`},
		{"tag\U000E0041", `$'tag\U000e0041'`},
		{"bad\xffbyte's", `$'bad\xffbyte\'s'`},
		{"café", "'café'"},
	} {
		if got := shellarg.Path(tc.in); got != tc.want {
			t.Errorf("Path(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
