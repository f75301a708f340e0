package spec_test

import (
	"testing"

	"github.com/wharf-dev/wharf/spec"
)

// BenchmarkParseExtends measures a spec that extends a chain of two bases,
// against BenchmarkParse for a spec that extends nothing.
func BenchmarkParseExtends(b *testing.B) {
	dir := b.TempDir()
	b.Chdir(dir)
	writeFiles(b, map[string]string{"base.yaml": base, "team.yaml": "extends: [base.yaml]\nbuild: {packages: {append: [make]}}\n"})
	data := []byte("version: 1\nname: s\nextends: [../team.yaml]\nbuild: {packages: {append: [pkg]}}\n")
	for b.Loop() {
		if _, err := spec.Parse("s/wharf.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data := []byte("name: s\n" + base)
	for b.Loop() {
		if _, err := spec.Parse("wharf.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}
