package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wharf-dev/wharf/e2e/harness"
)

// TestSecretNotInBuilder builds cases/python-secret's builder target, where
// the netrc was mounted for both pip wheel steps, and scans its blobs for
// the canary (TestCases scans the runner); and requires the build to fail
// without the secret (required=true).
func TestSecretNotInBuilder(t *testing.T) {
	requireE2E(t)
	dir, err := filepath.Abs("cases/python-secret")
	if err != nil {
		t.Fatal(err)
	}
	exp, err := harness.LoadExpect(filepath.Join(dir, "expect.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(exp.Secrets) == 0 || len(exp.SecretAbsent) == 0 {
		t.Fatal("cases/python-secret/expect.yaml names no secrets or canaries")
	}
	ctxDir := generateCase(t, dir)
	b := buildTarget(t, ctxDir, "builder", nil, exp.Secrets)
	for _, canary := range exp.SecretAbsent {
		found, err := b.BlobsContaining([]byte(canary))
		if err != nil {
			t.Fatal(err)
		}
		if len(found) > 0 {
			t.Errorf("builder image: %q found in %v", canary, found)
		}
	}

	e := requireE2E(t)
	log, err := e.daemon.Build(context.Background(), e.tools, harness.BuildRequest{
		ContextDir: ctxDir, DockerfileDir: ctxDir, Target: "runner",
		OutputTar: filepath.Join(t.TempDir(), "image.tar"), NoCache: true,
	})
	if err == nil {
		t.Errorf("build without the pip_netrc secret succeeded; want a failure (required=true):\n%s", log)
	} else if !strings.Contains(log, "pip_netrc") {
		t.Errorf("build without the secret failed, but not naming pip_netrc: %v\n%s", err, log)
	}
}

// TestBlobsContaining checks the scanner that secret_absent relies on: it
// finds a string in a plain blob and inside a gzip layer.
func TestBlobsContaining(t *testing.T) {
	layout := t.TempDir()
	blobs := filepath.Join(layout, "blobs", "sha256")
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("root/.netrc\x00machine x password CANARY-GZ\n"))
	zw.Close()
	for name, dt := range map[string][]byte{
		"layer":  gz.Bytes(),
		"config": []byte(`{"history":[{"created_by":"RUN echo CANARY-CFG"}]}`),
		"clean":  []byte("nothing here"),
	} {
		if err := os.WriteFile(filepath.Join(blobs, name), dt, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	im := &harness.Image{Layout: layout}
	for needle, want := range map[string]string{"CANARY-GZ": "layer (decompressed)", "CANARY-CFG": "config", "ABSENT": ""} {
		found, err := im.BlobsContaining([]byte(needle))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(found, ","); got != want {
			t.Errorf("%s: found in %q, want %q", needle, got, want)
		}
	}
}
