package node

import (
	"path"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Watch follows what the runner holds. With a build script, the runner
// gets its output, so a source change rebuilds. Without one, the runner
// runs the source itself: the whole project (the build context) in the
// workdir, or only output beside node_modules; a change is synced there
// and the container restarted (Node reads the source at start).
// package.json and the lockfile rebuild through the rules generate adds.
func (language) Watch(d *generate.Dockerfile, s *spec.Spec) []generate.WatchRule {
	r := s.Recipe.(*Recipe)
	b := d.Recipe.(*Build)
	workdir := s.Runtime.Workdir
	switch {
	case r.Build != "":
		return []generate.WatchRule{{Action: generate.Rebuild, Path: s.InContext("."), Ignore: []string{"node_modules/"}}}
	case r.Output == "":
		return []generate.WatchRule{{Action: generate.SyncRestart, Path: ".", Target: workdir, Ignore: []string{"node_modules/"}}}
	}
	target := path.Join(workdir, r.Output)
	if b.PnP {
		target = path.Join(workdir, b.Dir, r.Output)
	}
	return []generate.WatchRule{{Action: generate.SyncRestart, Path: s.InContext(r.Output), Target: target}}
}
