package e2e

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	provenancetypes "github.com/moby/buildkit/solver/llbsolver/provenance/types"
)

// slsaProvenance1 is the predicate type of BuildKit's provenance
// attestation: SLSA provenance v1, BuildKit v0.34's default version
// (frontend/attestations/parse.go).
const slsaProvenance1 = "https://slsa.dev/provenance/v1"

// provenanceStatement is BuildKit's in-toto statement, its predicate in
// BuildKit's own type.
type provenanceStatement struct {
	Type          string `json:"_type"`
	PredicateType string `json:"predicateType"`
	Subject       []struct {
		Name   string            `json:"name"`
		Digest map[string]string `json:"digest"`
	} `json:"subject"`
	Predicate provenancetypes.ProvenancePredicateSLSA1 `json:"predicate"`
}

// checkPushedImage reads the index ref from the loopback registry and
// checks each platform's image: its config's labels include wantLabels, and
// an attestation manifest refers to it (vnd.docker.reference.type:
// attestation-manifest) whose in-toto layer is a SLSA provenance in max
// mode: its subject is the image, it names the Dockerfile frontend and
// file, the build context, the runner target, the build arguments wantArgs,
// and a base image among its resolved dependencies (material, e.g.
// "node").
func checkPushedImage(t *testing.T, ref string, wantLabels, wantArgs map[string]string, material string) {
	t.Helper()
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := remote.Index(r)
	if err != nil {
		t.Fatalf("%s: read the index: %v", ref, err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	attestations := map[v1.Hash]v1.Descriptor{} // image manifest → its attestation manifest
	var images []v1.Descriptor
	for _, d := range m.Manifests {
		if d.Annotations["vnd.docker.reference.type"] == "attestation-manifest" {
			h, err := v1.NewHash(d.Annotations["vnd.docker.reference.digest"])
			if err != nil {
				t.Fatalf("%s: attestation manifest %s: %v", ref, d.Digest, err)
			}
			attestations[h] = d
			continue
		}
		images = append(images, d)
	}
	if len(images) == 0 {
		t.Fatalf("%s: the index holds no image", ref)
	}
	for _, d := range images {
		platform := d.Platform.OS + "/" + d.Platform.Architecture
		img, err := idx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		for k, want := range wantLabels {
			if got, ok := cfg.Config.Labels[k]; !ok || got != want {
				t.Errorf("%s %s: label %s=%q (set %v), want %q", ref, platform, k, got, ok, want)
			}
		}
		for k, v := range cfg.Config.Labels {
			if v == "" {
				t.Errorf("%s %s: label %s is empty", ref, platform, k)
			}
		}

		ad, ok := attestations[d.Digest]
		if !ok {
			t.Errorf("%s %s: no attestation manifest refers to image %s", ref, platform, d.Digest)
			continue
		}
		att, err := idx.Image(ad.Digest)
		if err != nil {
			t.Fatal(err)
		}
		am, err := att.Manifest()
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, l := range am.Layers {
			if l.Annotations["in-toto.io/predicate-type"] != slsaProvenance1 {
				continue
			}
			found = true
			if l.MediaType != "application/vnd.in-toto+json" {
				t.Errorf("%s %s: provenance layer of media type %s", ref, platform, l.MediaType)
			}
			layer, err := att.LayerByDigest(l.Digest)
			if err != nil {
				t.Fatal(err)
			}
			rc, err := layer.Uncompressed()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			var st provenanceStatement
			if err := json.Unmarshal(data, &st); err != nil {
				t.Fatalf("%s %s: provenance: %v\n%.500s", ref, platform, err, data)
			}
			checkProvenance(t, ref+" "+platform, st, d.Digest, wantArgs, material)
		}
		if !found {
			t.Errorf("%s %s: the attestation manifest has no %s layer: %+v", ref, platform, slsaProvenance1, am.Layers)
		}
	}
}

func checkProvenance(t *testing.T, what string, st provenanceStatement, image v1.Hash, wantArgs map[string]string, material string) {
	t.Helper()
	if st.PredicateType != slsaProvenance1 || !strings.HasPrefix(st.Type, "https://in-toto.io/Statement/") {
		t.Errorf("%s: statement %s of predicate %s, want an in-toto statement of %s", what, st.Type, st.PredicateType, slsaProvenance1)
	}
	if len(st.Subject) == 0 || st.Subject[0].Digest[image.Algorithm] != image.Hex {
		t.Errorf("%s: subject %+v, want the image %s", what, st.Subject, image)
	}
	def := st.Predicate.BuildDefinition
	if def.BuildType != provenancetypes.BuildKitBuildType1 {
		t.Errorf("%s: buildType %q, want %q", what, def.BuildType, provenancetypes.BuildKitBuildType1)
	}
	req := def.ExternalParameters.Request
	if req.Frontend != "dockerfile.v0" || def.ExternalParameters.ConfigSource.Path != "Dockerfile" {
		t.Errorf("%s: frontend %q, config source %+v; want dockerfile.v0, Dockerfile", what, req.Frontend, def.ExternalParameters.ConfigSource)
	}
	var locals []string
	for _, l := range req.Locals {
		locals = append(locals, l.Name)
	}
	if diff := cmp.Diff([]string{"context", "dockerfile"}, locals); diff != "" {
		t.Errorf("%s: local sources (-want +got):\n%s", what, diff)
	}
	args := req.Args
	if args["target"] != "runner" {
		t.Errorf("%s: target %q, want runner", what, args["target"])
	}
	for k, want := range wantArgs {
		if got, ok := args["build-arg:"+k]; !ok || got != want {
			t.Errorf("%s: build-arg:%s=%q (set %v), want %q", what, k, got, ok, want)
		}
	}
	var uris []string
	for _, m := range def.ResolvedDependencies {
		uris = append(uris, m.URI)
	}
	if !strings.Contains(strings.Join(uris, " "), "pkg:docker/"+material) {
		t.Errorf("%s: resolved dependencies %q name no pkg:docker/%s image", what, uris, material)
	}
	if bc := def.InternalParameters.BuildConfig; bc == nil || len(bc.Definition) == 0 {
		t.Errorf("%s: no internalParameters.buildConfig.llbDefinition: not a max-mode provenance", what)
	}
}
