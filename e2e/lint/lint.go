// Package lint runs BuildKit's own Dockerfile checks (the rule set behind
// `docker build --check`) in process, with no daemon and no network.
package lint

import (
	"context"
	"fmt"
	"sort"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	digest "github.com/opencontainers/go-digest"
)

// Warning is one rule violation found in a Dockerfile.
type Warning struct {
	Rule   string // BuildKit rule name, e.g. "FromAsCasing"
	File   string
	Line   int // 1-based; 0 when BuildKit gave no location
	Detail string
	URL    string
}

func (w Warning) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", w.File, w.Line, w.Rule, w.Detail)
}

// Result is what linting one Dockerfile found. BuildError is set when
// BuildKit could not even turn the file into build steps (a parse error, an
// unknown instruction); the build would fail too.
type Result struct {
	Warnings   []Warning
	BuildError string
}

// offlineResolver answers every FROM with an empty image config, so that no
// registry is contacted. Rules that read the base image (its platform, its
// ENV for UndefinedVar) see an image with nothing in it.
type offlineResolver struct{}

func (offlineResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	return ref, "", []byte("{}"), nil
}

// Dockerfile lints the Dockerfile content dt; name is used in warnings only.
//
// The `# check=` directive in the file is refused if it skips any rule, so a
// Dockerfile cannot opt itself out of the checks this package exists for.
func Dockerfile(ctx context.Context, name string, dt []byte) (*Result, error) {
	if opts, _, _, ok := parser.ParseDirective("check", dt); ok {
		cfg, err := linter.ParseLintOptions(opts)
		if err != nil {
			return nil, fmt.Errorf("%s: parse check directive: %w", name, err)
		}
		if cfg.SkipAll || len(cfg.SkipRules) > 0 {
			return nil, fmt.Errorf("%s: check directive %q skips rules; remove the skip", name, opts)
		}
	}

	src := llb.Local("dockerfile")
	sm := llb.NewSourceMap(&src, name, "Dockerfile", dt)
	sm.Definition = &llb.Definition{}

	res, err := dockerfile2llb.DockerfileLint(ctx, dt, dockerfile2llb.ConvertOpt{
		Config:       dockerui.Config{},
		SourceMap:    sm,
		MetaResolver: offlineResolver{},
	})
	if err != nil {
		return nil, fmt.Errorf("lint %s: %w", name, err)
	}

	out := &Result{}
	if res.Error != nil {
		out.BuildError = res.Error.Message
	}
	for _, w := range res.Warnings {
		line := 0
		if w.Location != nil && len(w.Location.Ranges) > 0 && w.Location.Ranges[0].Start != nil {
			line = int(w.Location.Ranges[0].Start.Line)
		}
		out.Warnings = append(out.Warnings, Warning{
			Rule:   w.RuleName,
			File:   name,
			Line:   line,
			Detail: w.Detail,
			URL:    w.URL,
		})
	}
	sort.SliceStable(out.Warnings, func(i, j int) bool { return out.Warnings[i].Line < out.Warnings[j].Line })
	return out, nil
}
