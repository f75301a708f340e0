package java

import (
	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Watch rebuilds on any change in the project's folder but the build
// tools' outputs: the runner holds only the jar (or a jlink runtime), and
// sources, resources and the Maven or Gradle build files all go into it.
func (language) Watch(d *generate.Dockerfile, s *spec.Spec) []generate.WatchRule {
	return []generate.WatchRule{{Action: generate.Rebuild, Path: s.InContext("."), Ignore: []string{"target/", "build/", ".gradle/"}}}
}
