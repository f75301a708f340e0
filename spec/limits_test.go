package spec_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wharf-dev/wharf/spec"
)

const header = "version: 1\nname: big\nlanguage: go\n"

// hostileSizes are specs built to make a loader slow or greedy: many
// values, deep nesting, and aliases that multiply ("billion laughs").
var hostileSizes = []struct {
	name     string
	data     string
	wantLine int
}{
	{"over MaxSize", header + "ignore: [" + strings.Repeat("a", spec.MaxSize) + "]\n", 1}, // at 1:1 (issue 17, item 13)
	{"flow list of a million items", header + "ignore: [" + strings.Repeat("a,", 400000) + "a]\n", 4},
	{"block list of 200k items", header + "ignore:\n" + strings.Repeat("- a\n", 200000), 10001},
	{"50k mapping entries", header + "runtime:\n  env:\n" + manyKeys(50000), 10001},
	{"flow nesting 5000 deep", header + "ignore: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n", 4},
	{"block nesting 100 deep", header + "build:\n" + blockNesting(100), 36},
	{"billion laughs", header + laughs(9) + "build: {packages: *l8, run: *l8}\nruntime: {cmd: *l8}\n", 8},
	{"laughs through mappings", header + mapLaughs(9) + "build: {env: *l8}\n", 8},
}

func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "    K%d: v\n", i)
	}
	return b.String()
}

func blockNesting(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat(" ", i+1), i)
	}
	return b.String()
}

// laughs writes anchors l0..l(n-1), each a list of ten aliases of the one
// before: l(n-1) expands to 10^n values.
func laughs(n int) string {
	var b strings.Builder
	b.WriteString("x-l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "x-l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10), ", "))
	}
	return b.String()
}

func mapLaughs(n int) string {
	var b strings.Builder
	b.WriteString("x-l0: &l0 {a: lol, b: lol, c: lol, d: lol, e: lol, f: lol, g: lol, h: lol, i: lol, j: lol}\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "x-l%d: &l%d {", i, i)
		for k := range 10 {
			fmt.Fprintf(&b, "k%d: *l%d, ", k, i-1)
		}
		b.WriteString("z: 0}\n")
	}
	return b.String()
}

// TestLimits checks that each hostile file is refused as too large, with a
// position, and well within a generous deadline (the benchmark below
// measures how quickly).
func TestLimits(t *testing.T) {
	for _, tc := range hostileSizes {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := spec.Parse("wharf.yaml", []byte(tc.data))
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Parse took more than 10s")
			}
			if !errors.Is(err, spec.ErrTooLarge) {
				t.Fatalf("err = %v, want a spec.ErrTooLarge", firstLine(err))
			}
			var list spec.ErrorList
			errors.As(err, &list)
			if len(list) != 1 || list[0].Line != tc.wantLine {
				t.Errorf("err = %v, want one error on line %d", err, tc.wantLine)
			}
		})
	}
}

// TestLimitsLeaveRealSpecsAlone checks that anchors and aliases used the
// way people use them still work.
func TestLimitsLeaveRealSpecsAlone(t *testing.T) {
	src := header + "x-pkgs: &pkgs [gcc, libc6-dev]\nbuild:\n  packages: *pkgs\nruntime:\n  packages: [libc6]\n  env: &env {A: \"1\", B: \"2\"}\n  labels: *env\n"
	s, err := spec.Parse("wharf.yaml", []byte(src))
	if err == nil {
		t.Fatalf("unknown top-level key x-pkgs was accepted: %+v", s)
	}
	if errors.Is(err, spec.ErrTooLarge) {
		t.Fatalf("a small spec with aliases was refused as too large: %v", err)
	}
}

func firstLine(err error) string {
	if err == nil {
		return "<nil>"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// BenchmarkLimits measures how long refusing each hostile file takes.
func BenchmarkLimits(b *testing.B) {
	for _, tc := range hostileSizes {
		data := []byte(tc.data)
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := spec.Parse("wharf.yaml", data); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
