// Package suggest finds the likely intended word behind a typo, for
// "did you mean" hints in error messages.
package suggest

import "strings"

// Closest returns the candidate that word most likely misspells or
// abbreviates, or "" when none is close enough. Comparison ignores case.
func Closest(word string, candidates []string) string {
	word = strings.ToLower(word)
	if len(word) >= 3 {
		for _, c := range candidates { // an abbreviation: lang for language
			if strings.HasPrefix(c, word) {
				return c
			}
		}
	}
	best, bestDist := "", len(word)/2+2
	for _, c := range candidates {
		if d := editDistance(word, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
