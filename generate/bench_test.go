package generate_test

import (
	"github.com/wharf-dev/wharf/internal/golden"
	"testing"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// BenchmarkGenerate renders every golden spec with the built-in templates
// once per iteration; it reports the time per spec.
func BenchmarkGenerate(b *testing.B) {
	paths := golden.Specs("..")
	var specs []*spec.Spec
	for _, p := range paths {
		s, err := spec.Load(p)
		if err != nil {
			b.Fatal(err)
		}
		specs = append(specs, s)
	}
	if len(specs) == 0 {
		b.Fatal("no golden specs")
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range specs {
			if _, err := generate.Files(s); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(specs)), "ns/spec")
}
