package rust

import (
	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Watch rebuilds on any change in the crate's folder but target/: the
// runner holds only the compiled binaries. With a context above the spec
// (a Cargo workspace), the workspace's Cargo.toml and Cargo.lock at its
// root rebuild as well.
func (language) Watch(d *generate.Dockerfile, s *spec.Spec) []generate.WatchRule {
	rules := []generate.WatchRule{{Action: generate.Rebuild, Path: s.InContext("."), Ignore: []string{"target/"}}}
	if s.InContext(".") != "." {
		rules = append(rules,
			generate.WatchRule{Action: generate.Rebuild, Path: "Cargo.toml"},
			generate.WatchRule{Action: generate.Rebuild, Path: "Cargo.lock"})
	}
	return rules
}
