package golang

import (
	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Watch rebuilds on any change in the spec's folder: the runner holds
// only the compiled binary, so a source change needs the builder.
func (language) Watch(d *generate.Dockerfile, s *spec.Spec) []generate.WatchRule {
	return []generate.WatchRule{{Action: generate.Rebuild, Path: s.InContext(".")}}
}
