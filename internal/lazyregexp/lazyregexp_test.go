package lazyregexp

import (
	"strings"
	"testing"

	"github.com/wharf-dev/wharf/internal/memo"
)

func TestNewPanicsInTests(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New compiled a bad expression without panicking in a test binary")
		}
	}()
	New(`(`)
}

func TestMatchStringRemembers(t *testing.T) {
	r := New(`^[a-z]+$`)
	long := strings.Repeat("a", maxRememberedLen+1)
	for range 2 {
		for s, want := range map[string]bool{"abc": true, "ab1": false, "": false, long: true} {
			if got := r.MatchString(s); got != want {
				t.Errorf("MatchString(%.10q) = %v, want %v", s, got, want)
			}
		}
	}
	if n := r.matched.Len(); n != 3 {
		t.Errorf("remembered %d answers, want 3 (the long string is not kept)", n)
	}
	for i := range memo.Size + 10 {
		r.MatchString(strings.Repeat("b", i%200) + string(rune('a'+i%26)) + strings.Repeat("c", i/200))
	}
	if n := r.matched.Len(); n > memo.Size {
		t.Errorf("remembered %d answers, more than %d", n, memo.Size)
	}
}
