package spec

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/internal/memo"
)

// Family is the kind of base image, which decides how packages are
// installed and users created, and whether the stage has a shell.
type Family string

// Base image families.
const (
	Debian     Family = "debian"     // apt-get, glibc (also Ubuntu)
	Alpine     Family = "alpine"     // apk, musl
	Distroless Family = "distroless" // no shell, no package manager
	Scratch    Family = "scratch"    // empty
)

// HasShell reports whether images of the family can run RUN steps.
func (f Family) HasShell() bool {
	d := f.Def()
	return d != nil && d.Shell
}

// BaseImage is a stage's base image and its family.
type BaseImage struct {
	Ref    string
	Family Family
}

// C libraries, as Libc reports them.
const (
	Glibc = "glibc"
	Musl  = "musl"
)

// Libc returns the C library the image provides: Glibc, Musl, or "" when
// it has none (scratch and static distroless images).
func (b BaseImage) Libc() string {
	if d := b.Family.Def(); d != nil && d.Libc != nil {
		return d.Libc(b.repository())
	}
	return ""
}

// debianReleases are the Debian releases image tags name, by codename,
// with the glibc each ships.
var debianReleases = []struct {
	codename string
	number   int
	glibc    string
}{{"bullseye", 11, "2.31"}, {"bookworm", 12, "2.36"}, {"trixie", 13, "2.41"}}

// DebianRelease returns the Debian release an image reference names (12
// for golang:1.26-bookworm, debian:12-slim or distroless/cc-debian12), and
// its glibc version; 0 when the reference does not say.
func (b BaseImage) DebianRelease() (number int, glibc string) {
	repo, tag := b.repository(), b.tag()
	for _, r := range debianReleases {
		n := strconv.Itoa(r.number)
		if strings.Contains(tag, r.codename) || strings.HasSuffix(repo, "-debian"+n) ||
			(repo == "debian" && (tag == n || strings.HasPrefix(tag, n+"-") || strings.HasPrefix(tag, n+"."))) {
			return r.number, r.glibc
		}
	}
	return 0, ""
}

// PythonVersion returns the "major.minor" Python version an official-style
// python image tag names (python:3.12-slim gives "3.12"), or "" if the
// reference does not say.
func (b BaseImage) PythonVersion() string {
	repo := b.repository()
	if repo != "python" && !strings.HasSuffix(repo, "/python") {
		return ""
	}
	return pythonTagVersion(b.tag())
}

// pythonTagVersion returns the version at the start of an image tag:
// what ^[0-9]+\.[0-9]+ finds in it, or "".
func pythonTagVersion(tag string) string {
	major := digits.span(tag)
	if major == 0 || major == len(tag) || tag[major] != '.' {
		return ""
	}
	minor := digits.span(tag[major+1:])
	if minor == 0 {
		return ""
	}
	return tag[:major+1+minor]
}

// repository returns the image's repository path without registry host,
// tag or digest, e.g. "library/python" is returned as "python".
func (b BaseImage) repository() string {
	ref := b.Ref
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	if i := strings.Index(ref, "/"); i >= 0 {
		host := ref[:i]
		if strings.ContainsAny(host, ".:") || host == "localhost" {
			ref = ref[i+1:]
		}
	}
	return strings.TrimPrefix(ref, "library/")
}

// tag returns the image's tag, or "" when it has none.
func (b BaseImage) tag() string {
	ref := b.Ref
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[i+1:]
	}
	return ""
}

// InferFamily guesses the family from an image reference: the last
// registered family that claims it, else the one that claims no image in
// particular (Debian, what official language images are built on).
func InferFamily(ref string) Family {
	b := BaseImage{Ref: ref}
	repo, tag := b.repository(), b.tag()
	defs := Families()
	var fallback Family
	for i := len(defs) - 1; i >= 0; i-- {
		switch {
		case defs[i].Claims == nil:
			fallback = defs[i].Name
		case defs[i].Claims(repo, tag):
			return defs[i].Name
		}
	}
	return fallback
}

// imageRef matches a Docker image reference: optional registry host and
// port, lowercase path components, an optional tag and an optional digest.
var imageRef = lazyregexp.New(`^` +
	`(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?` +
	`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*` +
	`(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?` +
	`(?:@sha256:[a-f0-9]{64})?$`)

// MaxImageNameLen is the longest image name, registry host and path
// without tag or digest, that the distribution reference grammar (and so
// BuildKit) accepts.
const MaxImageNameLen = 255

// ImageRefProblem returns why ref is not an image reference BuildKit
// takes, or "" when it is one: the grammar of docker pull (a tag of at
// most 128 characters, a sha256 digest of 64 hex digits, the one
// algorithm registries use) and a name of at most MaxImageNameLen
// characters.
func ImageRefProblem(ref string) string {
	name, tag, digest := splitImageRef(ref)
	if !isImageRef(ref) {
		switch {
		case digest != "" && !imageDigest.MatchString(digest):
			return fmt.Sprintf("the digest %q must be sha256: and 64 lowercase hex digits", digest)
		case tag != "" && !imageTag.MatchString(tag):
			return fmt.Sprintf("the tag %q must be 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'", tag)
		}
		return "write it as docker pull takes it, e.g. python:3.12-slim or ghcr.io/org/base:1.0"
	}
	if len(name) > MaxImageNameLen {
		return fmt.Sprintf("its name (before the tag) is %d characters long; image names are at most %d", len(name), MaxImageNameLen)
	}
	return ""
}

var (
	imageTag    = lazyregexp.New(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	imageDigest = lazyregexp.New(`^sha256:[a-f0-9]{64}$`)
)

// splitImageRef splits ref into its name, tag and digest, each "" when
// absent.
func splitImageRef(ref string) (name, tag, digest string) {
	name = ref
	if i := strings.Index(name, "@"); i >= 0 {
		name, digest = name[:i], name[i+1:]
	}
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, tag = name[:i], name[i+1:]
	}
	return name, tag, digest
}

// imageRefs remembers which references match imageRef: specs that extend
// a shared base name the same few images.
var imageRefs = memo.New(imageRef.MatchString)

// isImageRef reports whether ref matches imageRef.
func isImageRef(ref string) bool { return imageRefs.Get(ref) }

// Repository returns the image's repository path without registry host,
// tag or digest ("library/python" as "python").
func (b BaseImage) Repository() string { return b.repository() }

// Tag returns the image's tag, or "" when it has none.
func (b BaseImage) Tag() string { return b.tag() }
