package python

import (
	"strings"

	"github.com/wharf-dev/wharf/spec"
)

// An interpreter is where an image has its Python, and which version: a
// virtual environment made with one only runs where the other is the same.
type interpreter struct {
	Path, Version string
	// Debian is Debian's python3 package, which the builder installs
	// (python3 and python3-venv) on a plain Debian image.
	Debian bool
}

func (i interpreter) String() string { return "Python " + i.Version + " at " + i.Path }

// debianPython is the Python 3 of each Debian release, by codename and
// number, as its python3 package and the distroless python3 images have it.
var debianPython = map[string]string{"bookworm": "3.11", "12": "3.11", "trixie": "3.13", "13": "3.13"}

// debianCodename is the release's image tag for each Python version.
var debianCodename = map[string]string{"3.11": "bookworm", "3.13": "trixie"}

// interpreterOf reports the Python of the images wharf knows: official
// python images (/usr/local/bin/python3, the tag's version), distroless
// python3-debianN images and plain Debian images, which get Debian's
// python3 (/usr/bin/python3, the release's version).
func interpreterOf(b spec.BaseImage) (interpreter, bool) {
	if v := b.PythonVersion(); v != "" {
		return interpreter{Path: "/usr/local/bin/python3", Version: v}, true
	}
	repo, tag := repoTag(b.Ref)
	if rest, ok := strings.CutPrefix(repo, "gcr.io/distroless/python3-debian"); ok {
		if v, ok := debianPython[rest]; ok {
			return interpreter{Path: "/usr/bin/python3", Version: v}, true
		}
	}
	if b.Family == spec.Debian && (repo == "debian" || repo == "library/debian" || repo == "docker.io/library/debian") {
		release, _, _ := strings.Cut(tag, "-")
		if v, ok := debianPython[release]; ok {
			return interpreter{Path: "/usr/bin/python3", Version: v, Debian: true}, true
		}
	}
	return interpreter{}, false
}

// builderFor is the default builder of a venv for a runner with Python
// i: the slim Debian release with that Python for a runner with Debian's
// /usr/bin/python3 (distroless python3-debianN).
func builderFor(i interpreter) (spec.BaseImage, bool) {
	if i.Path != "/usr/bin/python3" {
		return spec.BaseImage{}, false
	}
	codename, ok := debianCodename[i.Version]
	if !ok {
		return spec.BaseImage{}, false
	}
	return spec.BaseImage{Ref: "debian:" + codename + "-slim", Family: spec.Debian}, true
}

// repoTag splits an image reference into its repository (with the
// registry, when it names one) and tag, without the digest.
func repoTag(ref string) (repo, tag string) {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[:i], ref[i+1:]
	}
	return ref, ""
}
