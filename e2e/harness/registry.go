package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/google/go-containerregistry/pkg/registry"
)

// Registry is an OCI registry on loopback, served in process by
// go-containerregistry (the same code as `crane registry serve`). Blobs live
// on disk; manifests live in memory, so it starts empty every run.
type Registry struct {
	// Addr is host:port, e.g. "127.0.0.1:40123".
	Addr string
	srv  *http.Server
	done chan error
}

// StartRegistry serves a registry on a free loopback port, storing blobs in
// blobDir.
func StartRegistry(blobDir string) (*Registry, error) {
	if err := os.MkdirAll(blobDir, 0o755); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	r := &Registry{
		Addr: ln.Addr().String(),
		srv: &http.Server{Handler: registry.New(
			registry.WithBlobHandler(registry.NewDiskBlobHandler(blobDir)),
			registry.Logger(log.New(io.Discard, "", 0)),
		)},
		done: make(chan error, 1),
	}
	go func() { r.done <- r.srv.Serve(ln) }()
	return r, nil
}

// Close stops the registry.
func (r *Registry) Close() error {
	err := r.srv.Shutdown(context.Background())
	if serveErr := <-r.done; !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return err
}
