package memo

import (
	"strings"
	"testing"
)

// TestMemo checks that a memo returns what its function does, and keeps
// at most Size results.
func TestMemo(t *testing.T) {
	calls := 0
	m := New(func(s string) int { calls++; return len(s) })
	for i := range 2 * Size {
		s := strings.Repeat("x", i%(Size+10))
		if got := m.Get(s); got != len(s) {
			t.Fatalf("Get(%d x's) = %d", len(s), got)
		}
	}
	if n := m.Len(); n != Size {
		t.Errorf("the memo holds %d results, want %d", n, Size)
	}
	// The first pass meets Size+10 strings, the second only the Size kept.
	if want := Size + 10; calls != want {
		t.Errorf("the function ran %d times, want %d", calls, want)
	}
}
