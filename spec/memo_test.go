package spec

import (
	"strings"
	"testing"
)

// TestMemo checks that a memo returns what its function does, and keeps
// at most memoSize results.
func TestMemo(t *testing.T) {
	calls := 0
	m := newMemo(func(s string) int { calls++; return len(s) })
	for i := range 2 * memoSize {
		s := strings.Repeat("x", i%(memoSize+10))
		if got := m.get(s); got != len(s) {
			t.Fatalf("get(%d x's) = %d", len(s), got)
		}
	}
	if n := m.n.Load(); n != memoSize {
		t.Errorf("the memo holds %d results, want %d", n, memoSize)
	}
	// The first pass meets memoSize+10 strings, the second only the
	// memoSize kept.
	if want := memoSize + 10; calls != want {
		t.Errorf("the function ran %d times, want %d", calls, want)
	}
}
