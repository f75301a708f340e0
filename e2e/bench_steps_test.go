package e2e

import (
	"reflect"
	"testing"
)

// TestParseSteps checks the reading of buildctl's --progress=plain log that
// TestImageQuality counts cache hits with: FROM lines are left out (a base
// image is resolved, never reported CACHED), internal vertices too.
func TestParseSteps(t *testing.T) {
	log := `#1 [internal] load build definition from Dockerfile
#1 DONE 0.0s
#5 [builder 1/6] FROM docker.io/library/golang:1.19-bookworm@sha256:2e6b
#5 DONE 0.0s
#7 [builder 3/6] RUN --mount=type=cache,target=/go/pkg/mod     go mod download
#7 CACHED
#8 [builder 4/6] COPY . .
#8 DONE 0.1s
#9 [runner 2/3] COPY --from=builder /out/x /usr/local/bin/x
#9 0.012 some output
#9 DONE 0.0s
#10 [2/2] RUN true
#10 CACHED
`
	got := parseSteps(log)
	want := steps{
		"builder RUN --mount=type=cache,target=/go/pkg/mod     go mod download": true,
		"builder COPY . .": false,
		"runner COPY --from=builder /out/x /usr/local/bin/x": false,
		"RUN true": true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseSteps:\ngot  %v\nwant %v", got, want)
	}
	if c := got.count(); c != (stepCount{cached: 2, run: 2}) {
		t.Errorf("count = %+v, want 2 cached, 2 run", c)
	}
	if !got.cached("go mod download") || got.cached("COPY . .") || got.cached("no such step") {
		t.Error("cached() disagrees with the log")
	}
}
