package harness

import (
	"archive/tar"
	"bytes"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// ociTar writes a one-layer OCI image of files (path to content, all
// with mtime) as an OCI layout tarball in dir and returns its path.
func ociTar(t *testing.T, dir string, files map[string]string, mtime time.Time) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range []string{"etc/a", "etc/b", "var/log/dpkg.log"} {
		body, ok := files[name]
		if !ok {
			continue
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), ModTime: mtime, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(buf.Bytes())), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	if img, err = mutate.AppendLayers(img, layer); err != nil {
		t.Fatal(err)
	}
	lp := filepath.Join(dir, "layout")
	p, err := layout.Write(lp, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "image.tar")
	if b, err := exec.Command("tar", "-cf", out, "-C", lp, "index.json", "oci-layout", "blobs").CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, b)
	}
	return out
}

// TestDiffImages checks that DiffImages finds nothing between two equal
// images, and names the file, the kind of difference and a short file's
// two contents between different ones; ManifestDigest tells them apart.
func TestDiffImages(t *testing.T) {
	t0 := time.Unix(1767225600, 0)
	files := map[string]string{"etc/a": "same\n", "var/log/dpkg.log": "2026-11-29 06:39:54 install tini\n"}
	a := ociTar(t, t.TempDir(), files, t0)
	b := ociTar(t, t.TempDir(), files, t0)
	da, err := ManifestDigest(a)
	if err != nil {
		t.Fatal(err)
	}
	if db, _ := ManifestDigest(b); db != da {
		t.Fatalf("equal images: digests %s and %s", da, db)
	}
	if diffs, err := DiffImages(a, b, t.TempDir()); err != nil || len(diffs) != 0 {
		t.Fatalf("equal images: %q, %v", diffs, err)
	}

	other := map[string]string{"etc/a": "same\n", "etc/b": "new\n", "var/log/dpkg.log": "2026-11-29 06:39:58 install tini\n"}
	c := ociTar(t, t.TempDir(), other, t0.Add(time.Hour))
	if dc, _ := ManifestDigest(c); dc == da {
		t.Fatalf("different images, one digest %s", dc)
	}
	diffs, err := DiffImages(a, c, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(diffs, "\n")
	for _, want := range []string{
		"image config differs",
		"layer 0: /etc/a: mtime 2026-01-01T00:00:00Z/2026-01-01T01:00:00Z",
		"layer 0: /etc/b only in b",
		"layer 0: /var/log/dpkg.log: mtime",
		"content (33 bytes",
		`a: "2026-11-29 06:39:54 install tini\n"`,
		`b: "2026-11-29 06:39:58 install tini\n"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diff lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "/etc/a: content") {
		t.Errorf("diff names /etc/a's content, which is the same:\n%s", got)
	}
}
