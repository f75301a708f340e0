package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wharf-dev/wharf"
	"github.com/wharf-dev/wharf/generate"
)

// TestOCILabelArgs converts generated Dockerfiles with BuildKit's own
// dockerfile2llb, offline, and reads the runner's labels: with no build
// arguments an image has the title (the spec's name) and the spec's labels,
// and no empty label; with SOURCE, REVISION, CREATED, VERSION and TITLE
// passed, each fills in its org.opencontainers.image label; a label the spec
// sets itself keeps the spec's value whatever is passed; and build.args
// VERSION is the version label's default.
func TestOCILabelArgs(t *testing.T) {
	passed := map[string]string{
		"SOURCE": "https://example.com/src", "REVISION": "0123abc", "CREATED": "2026-11-29T07:00:00Z",
		"VERSION": "1.4.0", "TITLE": "passed-title",
	}
	const oci = "org.opencontainers.image."
	for _, tc := range []struct {
		dir       string
		unset     map[string]string // the labels without build arguments
		overrides map[string]string // what differs from passed with them
		template  map[string]string // labels of custom template blocks
	}{
		{
			dir:   "../lang/golang/testdata/golden/go-minimal",
			unset: map[string]string{oci + "title": "hello"},
		},
		{ // build.args {VERSION: dev}
			dir:   "../lang/golang/testdata/golden/go-tags-ldflags",
			unset: map[string]string{oci + "title": "cli", oci + "version": "dev"},
		},
		{ // runtime.labels sets source and title
			dir:       "../lang/python/testdata/golden/python-full",
			unset:     map[string]string{oci + "source": "https://github.com/example/shop", oci + "title": "Example shop"},
			overrides: map[string]string{oci + "source": "https://github.com/example/shop", oci + "title": "Example shop"},
		},
		{ // runtime.labels sets source, title and vendor (in a base)
			dir: "../examples/monorepo/services/gateway",
			unset: map[string]string{oci + "source": "https://github.com/example/monorepo", oci + "title": "gateway",
				oci + "vendor": "Example Corp"},
			overrides: map[string]string{oci + "source": "https://github.com/example/monorepo", oci + "title": "gateway",
				oci + "vendor": "Example Corp"},
			// platform/templates/create-user.tmpl
			template: map[string]string{"com.example.platform.user": "app", "com.example.platform.home": "/home/app"},
		},
	} {
		t.Run(filepath.Base(tc.dir), func(t *testing.T) {
			r, err := wharf.Generate(tc.dir, wharf.Options{}) // custom templates included
			if err != nil {
				t.Fatal(err)
			}
			s, files := r.Spec, r.Files
			// The golden is what generate writes: the test reads what ships.
			if disk, err := os.ReadFile(filepath.Join(tc.dir, s.Output)); err != nil || string(disk) != string(files[0].Data) {
				t.Fatalf("%s/%s is stale or missing (%v): go test ./... -update at the root", tc.dir, s.Output, err)
			}
			other := map[string]string{} // the spec's labels that are no OCI argument's
			for k, v := range s.Runtime.Labels {
				other[k] = v
			}
			cfg, err := imageConfigWith(context.Background(), files[0].Data, "runner", nil)
			if err != nil {
				t.Fatal(err)
			}
			want := merged(other, tc.template, tc.unset)
			if diff := cmp.Diff(want, cfg.Labels); diff != "" {
				t.Errorf("labels without build arguments (-want +got):\n%s", diff)
			}
			for k, v := range cfg.Labels {
				if v == "" {
					t.Errorf("label %s is empty", k)
				}
			}
			cfg, err = imageConfigWith(context.Background(), files[0].Data, "runner", passed)
			if err != nil {
				t.Fatal(err)
			}
			all := map[string]string{}
			for _, l := range generate.OCILabels {
				all[l.Label] = passed[l.Arg]
			}
			want = merged(other, tc.template, all, tc.overrides)
			if diff := cmp.Diff(want, cfg.Labels); diff != "" {
				t.Errorf("labels with %v (-want +got):\n%s", passed, diff)
			}
		})
	}
}

// merged is the union of maps, later ones winning.
func merged(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
