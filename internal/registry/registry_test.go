package registry_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/wharf-dev/wharf/internal/registry"
	"github.com/wharf-dev/wharf/internal/registry/registrytest"
)

// newClient returns a client that uses no credentials from the machine.
func newClient(opts registry.Options) *registry.Client {
	if opts.Keychain == nil {
		opts.Keychain = authn.NewMultiKeychain()
	}
	return registry.New(opts)
}

func start(t *testing.T, wrap func(http.Handler) http.Handler) *registrytest.Registry {
	t.Helper()
	r := registrytest.Start(wrap)
	t.Cleanup(r.Close)
	return r
}

func TestResolveTag(t *testing.T) {
	r := start(t, nil)
	want, err := r.PushImage("python:3.12-slim", "linux/arm64/v8")
	if err != nil {
		t.Fatal(err)
	}
	digest, platforms, err := newClient(registry.Options{}).Resolve(context.Background(), r.Ref("python:3.12-slim"))
	if err != nil {
		t.Fatal(err)
	}
	if digest != want {
		t.Errorf("digest = %s, want %s", digest, want)
	}
	if diff := cmp.Diff([]string{"linux/arm64/v8"}, platforms); diff != "" {
		t.Errorf("platforms (-want +got):\n%s", diff)
	}
}

// A multi-platform tag pins to the index, not to one platform's image,
// and lists the index's platforms without attestation manifests.
func TestResolveIndex(t *testing.T) {
	r := start(t, nil)
	want, err := r.PushIndex("node:24", "linux/arm64", "linux/amd64", "linux/arm/v7")
	if err != nil {
		t.Fatal(err)
	}
	digest, platforms, err := newClient(registry.Options{}).Resolve(context.Background(), r.Ref("node:24"))
	if err != nil {
		t.Fatal(err)
	}
	if digest != want {
		t.Errorf("digest = %s, want the index's %s", digest, want)
	}
	if diff := cmp.Diff([]string{"linux/amd64", "linux/arm/v7", "linux/arm64"}, platforms); diff != "" {
		t.Errorf("platforms (-want +got):\n%s", diff)
	}
}

// A reference without a tag means latest.
func TestResolveLatest(t *testing.T) {
	r := start(t, nil)
	want, err := r.PushImage("distroless/static:latest", "linux/amd64")
	if err != nil {
		t.Fatal(err)
	}
	digest, _, err := newClient(registry.Options{}).Resolve(context.Background(), r.Ref("distroless/static"))
	if err != nil {
		t.Fatal(err)
	}
	if digest != want {
		t.Errorf("digest = %s, want %s", digest, want)
	}
}

func TestResolveErrors(t *testing.T) {
	r := start(t, nil)
	if _, err := r.PushImage("python:3.12-slim", "linux/amd64"); err != nil {
		t.Fatal(err)
	}
	down := registrytest.Start(nil)
	down.Close()
	denied := start(t, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`))
		})
	})
	for _, tc := range []struct {
		name, ref string
		want      []string
	}{
		{"missing tag", r.Ref("python:3.99"), []string{"resolve " + r.Ref("python:3.99"), "the tag does not exist in " + r.Host, "MANIFEST_UNKNOWN", "check its spelling"}},
		{"missing repository", r.Ref("pyhton:3.12-slim"), []string{"the repository does not exist", "NAME_UNKNOWN"}},
		{"registry down", down.Ref("python:3.12-slim"), []string{"cannot reach registry " + down.Host, "check its address"}},
		{"unauthorized", denied.Ref("private/app:1"), []string{"refused access (401 Unauthorized)", "docker login " + denied.Host}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := newClient(registry.Options{}).Resolve(context.Background(), tc.ref)
			if err == nil {
				t.Fatal("Resolve succeeded, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// A registry that never answers fails after the timeout, not later.
func TestResolveTimeout(t *testing.T) {
	release := make(chan struct{})
	r := start(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			select {
			case <-release:
			case <-req.Context().Done():
			}
		})
	})
	defer close(release) // before r.Close, which waits for handlers
	start := time.Now()
	_, _, err := newClient(registry.Options{Timeout: 200 * time.Millisecond}).Resolve(context.Background(), r.Ref("python:3.12-slim"))
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("Resolve succeeded, want a timeout")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v is not context.DeadlineExceeded", err)
	}
	if !strings.Contains(err.Error(), "did not answer within 200ms") || !strings.Contains(err.Error(), "--timeout") {
		t.Errorf("error %q does not name the timeout and the flag", err)
	}
	if elapsed > 5*time.Second {
		t.Errorf("Resolve took %s with a 200ms timeout", elapsed)
	}
}

// Plain HTTP goes only to loopback registries and those named insecure;
// go-containerregistry would otherwise fall back to it for private-network
// addresses.
func TestPlainHTTP(t *testing.T) {
	for _, tc := range []struct {
		ref      string
		insecure []string
		plain    bool
	}{
		{"10.1.2.3:5000/app:1", nil, false},
		{"10.1.2.3:5000/app:1", []string{"10.1.2.3:5000"}, true},
		{"registry.internal/app:1", []string{"registry.internal"}, true},
		{"localhost:5000/app:1", nil, true},
		{"127.0.0.2:5000/app:1", nil, true},
		{"[::1]:5000/app:1", nil, true},
		{"ghcr.io/org/app:1", nil, false},
	} {
		var mu sync.Mutex
		var sent []string
		record := roundTripper(func(req *http.Request) (*http.Response, error) {
			mu.Lock()
			defer mu.Unlock()
			sent = append(sent, req.URL.Scheme+"://"+req.URL.Host)
			return nil, errors.New("no network in tests")
		})
		_, _, err := newClient(registry.Options{Insecure: tc.insecure, Transport: record}).Resolve(context.Background(), tc.ref)
		if err == nil {
			t.Fatalf("%s: Resolve succeeded without a network", tc.ref)
		}
		mu.Lock()
		var plain bool
		for _, s := range sent {
			plain = plain || strings.HasPrefix(s, "http://")
		}
		if plain != tc.plain {
			t.Errorf("%s (insecure %v): sent %v; plain HTTP = %v, want %v", tc.ref, tc.insecure, sent, plain, tc.plain)
		}
		mu.Unlock()
	}
}

// A private-network registry that fails over HTTPS is not tried over
// plain HTTP, and the error says how to allow it.
func TestPlainHTTPRefused(t *testing.T) {
	fail := roundTripper(func(*http.Request) (*http.Response, error) { return nil, errors.New("tls: handshake failure") })
	_, _, err := newClient(registry.Options{Transport: fail}).Resolve(context.Background(), "10.1.2.3:5000/app:1")
	if !errors.Is(err, registry.ErrPlainHTTP) {
		t.Fatalf("error %v is not ErrPlainHTTP", err)
	}
	if !strings.Contains(err.Error(), "pass --insecure-registry 10.1.2.3:5000") {
		t.Errorf("error %q does not say how to allow plain HTTP", err)
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// Tags lists a repository's tags with the client's options; a repository
// the registry lacks matches ErrNotFound, a registry that is down does not.
func TestTags(t *testing.T) {
	r := start(t, nil)
	for _, tag := range []string{"3.13-slim", "3.14-slim"} {
		if _, err := r.PushImage("python:"+tag, "linux/amd64"); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(registry.Options{})
	tags, err := c.Tags(context.Background(), r.Host+"/python")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"3.13-slim", "3.14-slim"}, tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	_, err = c.Tags(context.Background(), r.Host+"/pyhton")
	if !errors.Is(err, registry.ErrNotFound) || !strings.Contains(err.Error(), "list the tags of "+r.Host+"/pyhton") {
		t.Errorf("missing repository: err = %v, want ErrNotFound naming it", err)
	}
	down := registrytest.Start(nil)
	down.Close()
	_, err = c.Tags(context.Background(), down.Host+"/python")
	if err == nil || errors.Is(err, registry.ErrNotFound) || !strings.Contains(err.Error(), "cannot reach registry") {
		t.Errorf("registry down: err = %v, want a reach error that is not ErrNotFound", err)
	}
}
