// Package registry resolves image tags to digests through the registry API.
// It is the only package of wharf that talks to a registry, and the only
// one that imports go-containerregistry.
package registry

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// DefaultTimeout bounds how long Resolve waits for one image.
const DefaultTimeout = 30 * time.Second

// Options configure a Client.
type Options struct {
	// Insecure names registries, as host or host:port, that may be reached
	// over plain HTTP. Loopback registries (localhost, 127.0.0.0/8, ::1)
	// always may; every other registry must speak HTTPS.
	Insecure []string
	// Timeout bounds each Resolve; zero means DefaultTimeout.
	Timeout time.Duration
	// Keychain finds credentials; nil means authn.DefaultKeychain, which
	// reads the Docker config and its credential helpers.
	Keychain authn.Keychain
	// Transport sends the requests; nil means remote.DefaultTransport.
	Transport http.RoundTripper
	// UserAgent is sent with every request.
	UserAgent string
}

// Client resolves image references against their registries.
type Client struct {
	opts Options
}

// New returns a Client with opts.
func New(opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Keychain == nil {
		opts.Keychain = authn.DefaultKeychain
	}
	if opts.Transport == nil {
		opts.Transport = remote.DefaultTransport
	}
	return &Client{opts: opts}
}

// Resolve returns the digest ref points to now and the platforms it
// covers, os/arch[/variant], sorted. For a multi-platform tag the digest
// is the index's, so a pin on it is valid on every platform.
func (c *Client) Resolve(ctx context.Context, ref string) (digest string, platforms []string, err error) {
	parsed, err := name.ParseReference(ref)
	if err == nil {
		parsed, err = name.ParseReference(ref, c.insecure(parsed.Context().RegistryStr())...)
	}
	if err != nil {
		return "", nil, fmt.Errorf("%s is not a valid image reference: %w", ref, err)
	}
	host := parsed.Context().RegistryStr()
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	desc, err := remote.Get(parsed, c.remoteOptions(ctx)...)
	if err == nil {
		platforms, err = platformsOf(desc)
	}
	if err != nil {
		return "", nil, c.explain(ctx, "resolve "+ref, host, err)
	}
	return desc.Digest.String(), platforms, nil
}

// Tags returns the tags of repo (an image reference without tag or
// digest, e.g. python or ghcr.io/org/base), in the registry's order. It
// asks with the credentials, transport and timeout Resolve uses. A
// repository the registry does not have returns an error that matches
// ErrNotFound.
func (c *Client) Tags(ctx context.Context, repo string) ([]string, error) {
	parsed, err := name.NewRepository(repo)
	if err == nil {
		parsed, err = name.NewRepository(repo, c.insecure(parsed.RegistryStr())...)
	}
	if err != nil {
		return nil, fmt.Errorf("%s is not a valid repository: %w", repo, err)
	}
	host := parsed.RegistryStr()
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	tags, err := remote.List(parsed, c.remoteOptions(ctx)...)
	if err != nil {
		return nil, c.explain(ctx, "list the tags of "+repo, host, err)
	}
	return tags, nil
}

// insecure returns the name options of references into host: plain
// HTTP allowed when host may be reached so.
func (c *Client) insecure(host string) []name.Option {
	if c.plainHTTPAllowed(host) {
		return []name.Option{name.Insecure}
	}
	return nil
}

// remoteOptions are the options of every request: ctx, the credentials,
// the transport that refuses plain HTTP where it is not allowed, and the
// user agent.
func (c *Client) remoteOptions(ctx context.Context) []remote.Option {
	opts := []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(c.opts.Keychain),
		remote.WithTransport(&httpsOnly{next: c.opts.Transport, allowed: c.plainHTTPAllowed}),
	}
	if c.opts.UserAgent != "" {
		opts = append(opts, remote.WithUserAgent(c.opts.UserAgent))
	}
	return opts
}

// platformsOf returns the platforms desc covers: those of an index's
// images, or the one an image's config names.
func platformsOf(desc *remote.Descriptor) ([]string, error) {
	var platforms []string
	add := func(p *v1.Platform) {
		// Attestation manifests in an index say unknown/unknown.
		if p == nil || p.OS == "" || p.OS == "unknown" || p.Architecture == "unknown" {
			return
		}
		s := p.OS + "/" + p.Architecture
		if p.Variant != "" {
			s += "/" + p.Variant
		}
		if !slices.Contains(platforms, s) {
			platforms = append(platforms, s)
		}
	}
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, err
		}
		m, err := idx.IndexManifest()
		if err != nil {
			return nil, err
		}
		for _, d := range m.Manifests {
			add(d.Platform)
		}
	} else {
		img, err := desc.Image()
		if err != nil {
			return nil, err
		}
		cfg, err := img.ConfigFile()
		if err != nil {
			return nil, err
		}
		add(cfg.Platform())
	}
	slices.Sort(platforms)
	return platforms, nil
}

// plainHTTPAllowed reports whether host (host or host:port) may be
// reached over plain HTTP: it is a loopback address or named in Insecure.
func (c *Client) plainHTTPAllowed(host string) bool {
	if slices.Contains(c.opts.Insecure, host) {
		return true
	}
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	if slices.Contains(c.opts.Insecure, h) {
		return true
	}
	h = strings.Trim(h, "[]")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// ErrPlainHTTP is returned for a request that would go over plain HTTP to
// a registry not allowed to take it.
var ErrPlainHTTP = errors.New("plain HTTP refused")

// httpsOnly refuses plain HTTP requests to hosts not allowed them.
// go-containerregistry falls back to HTTP for private-network addresses;
// wharf does so only when told.
type httpsOnly struct {
	next    http.RoundTripper
	allowed func(host string) bool
}

func (t *httpsOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme == "http" && !t.allowed(req.URL.Host) {
		return nil, fmt.Errorf("%w: %s", ErrPlainHTTP, req.URL.Host)
	}
	return t.next.RoundTrip(req)
}

// ErrNotFound matches the error of a tag or repository the registry does
// not have (MANIFEST_UNKNOWN, NAME_UNKNOWN or 404).
var ErrNotFound = errors.New("not found in the registry")

// notFound wraps err so that it matches ErrNotFound as well.
type notFound struct{ error }

func (e notFound) Is(target error) bool { return target == ErrNotFound }

// explain turns err from what (e.g. "resolve python:3.12-slim") into a
// message that says what went wrong and what to do.
func (c *Client) explain(ctx context.Context, what, host string, err error) error {
	ref := what
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: registry %s did not answer within %s; check the network, or raise --timeout: %w", ref, host, c.opts.Timeout, err)
	}
	if errors.Is(err, ErrPlainHTTP) {
		return fmt.Errorf("%s: registry %s does not answer over HTTPS and wharf refuses plain HTTP to it; if you trust the network, pass --insecure-registry %s: %w", ref, host, host, err)
	}
	var terr *transport.Error
	if errors.As(err, &terr) {
		codes := map[transport.ErrorCode]bool{}
		for _, d := range terr.Errors {
			codes[d.Code] = true
		}
		switch {
		case codes[transport.ManifestUnknownErrorCode]:
			return notFound{fmt.Errorf("%s: the tag does not exist in %s (MANIFEST_UNKNOWN); check its spelling, or that it was pushed: %w", ref, host, err)}
		case codes[transport.NameUnknownErrorCode]:
			return notFound{fmt.Errorf("%s: the repository does not exist in %s (NAME_UNKNOWN); check its spelling: %w", ref, host, err)}
		case terr.StatusCode == http.StatusUnauthorized || terr.StatusCode == http.StatusForbidden ||
			codes[transport.UnauthorizedErrorCode] || codes[transport.DeniedErrorCode]:
			return fmt.Errorf("%s: registry %s refused access (%d %s); the repository may not exist, or needs credentials: log in with docker login %s (wharf reads the Docker config and its credential helpers): %w",
				ref, host, terr.StatusCode, http.StatusText(terr.StatusCode), loginHost(host), err)
		case terr.StatusCode == http.StatusNotFound:
			return notFound{fmt.Errorf("%s: not found in %s (404); check the repository and tag: %w", ref, host, err)}
		case terr.StatusCode == http.StatusTooManyRequests:
			return fmt.Errorf("%s: registry %s is rate limiting (429); wait, or log in with docker login %s for a higher limit: %w", ref, host, loginHost(host), err)
		}
		return fmt.Errorf("%s: registry %s answered %d %s: %w", ref, host, terr.StatusCode, http.StatusText(terr.StatusCode), err)
	}
	var nerr net.Error
	var operr *net.OpError
	var dnserr *net.DNSError
	if errors.As(err, &operr) || errors.As(err, &dnserr) || errors.As(err, &nerr) {
		return fmt.Errorf("%s: cannot reach registry %s; check its address and the network: %w", ref, host, err)
	}
	return fmt.Errorf("%s: %w", ref, err)
}

// loginHost is the name docker login takes for host.
func loginHost(host string) string {
	if host == name.DefaultRegistry {
		return "docker.io"
	}
	return host
}
