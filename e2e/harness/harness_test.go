package harness

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestParseMirrors(t *testing.T) {
	tests := []struct {
		name         string
		texts        []string
		wantMirror   string
		wantSecurity string
	}{
		{
			name: "deb822",
			texts: []string{`Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian/
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
`},
			wantMirror:   "http://mirror.example/debian",
			wantSecurity: "http://mirror.example/debian-security",
		},
		{
			name:         "one-line with options, other suites ignored",
			texts:        []string{"deb http://old.example/debian bullseye main\ndeb [arch=amd64] http://m.example/debian bookworm main\n"},
			wantMirror:   "http://m.example/debian",
			wantSecurity: "http://deb.debian.org/debian-security",
		},
		{
			name:         "nothing",
			wantMirror:   "http://deb.debian.org/debian",
			wantSecurity: "http://deb.debian.org/debian-security",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, s := parseMirrors(tc.texts...)
			if m != tc.wantMirror || s != tc.wantSecurity {
				t.Errorf("parseMirrors = %q, %q; want %q, %q", m, s, tc.wantMirror, tc.wantSecurity)
			}
		})
	}
}

func TestConfigMirrorsDockerHubAndGCR(t *testing.T) {
	cfg := Config("127.0.0.1:5000", "native")
	for _, want := range []string{
		"[registry.\"docker.io\"]\n  mirrors = [\"127.0.0.1:5000\"]",
		"[registry.\"gcr.io\"]\n  mirrors = [\"127.0.0.1:5000\"]",
		"[registry.\"127.0.0.1:5000\"]\n  http = true\n  insecure = true",
		"snapshotter = \"native\"",
		"[worker.containerd]\n  enabled = false",
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config lacks %q:\n%s", want, cfg)
		}
	}
}

func TestCacheKeyChangesWithRecipe(t *testing.T) {
	b := &ImageBuilder{Mirror: "http://a", SecurityMirror: "http://b"}
	img := BaseImages[1]
	k1 := b.cacheKey(img, "base")
	if k1 != b.cacheKey(img, "base") {
		t.Fatal("cache key is not stable")
	}
	img2 := img
	img2.Packages = append(slices.Clone(img.Packages), "gcc")
	for name, k := range map[string]string{
		"packages": b.cacheKey(img2, "base"),
		"base":     b.cacheKey(img, "other"),
		"mirror":   (&ImageBuilder{Mirror: "http://c", SecurityMirror: "http://b"}).cacheKey(img, "base"),
	} {
		if k == k1 {
			t.Errorf("changing %s kept the cache key %s", name, k)
		}
	}
	ca := filepath.Join(t.TempDir(), "x.crt")
	if err := os.WriteFile(ca, []byte("pem"), 0o644); err != nil {
		t.Fatal(err)
	}
	withCA := &ImageBuilder{Mirror: "http://a", SecurityMirror: "http://b", ExtraCAs: []string{ca}}
	if withCA.cacheKey(BaseImages[0], "") == b.cacheKey(BaseImages[0], "") {
		t.Error("extra CAs do not change the base key")
	}
}

// TestBaseImagesShape pins the names the look-alikes are pushed under:
// wharf's defaults, what examples/ and `wharf init` write.
func TestBaseImagesShape(t *testing.T) {
	refs := map[string]BaseImage{}
	for _, img := range BaseImages {
		refs[img.Ref] = img
		if img.From != "" {
			if _, ok := refs[img.From]; !ok {
				t.Errorf("%s starts From %s, which is not an earlier recipe", img.Ref, img.From)
			}
		}
	}
	for _, ref := range []string{
		"debian:bookworm-slim", "python:3.13-slim", "golang:1.26-trixie",
		"node:24-trixie-slim",
		"gcr.io/distroless/static-debian12", "gcr.io/distroless/base-debian12", "gcr.io/distroless/cc-debian12",
		"gcr.io/distroless/static-debian13", "gcr.io/distroless/base-debian13", "gcr.io/distroless/cc-debian13",
		"gcr.io/distroless/python3-debian13",
		"rust:1-trixie", "maven:3.9-eclipse-temurin-21", "eclipse-temurin:21-jre",
	} {
		img, ok := refs[ref]
		if !ok {
			t.Errorf("no base image %s", ref)
			continue
		}
		if img.Internal {
			t.Errorf("%s is internal: it would not be pushed", ref)
		}
		if strings.HasPrefix(ref, "gcr.io/distroless/") != img.Distroless {
			t.Errorf("%s: Distroless = %v", ref, img.Distroless)
		}
	}
	if !slices.Contains(refs["python:3.13-slim"].Tags, "3.13-slim-trixie") {
		t.Error("python:3.13-slim-trixie is not pushed")
	}
	if slices.Contains(refs["python:3.13-slim"].Packages, "gcc") {
		t.Error("the python image must not have gcc")
	}
	// wharf's Dockerfiles mount caches over these folders; the offline
	// settings must live elsewhere.
	if !strings.Contains(refs["rust:1-trixie"].Script, "> /usr/local/cargo/config.toml") {
		t.Error("the rust image's Cargo config is not $CARGO_HOME/config.toml")
	}
	if !strings.Contains(refs["maven:3.9-eclipse-temurin-21"].Script, "> /usr/share/maven/conf/settings.xml") {
		t.Error("the maven image's settings are not Maven's global settings.xml")
	}
	if !refs["gcr.io/distroless/static-debian12"].Arm64 {
		t.Error("no arm64 variant of distroless static")
	}
}

func TestNormalizeProject(t *testing.T) {
	for in, want := range map[string]string{"Flask": "flask", "jaraco.text": "jaraco-text", "typing_extensions": "typing-extensions", "A-_.b": "a-b"} {
		if got := NormalizeProject(in); got != want {
			t.Errorf("NormalizeProject(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoadExpectIsStrict(t *testing.T) {
	dir := t.TempDir()
	write := func(content string) string {
		p := filepath.Join(dir, "expect.yaml")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := LoadExpect(write("stdout: \"x\\n\"\nfiles_presnt: [/a]\n")); err == nil || !strings.Contains(err.Error(), "files_presnt") {
		t.Errorf("typo key: err = %v, want unknown field error", err)
	}
	if _, err := LoadExpect(write("user: \"1\"\n")); err == nil {
		t.Error("missing stdout accepted")
	}
	e, err := LoadExpect(write("stdout: \"hi\\n\"\nuser: \"10001\"\nhealthcheck: [CMD, /x]\nenv: {A: b}\nexpose: [8080/tcp]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Stdout != "hi\n" || e.User != "10001" || !slices.Equal(e.Healthcheck, []string{"CMD", "/x"}) || e.Env["A"] != "b" || e.Expose[0] != "8080/tcp" {
		t.Errorf("decoded %+v", e)
	}
}

// fakeImage lays out a bundle like umoci's, with the given files in rootfs
// and uid in config.json.
func fakeImage(t *testing.T, uid int, files ...string) *Image {
	t.Helper()
	b := t.TempDir()
	if err := os.MkdirAll(filepath.Join(b, "rootfs"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		p := filepath.Join(b, "rootfs", f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// /bin -> usr/bin, as in a merged-/usr Debian; /abs -> /usr (absolute).
	if err := os.Symlink("usr/bin", filepath.Join(b, "rootfs", "bin")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/usr", filepath.Join(b, "rootfs", "abs")); err != nil {
		t.Fatal(err)
	}
	spec := map[string]any{"process": map[string]any{"user": map[string]any{"uid": uid, "gid": uid}, "terminal": true}}
	dt, _ := json.Marshal(spec)
	if err := os.WriteFile(filepath.Join(b, "config.json"), dt, 0o644); err != nil {
		t.Fatal(err)
	}
	return &Image{Bundle: b, Config: &v1.ConfigFile{Config: v1.Config{
		User:         "app",
		Env:          []string{"PATH=/usr/bin", "PORT=8080"},
		Labels:       map[string]string{"a": "b"},
		Healthcheck:  &v1.HealthConfig{Test: []string{"CMD", "/x"}},
		ExposedPorts: map[string]struct{}{"8080/tcp": {}},
	}}}
}

func TestExistsResolvesInsideRootfs(t *testing.T) {
	im := fakeImage(t, 0, "usr/bin/sh", "app/x")
	for path, want := range map[string]bool{
		"/usr/bin/sh": true, "/bin/sh": true, "/abs/bin/sh": true, "/app/x": true,
		"/app/x/y": false, "/bin/bash": false, "/nope": false, "/bin": true,
	} {
		got, err := im.Exists(path)
		if err != nil || got != want {
			t.Errorf("Exists(%s) = %v, %v; want %v", path, got, err, want)
		}
	}
}

func TestCheckReportsEveryMismatch(t *testing.T) {
	im := fakeImage(t, 10001, "usr/local/bin/app")
	good := &Expect{
		Stdout:       "ok\n",
		User:         "10001",
		FilesPresent: []string{"/usr/local/bin/app"},
		FilesAbsent:  []string{"/usr/bin/gcc"},
		Env:          map[string]string{"PORT": "8080"},
		Labels:       map[string]string{"a": "b"},
		Healthcheck:  []string{"CMD", "/x"},
		Expose:       []string{"8080/tcp"},
	}
	if bad := good.Check(im, &RunResult{Stdout: "ok\n"}); len(bad) != 0 {
		t.Fatalf("matching image flagged: %q", bad)
	}

	wrong := &Expect{
		Stdout:       "other\n",
		User:         "0",
		FilesPresent: []string{"/missing"},
		FilesAbsent:  []string{"/usr/local/bin/app"},
		Env:          map[string]string{"PORT": "9090", "NOPE": ""},
		Labels:       map[string]string{"a": "c"},
		Healthcheck:  []string{"NONE"},
		Expose:       []string{"9090/tcp"},
	}
	bad := wrong.Check(im, &RunResult{Stdout: "ok\n", ExitCode: 1})
	for _, prefix := range []string{"exit status 1", "stdout:", "user:", "file /missing", "file /usr/local/bin/app", "env PORT", "env NOPE", "label a", "healthcheck", "exposed port 9090/tcp"} {
		if !slices.ContainsFunc(bad, func(m string) bool { return strings.HasPrefix(m, prefix) }) {
			t.Errorf("no mismatch starting %q in %q", prefix, bad)
		}
	}
}

func TestPrepareRuntimeConfig(t *testing.T) {
	im := fakeImage(t, 0)
	if err := im.prepareRuntimeConfig(); err != nil {
		t.Fatal(err)
	}
	spec, err := im.RuntimeSpec()
	if err != nil {
		t.Fatal(err)
	}
	if spec["process"].(map[string]any)["terminal"] != false {
		t.Error("terminal not turned off")
	}
	nss := spec["linux"].(map[string]any)["namespaces"].([]any)
	if len(nss) != 1 || nss[0].(map[string]any)["type"] != "network" {
		t.Errorf("namespaces = %v, want a network namespace", nss)
	}
}

func TestEnsureTag(t *testing.T) {
	dir := t.TempDir()
	idx := `{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:00","size":1}]}`
	if err := os.WriteFile(filepath.Join(dir, "index.json"), []byte(idx), 0o644); err != nil {
		t.Fatal(err)
	}
	tag, err := ensureTag(dir)
	if err != nil || tag != "latest" {
		t.Fatalf("ensureTag = %q, %v; want latest", tag, err)
	}
	if tag, err = ensureTag(dir); err != nil || tag != "latest" {
		t.Fatalf("second ensureTag = %q, %v; want the written tag", tag, err)
	}
}

// TestPruneImagesKeepsOtherRecipes: only superseded layouts of current
// recipes go; another branch's recipes sharing the cache stay.
func TestPruneImagesKeepsOtherRecipes(t *testing.T) {
	cache := t.TempDir()
	dir := func(name string) string { return filepath.Join(cache, "images", name) }
	for _, n := range []string{"library_rust_1-trixie-1111111111111111", "library_rust_1-trixie-2222222222222222", "library_other_x-3333333333333333"} {
		if err := os.MkdirAll(dir(n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	b := &ImageBuilder{CacheDir: cache, Log: t.Logf}
	b.pruneImages([]string{dir("library_rust_1-trixie-2222222222222222")})
	for n, want := range map[string]bool{
		"library_rust_1-trixie-1111111111111111": false, // superseded
		"library_rust_1-trixie-2222222222222222": true,  // current
		"library_other_x-3333333333333333":       true,  // not ours
	} {
		_, err := os.Stat(dir(n))
		if got := err == nil; got != want {
			t.Errorf("%s kept = %v, want %v", n, got, want)
		}
	}
}
