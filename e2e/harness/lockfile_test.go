package harness

import (
	"reflect"
	"strings"
	"testing"
)

// TestReadLockfile reads the manager cases' committed lockfiles: the
// runtime packages are the ones their manifests ask for (and what those
// require), Pygments is the dev-only one in each.
func TestReadLockfile(t *testing.T) {
	for lock, runtime := range map[string]map[string]string{
		"../cases/python-poetry/poetry.lock":  {"itsdangerous": "2.2.0", "jinja2": "3.1.6", "markupsafe": "2.1.5"},
		"../cases/python-pdm/pdm.lock":        {"blinker": "1.9.0", "markupsafe": "2.1.5", "werkzeug": "3.1.3"},
		"../cases/python-pipenv/Pipfile.lock": {"itsdangerous": "2.2.0", "markupsafe": "2.1.5"},
	} {
		l, err := ReadLockfile(lock)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(l.Runtime, runtime) {
			t.Errorf("%s: runtime %v, want %v", lock, l.Runtime, runtime)
		}
		if want := map[string]string{"pygments": "2.18.0"}; !reflect.DeepEqual(l.DevOnly, want) {
			t.Errorf("%s: dev-only %v, want %v", lock, l.DevOnly, want)
		}
	}
	if _, err := ReadLockfile("../cases/python-flask/requirements.txt"); err == nil {
		t.Error("requirements.txt read as a lockfile")
	}
}

// TestCheckInstalled: each way a runner can disagree with its lock is
// reported, and an exact match is not.
func TestCheckInstalled(t *testing.T) {
	l := &Locked{Runtime: map[string]string{"jinja2": "3.1.6", "markupsafe": "2.1.5"}, DevOnly: map[string]string{"pygments": "2.18.0"}}
	ok := Dists("hello\ndist jinja2 3.1.6\ndist markupsafe 2.1.5\ndist pip 25.1.1\ndist app 0.1.0\n")
	if bad := l.CheckInstalled(ok, []string{"pip", "app"}); len(bad) != 0 {
		t.Errorf("exact match reported: %q", bad)
	}
	for _, c := range []struct{ stdout, want string }{
		{"dist jinja2 3.1.5\ndist markupsafe 2.1.5\n", "jinja2 3.1.5 is installed, the lock says 3.1.6"},
		{"dist markupsafe 2.1.5\n", "locked jinja2 3.1.6 is not installed"},
		{"dist jinja2 3.1.6\ndist markupsafe 2.1.5\ndist pygments 2.18.0\n", "dev-only pygments 2.18.0 is installed"},
		{"dist jinja2 3.1.6\ndist markupsafe 2.1.5\ndist poetry 2.1.2\n", "poetry 2.1.2 is installed but not locked"},
	} {
		bad := l.CheckInstalled(Dists(c.stdout), nil)
		if len(bad) != 1 || !strings.Contains(bad[0], c.want) {
			t.Errorf("%q: got %q, want one %q", c.stdout, bad, c.want)
		}
	}
}
