package diff

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnified(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{name: "equal", old: "a\nb\n", new: "a\nb\n", want: ""},
		{name: "both empty", old: "", new: "", want: ""},
		{
			name: "one line changed",
			old:  "a\nb\nc\n", new: "a\nB\nc\n",
			want: "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
		},
		{
			name: "from empty",
			old:  "", new: "a\nb\n",
			want: "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n",
		},
		{
			name: "to empty",
			old:  "a\n", new: "",
			want: "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-a\n",
		},
		{
			name: "insert in the middle names the line before",
			old:  "1\n2\n3\n4\n5\n6\n7\n8\n", new: "1\n2\n3\n4\nX\n5\n6\n7\n8\n",
			want: "--- a/f\n+++ b/f\n@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+X\n 5\n 6\n 7\n",
		},
		{
			name: "context is three lines",
			old:  "1\n2\n3\n4\n5\n6\n7\n8\n9\n", new: "1\n2\n3\n4\nV\n6\n7\n8\n9\n",
			want: "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+V\n 6\n 7\n 8\n",
		},
		{
			name: "changes six lines apart share a hunk",
			old:  "a\n1\n2\n3\n4\n5\n6\nb\n", new: "A\n1\n2\n3\n4\n5\n6\nB\n",
			want: "--- a/f\n+++ b/f\n@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n",
		},
		{
			name: "changes seven lines apart get two hunks",
			old:  "a\n1\n2\n3\n4\n5\n6\n7\nb\n", new: "A\n1\n2\n3\n4\n5\n6\n7\nB\n",
			want: "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n",
		},
		{
			name: "missing newline at end",
			old:  "a\nb", new: "a\nb\n",
			want: "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		},
		{
			name: "deletions come before insertions",
			old:  "x\na\nb\ny\n", new: "x\nc\nd\ny\n",
			want: "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n x\n-a\n-b\n+c\n+d\n y\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Unified("a/f", "b/f", []byte(tt.old), []byte(tt.new)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Unified mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEditsProperties checks on random inputs that the script turns a into
// b and is as short as a longest common subsequence allows.
func TestEditsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		a, b := randomLines(r), randomLines(r)
		ops := Edits(a, b)
		var gotA, gotB []string
		changes := 0
		for _, op := range ops {
			if op.Kind != Insert {
				gotA = append(gotA, op.Line)
			}
			if op.Kind != Delete {
				gotB = append(gotB, op.Line)
			}
			if op.Kind != Equal {
				changes++
			}
		}
		if !cmp.Equal(a, gotA, cmpEmpty) || !cmp.Equal(b, gotB, cmpEmpty) {
			t.Fatalf("Edits(%q, %q) = %v does not rebuild both sides", a, b, ops)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); changes != want {
			t.Fatalf("Edits(%q, %q) makes %d changes, want %d", a, b, changes, want)
		}
	}
}

// TestEditsBounded checks that a wholesale rewrite beyond maxEdits still
// gives a correct script.
func TestEditsBounded(t *testing.T) {
	var a, b []string
	for i := 0; i < maxEdits; i++ {
		a = append(a, "old\n", "same\n")
		b = append(b, "new\n", "same\n")
	}
	ops := Edits(a, b)
	var gotA, gotB []string
	for _, op := range ops {
		if op.Kind != Insert {
			gotA = append(gotA, op.Line)
		}
		if op.Kind != Delete {
			gotB = append(gotB, op.Line)
		}
	}
	if !cmp.Equal(a, gotA) || !cmp.Equal(b, gotB) {
		t.Fatal("the bounded script does not rebuild both sides")
	}
}

var cmpEmpty = cmp.Comparer(func(x, y []string) bool { return strings.Join(x, "") == strings.Join(y, "") && len(x) == len(y) })

func randomLines(r *rand.Rand) []string {
	n := r.IntN(12)
	out := make([]string, n)
	for i := range out {
		out[i] = string(rune('a'+r.IntN(4))) + "\n"
	}
	return out
}

// lcs is the length of a longest common subsequence, by dynamic programming.
func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}
