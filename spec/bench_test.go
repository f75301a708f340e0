package spec_test

import (
	"github.com/wharf-dev/wharf/internal/golden"
	"os"
	"testing"

	"github.com/wharf-dev/wharf/spec"
)

// BenchmarkLoad loads every golden spec from disk once per iteration, as a
// run over a monorepo does; it reports the time per spec.
func BenchmarkLoad(b *testing.B) {
	paths := golden.Specs("..")
	if len(paths) == 0 {
		b.Fatal("no golden specs")
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paths {
			if _, err := spec.Load(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paths)), "ns/spec")
}

// BenchmarkParseGolden parses the golden specs from memory: Load without
// the file system.
func BenchmarkParseGolden(b *testing.B) {
	paths := golden.Specs("..")
	data := make([][]byte, len(paths))
	for i, p := range paths {
		var err error
		if data[i], err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, p := range paths {
			if _, err := spec.Parse(p, data[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paths)), "ns/spec")
}
