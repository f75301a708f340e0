// Package family holds wharf's base-image families, each a unit: whether
// its images have a shell, their C library, how an image of the family is
// told from its name, its package names and the packages recipes need,
// and its template blocks. Package lang registers them with spec.
package family

import (
	"embed"
	"io/fs"
	"strings"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec"
)

//go:embed debian alpine
var blocks embed.FS

func sub(name string) fs.FS {
	f, err := fs.Sub(blocks, name)
	if err != nil {
		panic(err)
	}
	return f
}

// debianPackage is a Debian policy package name, with optional :arch and =version.
var debianPackage = lazyregexp.New(`^[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?(=[A-Za-z0-9.+~:-]+)?$`)

// alpinePackage is an apk package name, with optional @tag and version constraint.
var alpinePackage = lazyregexp.New(`^[A-Za-z0-9][A-Za-z0-9_.+-]*(@[A-Za-z0-9_.-]+)?((=|<|>|<=|>=|~|=~|>~|<~)[A-Za-z0-9._+-]+)?$`)

// Debian images (and Ubuntu's): apt-get, glibc. It takes every image no
// other family claims, since official language images are built on it.
var Debian = &spec.FamilyDef{
	Name:        spec.Debian,
	Shell:       true,
	Libc:        func(string) string { return spec.Glibc },
	Package:     debianPackage.MatchString,
	PackageForm: "name, name=version or name:arch, e.g. libpq-dev or curl=7.88.1-10",
	CToolchain:  []string{"gcc", "libc6-dev"},
	CA:          []string{"ca-certificates"},
	Tini:        "/usr/bin/tini",
	Blocks:      sub("debian"),
}

// Alpine images: apk, musl.
var Alpine = &spec.FamilyDef{
	Name:  spec.Alpine,
	Shell: true,
	Libc:  func(string) string { return spec.Musl },
	Claims: func(repo, tag string) bool {
		return strings.Contains(repo, "alpine") || strings.Contains(tag, "alpine")
	},
	Package:     alpinePackage.MatchString,
	PackageForm: "name, name@tag or name with a version constraint (=, <, >, <=, >=, ~), e.g. openssl>=3.1",
	CToolchain:  []string{"gcc", "musl-dev"},
	// The base image has the CA bundle (ca-certificates-bundle) already.
	Tini:   "/sbin/tini",
	Blocks: sub("alpine"),
}

// Distroless images (and Chainguard's static one): no shell, no package
// manager; glibc, except in the static images.
var Distroless = &spec.FamilyDef{
	Name: spec.Distroless,
	Libc: func(repo string) string {
		if strings.Contains(repo, "static") {
			return ""
		}
		return spec.Glibc
	},
	Claims: func(repo, _ string) bool {
		return strings.Contains(repo, "distroless") || strings.HasSuffix(repo, "chainguard/static")
	},
}

// Scratch is the empty image.
var Scratch = &spec.FamilyDef{
	Name:   spec.Scratch,
	Libc:   func(string) string { return "" },
	Claims: func(repo, _ string) bool { return repo == "scratch" },
}

// All lists the families, in the order messages and the schema name them.
var All = []*spec.FamilyDef{Debian, Alpine, Distroless, Scratch}
