package workspace

import (
	"github.com/wharf-dev/wharf"
	"os"
	"path/filepath"
	"testing"

	"github.com/wharf-dev/wharf/internal/monorepo"
)

// BenchmarkCheckTree measures check over the synthetic monorepo of
// scripts/monorepo (1,000 services): finding the specs, then checking
// each, as "wharf check ./..." does. Profile it with
//
//	go test -run '^$' -bench CheckTree -cpuprofile cpu.out ./workspace
//	go tool pprof -top -cum workspace.test cpu.out
func BenchmarkCheckTree(b *testing.B) {
	const services = 1000
	root := b.TempDir()
	if err := monorepo.Write(root, services); err != nil {
		b.Fatal(err)
	}
	pattern := []string{filepath.Join(root, "...")}
	specs, err := Expand(pattern)
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
		specs, listings, _, err := ExpandListings(pattern)
		if err != nil {
			b.Fatal(err)
		}
		cache := &wharf.Cache{} // one per run, as in the CLI
		Each(len(specs), func(i int) *Result {
			return Check(specs[i], CheckOptions{Diff: true, Listings: listings, Cache: cache})
		}, func(_ int, r *Result) {
			if !r.Fresh() {
				b.Fatalf("%s is not fresh", r.Spec)
			}
		})
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*services), "µs/spec")
}

// BenchmarkFind measures the walk of "./..." alone over the synthetic
// monorepo (1,000 services), as written and with a .gitignore in every
// service folder, whose lines repeat as a template's would.
func BenchmarkFind(b *testing.B) {
	const services = 1000
	root := b.TempDir()
	if err := monorepo.Write(root, services); err != nil {
		b.Fatal(err)
	}
	b.Run("plain", func(b *testing.B) { benchmarkFind(b, root, services) })
	dirs, err := filepath.Glob(filepath.Join(root, "services", "*", "*"))
	if err != nil {
		b.Fatal(err)
	}
	for _, dir := range dirs {
		if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("node_modules/\ndist/\n*.log\n__pycache__/\n/build/\n.env\n"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("nested-gitignore", func(b *testing.B) { benchmarkFind(b, root, services) })
}

func benchmarkFind(b *testing.B, root string, services int) {
	for range b.N {
		specs, err := Find(root)
		if err != nil {
			b.Fatal(err)
		}
		if len(specs) != services {
			b.Fatalf("found %d specs, want %d", len(specs), services)
		}
	}
}
