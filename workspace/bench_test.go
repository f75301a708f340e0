package workspace

import (
	"fmt"
	"testing"
)

// BenchmarkCheckTree measures check over a monorepo of generated services:
// finding the specs, then checking each, as "wharf check ./..." does.
func BenchmarkCheckTree(b *testing.B) {
	files := map[string]string{}
	const services = 500
	for i := range services {
		files[fmt.Sprintf("svc/s%04d/wharf.yaml", i)] = fmt.Sprintf("version: 1\nname: s%d\nlanguage: go\ngo: {main: ./cmd/app}\n", i)
	}
	root := tree(b, files)
	specs, err := Find(root)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range specs {
		if r := Generate(s, GenerateOptions{}); r.Err != nil {
			b.Fatal(r.Err)
		}
	}
	b.ResetTimer()
	for range b.N {
		specs, err := Find(root)
		if err != nil {
			b.Fatal(err)
		}
		Each(len(specs), func(i int) *Result { return Check(specs[i], CheckOptions{Diff: true}) }, func(_ int, r *Result) {
			if !r.Fresh() {
				b.Fatalf("%s is not fresh", r.Spec)
			}
		})
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*services), "µs/spec")
}
