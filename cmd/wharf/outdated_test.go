package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wharf-dev/wharf/cmd/wharf/internal/cli"
)

// A registry that accepts connections but never answers makes outdated
// fail with exit 2 once --timeout has passed, naming the registry and the
// flag; it does not hang.
func TestOutdatedRegistryTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	host := strings.TrimPrefix(srv.URL, "http://")
	dir := t.TempDir()
	spec := "version: 1\nname: hang\nlanguage: go\ngo: {main: .}\nimages:\n  builder: " + host + "/golang:1.26-bookworm\n  runner: scratch\n"
	if err := os.WriteFile(filepath.Join(dir, "wharf.yaml"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := cli.Run([]string{"outdated", "--timeout", "500ms", dir}, nil, &stdout, &stderr)
	elapsed := time.Since(start)
	if code != 2 {
		t.Errorf("exit code %d, want 2; stderr:\n%s", code, stderr.String())
	}
	if elapsed > 5*time.Second {
		t.Errorf("outdated took %s with --timeout 500ms", elapsed)
	}
	for _, want := range []string{"registry " + host + " did not answer within 500ms", "raise --timeout"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not contain %q:\n%s", want, stderr.String())
		}
	}
	t.Logf("exit 2 after %s", elapsed)
}
