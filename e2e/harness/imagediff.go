package harness

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// ManifestDigest returns the digest of the only image manifest of the OCI
// image tarball ociTar (what a registry would name the image by), read
// from its index.json.
func ManifestDigest(ociTar string) (string, error) {
	out, err := exec.Command("tar", "-xOf", ociTar, "index.json").Output()
	if err != nil {
		return "", fmt.Errorf("read index.json of %s: %w", ociTar, err)
	}
	var idx v1.IndexManifest
	if err := json.Unmarshal(out, &idx); err != nil {
		return "", fmt.Errorf("%s: index.json: %w", ociTar, err)
	}
	if len(idx.Manifests) != 1 {
		return "", fmt.Errorf("%s: want 1 manifest, have %d", ociTar, len(idx.Manifests))
	}
	return idx.Manifests[0].Digest.String(), nil
}

// entry is one tar header of a layer, with its content's hash.
type entry struct {
	hdr  *tar.Header
	sum  string
	text []byte // the content, when it is short UTF-8 text
}

// maxText is the largest file whose content a difference prints.
const maxText = 4096

// DiffImages compares the images of two OCI image tarballs file by file:
// the config, then each layer (the same index in both) as a tar stream,
// entry by entry (type, mode, owner, size, mtime, link target, content).
// It returns one line per difference, a short text file's two contents
// included; nothing when the images hold the same files and config.
func DiffImages(tarA, tarB, work string) ([]string, error) {
	var imgs [2]v1.Image
	for i, tb := range []string{tarA, tarB} {
		dir := filepath.Join(work, fmt.Sprintf("layout-%d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if out, err := exec.Command("tar", "-xf", tb, "-C", dir).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("extract %s: %w\n%s", tb, err, out)
		}
		img, err := layoutImage(dir)
		if err != nil {
			return nil, err
		}
		imgs[i] = img
	}
	var diffs []string
	cfgs := [2][]byte{}
	for i, img := range imgs {
		b, err := img.RawConfigFile()
		if err != nil {
			return nil, err
		}
		cfgs[i] = b
	}
	if !bytes.Equal(cfgs[0], cfgs[1]) {
		diffs = append(diffs, fmt.Sprintf("image config differs:\n  a: %s\n  b: %s", cfgs[0], cfgs[1]))
	}
	layers := [2][]v1.Layer{}
	for i, img := range imgs {
		ls, err := img.Layers()
		if err != nil {
			return nil, err
		}
		layers[i] = ls
	}
	if len(layers[0]) != len(layers[1]) {
		return append(diffs, fmt.Sprintf("layer count differs: %d against %d", len(layers[0]), len(layers[1]))), nil
	}
	for n := range layers[0] {
		da, _ := layers[0][n].Digest()
		db, _ := layers[1][n].Digest()
		if da == db {
			continue
		}
		ea, orderA, err := layerEntries(layers[0][n])
		if err != nil {
			return nil, err
		}
		eb, orderB, err := layerEntries(layers[1][n])
		if err != nil {
			return nil, err
		}
		before := len(diffs)
		diffs = append(diffs, diffEntries(n, ea, eb)...)
		if len(diffs) == before {
			if strings.Join(orderA, "\n") != strings.Join(orderB, "\n") {
				diffs = append(diffs, fmt.Sprintf("layer %d: the same entries in another order", n))
			} else {
				diffs = append(diffs, fmt.Sprintf("layer %d: the same entries, but the blobs differ (%s against %s): compression or tar headers not compared here", n, da, db))
			}
		}
	}
	return diffs, nil
}

// layerEntries reads a layer's uncompressed tar: its entries by path, and
// the paths in tar order.
func layerEntries(l v1.Layer) (map[string]entry, []string, error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return nil, nil, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	m := map[string]entry{}
	var order []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		h := sha256.New()
		var text bytes.Buffer
		w := io.Writer(h)
		if hdr.Size <= maxText {
			w = io.MultiWriter(h, &text)
		}
		if _, err := io.Copy(w, tr); err != nil {
			return nil, nil, err
		}
		e := entry{hdr: hdr, sum: hex.EncodeToString(h.Sum(nil))[:16]}
		if hdr.Size <= maxText && utf8.Valid(text.Bytes()) {
			e.text = text.Bytes()
		}
		name := "/" + strings.TrimPrefix(hdr.Name, "./")
		m[name] = e
		order = append(order, name)
	}
	return m, order, nil
}

// diffEntries lists the differences between one layer's entries in two
// images.
func diffEntries(n int, a, b map[string]entry) []string {
	names := map[string]bool{}
	for k := range a {
		names[k] = true
	}
	for k := range b {
		names[k] = true
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var out []string
	for _, name := range sorted {
		ea, inA := a[name]
		eb, inB := b[name]
		switch {
		case !inA:
			out = append(out, fmt.Sprintf("layer %d: %s only in b", n, name))
			continue
		case !inB:
			out = append(out, fmt.Sprintf("layer %d: %s only in a", n, name))
			continue
		}
		var what []string
		ha, hb := ea.hdr, eb.hdr
		if ha.Typeflag != hb.Typeflag {
			what = append(what, fmt.Sprintf("type %c/%c", ha.Typeflag, hb.Typeflag))
		}
		if ha.Mode != hb.Mode {
			what = append(what, fmt.Sprintf("mode %o/%o", ha.Mode, hb.Mode))
		}
		if ha.Uid != hb.Uid || ha.Gid != hb.Gid {
			what = append(what, fmt.Sprintf("owner %d:%d/%d:%d", ha.Uid, ha.Gid, hb.Uid, hb.Gid))
		}
		if !ha.ModTime.Equal(hb.ModTime) {
			what = append(what, fmt.Sprintf("mtime %s/%s", ha.ModTime.UTC().Format("2006-01-02T15:04:05Z"), hb.ModTime.UTC().Format("2006-01-02T15:04:05Z")))
		}
		if ha.Linkname != hb.Linkname {
			what = append(what, fmt.Sprintf("link %q/%q", ha.Linkname, hb.Linkname))
		}
		if !equalXattrs(ha.PAXRecords, hb.PAXRecords) {
			what = append(what, fmt.Sprintf("pax records %v/%v", ha.PAXRecords, hb.PAXRecords))
		}
		if ea.sum != eb.sum {
			what = append(what, fmt.Sprintf("content (%d bytes, sha256 %s; %d bytes, sha256 %s)", ha.Size, ea.sum, hb.Size, eb.sum))
		}
		if len(what) == 0 {
			continue
		}
		line := fmt.Sprintf("layer %d: %s: %s", n, name, strings.Join(what, ", "))
		if ea.sum != eb.sum && ea.text != nil && eb.text != nil {
			line += fmt.Sprintf("\n    a: %q\n    b: %q", ea.text, eb.text)
		}
		out = append(out, line)
	}
	return out
}

func equalXattrs(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
