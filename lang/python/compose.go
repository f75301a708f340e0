package python

import (
	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Watch syncs the project's folder into the runner's workdir and restarts
// the container: Python reads the source at start, and the workdir comes
// first on sys.path for python -m and the usual servers, so the synced
// package shadows the installed one. A manifest or lockfile change
// rebuilds (generate adds those rules).
func (language) Watch(d *generate.Dockerfile, s *spec.Spec) []generate.WatchRule {
	project := s.Recipe.(*Recipe).Project
	if project == "" {
		project = "."
	}
	return []generate.WatchRule{{
		Action: generate.SyncRestart,
		Path:   s.InContext(project),
		Target: s.Runtime.Workdir,
		Ignore: []string{".venv/", "__pycache__/", "*.pyc"},
	}}
}
