package python

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wharf-dev/wharf/spec/detect"
)

// pythonSupported is one package of pythonSupport.
type pythonSupported struct {
	Project string
	Since   map[int]string // Python 3 minor -> first release supporting it
	Source  string
}

// pythonSupport lists well-known packages whose older releases do not run
// on (or have no wheels for) newer Pythons: for each Python minor, the
// first release that supports it, as the project's release notes say
// (Source). Detection reads it offline to keep a project whose pins allow
// only older releases off a Python they do not support.
var pythonSupport = []pythonSupported{
	{"django", map[int]string{12: "4.2.8", 13: "5.1.3"}, "https://docs.djangoproject.com/en/5.1/releases/5.1.3/ and /en/4.2/releases/4.2.8/"},
	{"numpy", map[int]string{12: "1.26.0", 13: "2.1.0"}, "https://numpy.org/doc/stable/release/2.1.0-notes.html and 1.26.0-notes.html"},
	{"pandas", map[int]string{12: "2.1.1", 13: "2.2.3"}, "https://pandas.pydata.org/docs/whatsnew/v2.2.3.html and v2.1.1.html"},
	{"pillow", map[int]string{12: "10.1.0", 13: "11.0.0"}, "https://pillow.readthedocs.io/en/stable/releasenotes/11.0.0.html and 10.1.0.html"},
	{"psycopg2", map[int]string{12: "2.9.9", 13: "2.9.10"}, "https://www.psycopg.org/docs/news.html"},
	{"psycopg2-binary", map[int]string{12: "2.9.9", 13: "2.9.10"}, "https://www.psycopg.org/docs/news.html"},
	{"greenlet", map[int]string{12: "3.0.0", 13: "3.1.0"}, "https://greenlet.readthedocs.io/en/latest/changes.html"},
}

// pinnedPython is the Python minor for a project that does not say which
// Python it needs: the newest, up to the default, that the project's
// pins of pythonSupport's packages allow a supporting release for. why
// explains the choice; note, when not empty, is said on stderr too: a
// Python older than the default was chosen, or the default was assumed
// though pins that wharf cannot check offline may not support it.
func pinnedPython(reqs []requirement) (minor int, why, note string) {
	for i := slices.Index(pythonMinors, defaultPythonMinor); i >= 0; i-- {
		m := pythonMinors[i]
		blocked := pinsBlocking(reqs, m)
		if len(blocked) == 0 {
			if m == defaultPythonMinor {
				break
			}
			above := pinsBlocking(reqs, m+1)
			why = fmt.Sprintf("Python 3.%d, not the default 3.%d: the project does not say which Python it needs, and %s.", m, defaultPythonMinor, strings.Join(above, "; "))
			return m, why, why
		}
	}
	why = fmt.Sprintf("Python 3.%d: the project does not say which Python it needs.", defaultPythonMinor)
	if blocked := pinsBlocking(reqs, defaultPythonMinor); len(blocked) > 0 {
		why = fmt.Sprintf("Python 3.%d assumed: the project does not say which Python it needs, and %s, nor any older Python wharf knows. Check the pins.", defaultPythonMinor, strings.Join(blocked, "; "))
		return defaultPythonMinor, why, why
	}
	if unknown := unknownPins(reqs); len(unknown) > 0 {
		why = fmt.Sprintf("Python 3.%d assumed: the project does not say which Python it needs, and wharf cannot tell offline whether its pins (%s) support it. If the build or the app fails, set images to the Python the pins were made with.", defaultPythonMinor, detect.JoinList(unknown))
		return defaultPythonMinor, why, why
	}
	return defaultPythonMinor, why, ""
}

// pinsBlocking says, for each requirement of a pythonSupport package whose
// specifier allows no release supporting Python 3.minor, why.
func pinsBlocking(reqs []requirement, minor int) []string {
	var out []string
	for _, r := range reqs {
		for _, s := range pythonSupport {
			since, known := s.Since[minor]
			if s.Project != r.Name || !known || r.Spec == "" {
				continue
			}
			c, ok := detect.ParsePythonRange(r.Spec)
			v, vok := detect.ParseVersion(since)
			if ok && vok && !c.AllowsFrom(v) {
				out = append(out, fmt.Sprintf("%s%s in %s allows no release that supports Python 3.%d (%s %s or newer: %s)", r.AsIs, r.Spec, r.From, minor, r.AsIs, since, s.Source))
			}
		}
	}
	return out
}

// unknownPins are the requirements, outside pythonSupport, whose
// specifier pins a version or sets an upper bound (==, ~=, <, <=, and
// Poetry's ^ and ~), written as declared; at most three, then how many more.
func unknownPins(reqs []requirement) []string {
	var out []string
	n := 0
	for _, r := range reqs {
		known := slices.ContainsFunc(pythonSupport, func(s pythonSupported) bool { return s.Project == r.Name })
		pinned := strings.Contains(r.Spec, "==") || strings.ContainsAny(r.Spec, "<~^")
		if known || !pinned {
			continue
		}
		if n++; n <= 3 {
			out = append(out, r.AsIs+r.Spec)
		}
	}
	if n > 3 {
		out = append(out, fmt.Sprintf("%d more", n-3))
	}
	return out
}
