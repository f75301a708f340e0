package spec_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/wharf-dev/wharf/spec"
)

// diamond returns a graph of extends levels deep: each of the width files
// of a level extends every file of the next, and the spec extends the
// files of the first. Expanded as a tree it has width^levels paths.
func diamond(levels, width int) map[string]string {
	files := map[string]string{}
	names := func(level int) string {
		var n []string
		for w := range width {
			n = append(n, fmt.Sprintf("l%d_%d.yaml", level, w))
		}
		return strings.Join(n, ", ")
	}
	for l := range levels {
		for w := range width {
			var b strings.Builder
			if l+1 < levels {
				fmt.Fprintf(&b, "extends: [%s]\n", names(l+1))
			}
			fmt.Fprintf(&b, "runtime:\n  labels: {l%dw%d: v}\n", l, w)
			files[fmt.Sprintf("l%d_%d.yaml", l, w)] = b.String()
		}
	}
	files["wharf.yaml"] = fmt.Sprintf("version: 1\nname: a\nlanguage: go\nextends: [%s]\n", names(0))
	return files
}

// with returns files with name set to data.
func with(files map[string]string, name, data string) map[string]string {
	files[name] = data
	return files
}

// chain returns a spec extending b0.yaml, which extends b1.yaml, and so
// on to b(n-1).yaml.
func chain(n int) map[string]string {
	files := map[string]string{"wharf.yaml": "version: 1\nname: a\nlanguage: go\nextends: b0.yaml\n"}
	for i := range n {
		body := fmt.Sprintf("runtime:\n  labels: {k%d: v}\n", i)
		if i+1 < n {
			body = fmt.Sprintf("extends: b%d.yaml\n", i+1) + body
		}
		files[fmt.Sprintf("b%d.yaml", i)] = body
	}
	return files
}

// TestExtendsHostile loads graphs of extends that took seconds and
// gigabytes when each path through them was expanded anew (issue 17,
// item 1): each loads in well under a second, the ones within the bounds
// with every label merged, the others with one error at the extends entry
// that crosses the bound.
func TestExtendsHostile(t *testing.T) {
	same := func(n int) map[string]string { // each file names the next n times
		files := map[string]string{"wharf.yaml": "version: 1\nname: a\nlanguage: go\nextends: b0.yaml\n"}
		for i := range 12 {
			files[fmt.Sprintf("b%d.yaml", i)] = fmt.Sprintf("extends: [%s]\nruntime: {labels: {k%d: v}}\n",
				strings.TrimSuffix(strings.Repeat(fmt.Sprintf("b%d.yaml, ", i+1), n), ", "), i)
		}
		files["b12.yaml"] = "{}\n"
		return files
	}
	big := func() map[string]string { // 10 bases of 6,000 values each
		files := map[string]string{"wharf.yaml": "version: 1\nname: a\nlanguage: go\nextends: [b0.yaml, b1.yaml, b2.yaml, b3.yaml, b4.yaml, b5.yaml, b6.yaml, b7.yaml, b8.yaml, b9.yaml]\n"}
		for i := range 10 {
			var b strings.Builder
			b.WriteString("runtime:\n  labels:\n")
			for j := range 3000 {
				fmt.Fprintf(&b, "    k%d_%d: v\n", i, j)
			}
			files[fmt.Sprintf("b%d.yaml", i)] = b.String()
		}
		return files
	}
	for _, tc := range []struct {
		name   string
		files  map[string]string
		labels int    // labels merged, when it loads
		want   string // the first error, when it does not
		errors int    // how many errors, when not 1
	}{
		{name: "diamond 16x2", files: diamond(16, 2), labels: 32},
		{name: "diamond 8x4", files: diamond(8, 4), labels: 32},
		{name: "diamond 23x2", files: diamond(23, 2),
			want: "l15_0.yaml:1:11: extends l16_0.yaml: the chain of extends is more than 16 files deep here (wharf.yaml -> l0_0.yaml -> l1_0.yaml -> ... 12 more ... -> l14_0.yaml -> l15_0.yaml -> l16_0.yaml); a spec inherits from a few shared files, so merge some of these into one"},
		// l0_0.yaml brings 31 files, l0_1.yaml the 32nd.
		{name: "diamond 7x5", files: diamond(7, 5),
			want: "wharf.yaml:4:33: extends l0_2.yaml: the spec inherits from more than 32 files; merge some of the bases into one"},
		// A problem at the bottom is found once, not once a path.
		{name: "diamond 15x2, cycle at the bottom", files: with(diamond(15, 2), "l14_1.yaml", "extends: [l0_0.yaml]\n"),
			want: "l14_1.yaml:1:11: extends cycle: l0_0.yaml -> l1_0.yaml -> "},
		{name: "diamond 15x2, missing at the bottom", files: with(diamond(15, 2), "l14_1.yaml", "extends: [nope.yaml]\n"),
			want: "l14_1.yaml:1:11: extends nope.yaml: no such file"},
		{name: "chain 16", files: chain(16), labels: 16},
		{name: "chain 2000", files: chain(2000),
			want: "b15.yaml:1:10: extends b16.yaml: the chain of extends is more than 16 files deep here"},
		{name: "same base 20 times", files: same(20),
			want: "b0.yaml:1:20: extends lists b1.yaml more than once (first at line 1, column 11); keep one", errors: 12},
		{name: "too many values", files: big(),
			want: "wharf.yaml:4:83: extends b8.yaml: the files the spec inherits from hold more than 50000 values in all"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inDir(t, tc.files)
			// Work is measured by bytes allocated, which load on the
			// machine does not change (times are in BENCHMARKS.md): before
			// each base was expanded once, these inputs took gigabytes.
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			s, err := spec.Load("wharf.yaml")
			runtime.ReadMemStats(&after)
			if n := after.TotalAlloc - before.TotalAlloc; n > 100<<20 {
				t.Errorf("allocated %d MB, want under 100 MB", n>>20)
			}
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(s.Runtime.Labels) != tc.labels {
					t.Errorf("%d labels, want %d", len(s.Runtime.Labels), tc.labels)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %s", tc.want)
			}
			if !strings.HasPrefix(err.Error(), tc.want) || !errors.Is(err, spec.ErrExtends) {
				t.Errorf("error:\n%v\nwant it to start with:\n%s", err, tc.want)
			}
			if n, want := strings.Count(err.Error(), "\n")+1, max(tc.errors, 1); n != want {
				t.Errorf("%d errors, want %d:\n%v", n, want, err)
			}
		})
	}
}
