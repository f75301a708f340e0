package harness

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
// images are built changes in a way the recipes below do not show.
const recipeVersion = "4"

// Suite is the Debian release every base image is built from.
const Suite = "bookworm"

// defaultPath is the PATH of Debian-based official images.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// BaseImage is one official image that wharf's Dockerfiles start FROM,
// rebuilt from Debian packages and shaped like the original: same name, same
// kind of content, same config (PATH, CMD, ...).
type BaseImage struct {
	// Ref is what a Dockerfile writes after FROM.
	Ref string
	// Repo and Tag locate the image in the loopback registry, which mirrors
	// docker.io (so "python" is "library/python") and gcr.io.
	Repo, Tag string
	// Packages are installed with apt-get on top of Debian minbase.
	Packages []string
	// Script runs in the image's chroot after the install, as /bin/sh -eu.
	// Lines it appends to /tmp/image-env ("KEY=value") are added to Env.
	Script string
	// NpmVersion, if set, is an npm release fetched from the npm registry
	// with the host's npm (`npm pack`) and handed to Script as
	// /tmp/npm.tgz.
	NpmVersion string `json:",omitempty"`
	// Distroless builds a shell-less image from a few files of its rootfs
	// instead of shipping the rootfs.
	Distroless bool
	// Config is the image config (Env, Cmd, Entrypoint, WorkingDir, User).
	Config v1.Config
}

// BaseImages are the images the e2e cases build FROM. debian:bookworm-slim
// comes first: the others are built on its rootfs.
var BaseImages = []BaseImage{
	{
		Ref: "debian:bookworm-slim", Repo: "library/debian", Tag: "bookworm-slim",
		Config: v1.Config{Env: []string{"PATH=" + defaultPath}, Cmd: []string{"bash"}},
	},
	{
		Ref: "python:3.11-slim-bookworm", Repo: "library/python", Tag: "3.11-slim-bookworm",
		Packages: []string{
			"python3", "python-is-python3", "python3-pip", "python3-setuptools",
			"python3-wheel", "python3-venv", "python3-dev",
		},
		// The official image lets `pip install` write to the system
		// site-packages; Debian's PEP 668 marker forbids it.
		Script: `
rm -f /usr/lib/python3*/EXTERNALLY-MANAGED
command -v python >/dev/null && command -v pip >/dev/null
if command -v gcc >/dev/null || command -v cc >/dev/null; then echo "a compiler got into the python image" >&2; exit 1; fi
echo "PYTHON_VERSION=$(python3 -c 'import platform; print(platform.python_version())')" >> /tmp/image-env
echo "PYTHON_PIP_VERSION=$(python3 -c 'import pip; print(pip.__version__)')" >> /tmp/image-env
`,
		Config: v1.Config{Env: []string{"PATH=" + defaultPath, "LANG=C.UTF-8"}, Cmd: []string{"python3"}},
	},
	{
		Ref: "golang:1.19-bookworm", Repo: "library/golang", Tag: "1.19-bookworm",
		Packages: []string{"golang-go", "gcc", "libc6-dev", "make", "pkg-config", "git", "ca-certificates"},
		Script: `
mkdir -p /go/src /go/bin && chmod -R 1777 /go
/usr/lib/go/bin/go version | grep -q ' go1.19'
echo "GOLANG_VERSION=$(/usr/lib/go/bin/go env GOVERSION | sed 's/^go//')" >> /tmp/image-env
`,
		Config: v1.Config{
			Env:        []string{"PATH=/go/bin:/usr/lib/go/bin:" + defaultPath, "GOPATH=/go"},
			WorkingDir: "/go",
			Cmd:        []string{"bash"},
		},
	},
	{
		Ref: "node:18-bookworm-slim", Repo: "library/node", Tag: "18-bookworm-slim",
		// Debian's nodejs, but npm from the npm registry, laid out as in the
		// official image (/usr/local/lib/node_modules/npm, its dependencies
		// bundled). Debian's own npm package puts ~870 modules into
		// /usr/share/nodejs, which Debian's node resolves globally: an app's
		// require() of a pruned devDependency would still succeed.
		// Debian's node reads the system CA store where the official build
		// uses its compiled-in one, so it needs ca-certificates for npm.
		Packages:   []string{"nodejs", "ca-certificates"},
		NpmVersion: "10.8.2", // what node 18.20's official image ships
		// The official image has a "node" user (1000:1000) and an
		// entrypoint that runs `node ARGS` when the first arg is a flag
		// or not a command.
		Script: `
mkdir -p /usr/local/lib/node_modules/npm
tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 --no-same-owner
rm /tmp/npm.tgz
ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
groupadd --gid 1000 node
useradd --uid 1000 --gid node --shell /bin/bash --create-home node
cat > /usr/local/bin/docker-entrypoint.sh <<'EOS'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOS
chmod 0755 /usr/local/bin/docker-entrypoint.sh
node --version | grep -q '^v18\.'
npm --version | grep -qx '10.8.2'
echo "NODE_VERSION=$(node -p process.versions.node)" >> /tmp/image-env
`,
		Config: v1.Config{
			Env:        []string{"PATH=" + defaultPath},
			Entrypoint: []string{"docker-entrypoint.sh"},
			Cmd:        []string{"node"},
		},
	},
	{
		Ref: "gcr.io/distroless/static-debian12", Repo: "distroless/static-debian12", Tag: "latest",
		Packages:   []string{"ca-certificates", "tzdata"},
		Distroless: true,
		Config: v1.Config{
			Env:        []string{"PATH=" + defaultPath, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"},
			User:       "0",
			WorkingDir: "/",
		},
	},
}

// ImageBuilder builds BaseImages into OCI layouts cached under CacheDir and
// pushes them to a registry.
type ImageBuilder struct {
	// CacheDir holds one OCI layout per image, named after its cache key.
	CacheDir string
	// Mirror and SecurityMirror are Debian archive URLs.
	Mirror, SecurityMirror string
	// ExtraCAs are CA certificate files (PEM, .crt) copied into the Debian
	// base's /usr/local/share/ca-certificates/, so that every image that
	// has or later installs ca-certificates trusts them. See HostCAs.
	ExtraCAs []string
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
	_ = enc.Encode([]any{recipeVersion, Suite, b.Mirror, b.SecurityMirror, baseKey, img})
	if baseKey == "" { // the CAs go into the base, and so into every key
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

// Prepare makes sure every image is in the cache, building what is missing,
// and returns the OCI layout of each, in the order of images. images[0] must
// be the Debian base the others build on.
func (b *ImageBuilder) Prepare(ctx context.Context, images []BaseImage) ([]string, error) {
	if err := os.MkdirAll(b.CacheDir, 0o755); err != nil {
		return nil, err
	}
	base := images[0]
	baseKey := b.cacheKey(base, "")
	baseDir := b.layoutDir(base, baseKey)
	if !layoutComplete(baseDir) {
		start := time.Now()
		if err := b.buildBase(ctx, base, baseDir); err != nil {
			return nil, fmt.Errorf("build %s: %w", base.Ref, err)
		}
		b.Log("images: built %s in %s", base.Ref, time.Since(start).Round(time.Second))
	} else {
		b.Log("images: %s cached", base.Ref)
	}

	dirs := []string{baseDir}
	var wg sync.WaitGroup
	errs := make([]error, len(images))
	for i, img := range images[1:] {
		dir := b.layoutDir(img, b.cacheKey(img, baseKey))
		dirs = append(dirs, dir)
		if layoutComplete(dir) {
			b.Log("images: %s cached", img.Ref)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			if err := b.buildDerived(ctx, img, baseDir, dir); err != nil {
				errs[i+1] = fmt.Errorf("build %s: %w", img.Ref, err)
				return
			}
			b.Log("images: built %s in %s", img.Ref, time.Since(start).Round(time.Second))
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	b.pruneImages(dirs)
	return dirs, nil
}

// pruneImages removes cached layouts that no current recipe names, so the
// cache does not grow with every recipe change.
func (b *ImageBuilder) pruneImages(keep []string) {
	all, _ := filepath.Glob(filepath.Join(b.CacheDir, "images", "*"))
	for _, dir := range all {
		if !slices.Contains(keep, dir) {
			b.Log("images: removing stale %s", filepath.Base(dir))
			removeAllRoot(dir)
		}
	}
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
	out, err := exec.CommandContext(ctx, "debootstrap", "--variant=minbase", Suite, rootfs, b.Mirror).CombinedOutput()
	if err != nil {
		return fmt.Errorf("debootstrap: %w\n%s", err, tail(out, 4000))
	}
	if err := b.slimify(rootfs); err != nil {
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

// slimify writes the apt sources and the dpkg excludes of the official
// debian:*-slim images.
func (b *ImageBuilder) slimify(rootfs string) error {
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
`, b.Mirror, Suite, Suite, b.SecurityMirror, Suite)
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
	return os.Remove(filepath.Join(rootfs, "etc/apt/sources.list"))
}

// buildDerived unpacks the base image's rootfs, installs img's packages and
// runs its script in a chroot, and writes the result as a one-layer image.
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
		if err := npmPack(ctx, img.NpmVersion, work, filepath.Join(rootfs, "tmp/npm.tgz")); err != nil {
			return err
		}
	}
	script := fmt.Sprintf(`
export DEBIAN_FRONTEND=noninteractive
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d
apt-get update -qq
apt-get install -y -qq --no-install-recommends %s >/dev/null
rm -f /tmp/image-env
%s
`, strings.Join(img.Packages, " "), img.Script)
	if err := chrootRun(ctx, rootfs, script); err != nil {
		return err
	}
	extraEnv, err := readImageEnv(filepath.Join(rootfs, "tmp/image-env"))
	if err != nil {
		return err
	}
	if err := chrootRun(ctx, rootfs, `
rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d /tmp/image-env /var/log/apt/* /var/log/dpkg.log /var/cache/debconf/*-old /var/lib/dpkg/*-old /root/.cache
`); err != nil {
		return err
	}
	if img.Distroless {
		d := filepath.Join(work, "distroless")
		if err := makeDistroless(rootfs, d); err != nil {
			return err
		}
		rootfs = d
	}
	return writeImage(ctx, rootfs, work, img, extraEnv, dst)
}

// npmPack fetches npm@version with the host's npm (which checks the
// registry's integrity hash) and moves the tarball to dst.
func npmPack(ctx context.Context, version, work, dst string) error {
	dir := filepath.Join(work, "npm-pack")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "npm", "pack", "--silent", "--pack-destination", dir, "npm@"+version)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("npm pack npm@%s: %w\n%s", version, err, out)
	}
	return os.Rename(filepath.Join(dir, "npm-"+version+".tgz"), dst)
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

// makeDistroless lays out a gcr.io/distroless/static-debian12 look-alike in
// dst: users and groups (root, nobody, nonroot 65532), CA bundle, zoneinfo,
// os-release, /tmp and homes, and nothing executable.
func makeDistroless(rootfs, dst string) error {
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
`, rootfs, dst)
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
	image, err = mutate.Append(image, mutate.Addendum{
		Layer:     layer,
		MediaType: types.OCILayer,
		History: v1.History{
			CreatedBy: fmt.Sprintf("wharf e2e: debootstrap --variant=minbase %s + apt-get install %s", Suite, strings.Join(img.Packages, " ")),
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

// layoutComplete reports whether dir is a finished OCI layout (writeImage
// renames it into place only when complete).
func layoutComplete(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "index.json"))
	return err == nil
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

// Push pushes each image's cached layout to the registry at addr under
// img.Repo:img.Tag.
func Push(ctx context.Context, addr string, images []BaseImage, layouts []string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(images))
	for i, img := range images {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ref, err := name.ParseReference(addr+"/"+img.Repo+":"+img.Tag, name.Insecure)
			if err != nil {
				errs[i] = err
				return
			}
			image, err := layoutImage(layouts[i])
			if err != nil {
				errs[i] = err
				return
			}
			if err := remote.Write(ref, image, remote.WithContext(ctx)); err != nil {
				errs[i] = fmt.Errorf("push %s: %w", ref, err)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
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

// parseMirrors finds the first URIs serving Suite and Suite-security in apt
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
				case s == Suite && !foundMain:
					mirror, foundMain = uri, true
				case s == Suite+"-security" && !foundSec:
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
