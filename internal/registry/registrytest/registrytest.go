// Package registrytest runs a container registry in the test process and
// pushes small random images to it, for tests of wharf lock that must not
// touch the network.
package registrytest

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Registry is an in-memory registry on a loopback httptest server.
type Registry struct {
	Server *httptest.Server
	// Host is the registry's host:port, e.g. 127.0.0.1:41234.
	Host string
}

// Start starts a registry. wrap, if not nil, wraps its handler, e.g. to
// slow it down or to fail some requests. Close it when done.
func Start(wrap func(http.Handler) http.Handler) *Registry {
	var h http.Handler = registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	return &Registry{Server: srv, Host: strings.TrimPrefix(srv.URL, "http://")}
}

// Close stops the registry.
func (r *Registry) Close() { r.Server.Close() }

// Ref returns repoTag ("python:3.12-slim") as a reference into r.
func (r *Registry) Ref(repoTag string) string { return r.Host + "/" + repoTag }

// PushImage pushes a new random single-platform image, e.g. "linux/amd64",
// to repoTag and returns its digest.
func (r *Registry) PushImage(repoTag, platform string) (string, error) {
	img, err := image(platform)
	if err != nil {
		return "", err
	}
	ref, err := name.ParseReference(r.Ref(repoTag))
	if err != nil {
		return "", err
	}
	if err := remote.Write(ref, img); err != nil {
		return "", err
	}
	d, err := img.Digest()
	return d.String(), err
}

// PushIndex pushes a new multi-platform index, one random image a
// platform plus an attestation manifest (platform unknown/unknown, as
// BuildKit writes them), to repoTag and returns the index's digest.
func (r *Registry) PushIndex(repoTag string, platforms ...string) (string, error) {
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, p := range append(platforms, "unknown/unknown") {
		img, err := image(p)
		if err != nil {
			return "", err
		}
		plat, err := v1.ParsePlatform(p)
		if err != nil {
			return "", err
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: plat}})
	}
	ref, err := name.ParseReference(r.Ref(repoTag))
	if err != nil {
		return "", err
	}
	if err := remote.WriteIndex(ref, idx); err != nil {
		return "", err
	}
	d, err := idx.Digest()
	return d.String(), err
}

func image(platform string) (v1.Image, error) {
	img, err := random.Image(256, 1)
	if err != nil {
		return nil, err
	}
	p, err := v1.ParsePlatform(platform)
	if err != nil {
		return nil, fmt.Errorf("platform %q: %w", platform, err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture, cfg.Variant = p.OS, p.Architecture, p.Variant
	return mutate.ConfigFile(img, cfg)
}
