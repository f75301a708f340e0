package harness

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// Locked is what a lockfile pins: runtime distributions and those that only
// development groups need, each PEP 503 name to version.
type Locked struct {
	Runtime, DevOnly map[string]string
}

// ReadLockfile reads poetry.lock (groups "main" are runtime), pdm.lock
// ("default") or Pipfile.lock ("default" against "develop").
func ReadLockfile(path string) (*Locked, error) {
	dt, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	l := &Locked{Runtime: map[string]string{}, DevOnly: map[string]string{}}
	switch base := filepath.Base(path); base {
	case "poetry.lock", "pdm.lock":
		runtimeGroup := map[string]string{"poetry.lock": "main", "pdm.lock": "default"}[base]
		var lock struct {
			Package []struct {
				Name, Version string
				Groups        []string
			}
		}
		if _, err := toml.Decode(string(dt), &lock); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, p := range lock.Package {
			if len(p.Groups) == 0 {
				return nil, fmt.Errorf("%s: package %s has no groups (an older lock format)", path, p.Name)
			}
			if slices.Contains(p.Groups, runtimeGroup) {
				l.Runtime[NormalizeProject(p.Name)] = p.Version
			} else {
				l.DevOnly[NormalizeProject(p.Name)] = p.Version
			}
		}
	case "Pipfile.lock":
		var lock struct {
			Default, Develop map[string]struct{ Version string }
		}
		if err := json.Unmarshal(dt, &lock); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for name, p := range lock.Default {
			l.Runtime[NormalizeProject(name)] = strings.TrimPrefix(p.Version, "==")
		}
		for name, p := range lock.Develop {
			if _, ok := lock.Default[name]; !ok {
				l.DevOnly[NormalizeProject(name)] = strings.TrimPrefix(p.Version, "==")
			}
		}
	default:
		return nil, fmt.Errorf("%s: not a lockfile wharf's managers write (poetry.lock, pdm.lock, Pipfile.lock)", path)
	}
	if len(l.Runtime) == 0 {
		return nil, fmt.Errorf("%s: no runtime packages", path)
	}
	return l, nil
}

// CheckInstalled compares the distributions a runner has (PEP 503 name to
// version) with l: every runtime package at its locked version, no
// dev-only package, and nothing else but the names in unlocked (the
// project itself, the venv's pip). It returns one line per mismatch.
func (l *Locked) CheckInstalled(installed map[string]string, unlocked []string) []string {
	var bad []string
	for _, name := range sortedKeys(l.Runtime) {
		if got, ok := installed[name]; !ok {
			bad = append(bad, fmt.Sprintf("locked %s %s is not installed", name, l.Runtime[name]))
		} else if got != l.Runtime[name] {
			bad = append(bad, fmt.Sprintf("%s %s is installed, the lock says %s", name, got, l.Runtime[name]))
		}
	}
	for _, name := range sortedKeys(installed) {
		_, locked := l.Runtime[name]
		switch {
		case l.DevOnly[name] != "":
			bad = append(bad, fmt.Sprintf("dev-only %s %s is installed", name, installed[name]))
		case !locked && !slices.Contains(unlocked, name):
			bad = append(bad, fmt.Sprintf("%s %s is installed but not locked", name, installed[name]))
		}
	}
	return bad
}

// Dists reads the `dist NAME VERSION` lines an app prints (the e2e
// manager cases print importlib.metadata's view of the runner).
func Dists(stdout string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(stdout, "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "dist" {
			out[NormalizeProject(f[1])] = f[2]
		}
	}
	return out
}
