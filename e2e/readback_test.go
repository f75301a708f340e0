package e2e

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/buildkit/frontend/dockerui"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	digest "github.com/opencontainers/go-digest"
)

// stageReadback is one stage of a Dockerfile as BuildKit reads it: every
// instruction parsed by BuildKit's parser and its words expanded by
// BuildKit's shell lexer, as dockerfile2llb does before building.
type stageReadback struct {
	Name, Base string
	// Kinds lists the instructions in order, e.g. "ENV", "RUN".
	Kinds  []string
	Args   map[string]*string // ARG defaults, nil when none
	Env    map[string]string
	Labels map[string]string
	Runs   []runReadback
	Copies []copyReadback
	// The runner's metadata; nil or "" when absent.
	Cmd, Entrypoint []string
	Healthcheck     *dockerspec.HealthcheckConfig
	User, Workdir   string
	Expose          []string
}

type runReadback struct {
	Text   string   // the shell command, as /bin/sh -c receives it
	Flags  []string // e.g. "--mount=type=cache,target=/root/.npm"
	Mounts []*instructions.Mount
}

type copyReadback struct {
	From     string
	Src      []string
	Dst      string
	Link     bool
	Parents  bool
	Excludes []string
}

// readback parses dt with BuildKit's parser and instructions.Parse, expands
// each instruction's words the way dockerfile2llb does, and returns the
// stages by name. A word that refers to a variable its stage has not
// declared with ARG is an error: wharf refers only to its own ARGs (the OCI
// labels' arguments), so any other "$" that reaches BuildKit unescaped was
// smuggled. Declared ARGs take their defaults, as in a build that passes no
// build arguments.
func readback(dt []byte) (map[string]*stageReadback, error) {
	res, err := parser.Parse(bytes.NewReader(dt))
	if err != nil {
		return nil, fmt.Errorf("BuildKit parser: %w", err)
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		return nil, fmt.Errorf("BuildKit instructions.Parse: %w", err)
	}
	if len(metaArgs) > 0 {
		return nil, fmt.Errorf("%d ARG instructions before the first FROM", len(metaArgs))
	}
	lex := shell.NewLex(res.EscapeToken)
	out := map[string]*stageReadback{}
	for _, st := range stages {
		if _, dup := out[st.Name]; dup {
			return nil, fmt.Errorf("stage %q appears twice", st.Name)
		}
		sr := &stageReadback{Name: st.Name, Base: st.BaseName, Args: map[string]*string{}, Env: map[string]string{}, Labels: map[string]string{}}
		out[st.Name] = sr
		// The stage's ARGs so far: those with a default hold it (no build
		// arguments are passed); one without stays unset, as in BuildKit.
		var argEnv []string
		expand := func(word string) (string, error) {
			out, unmatched, err := lex.ProcessWord(word, shell.EnvsFromSlice(argEnv))
			if err != nil {
				return "", err
			}
			for name := range unmatched {
				if _, declared := sr.Args[name]; !declared {
					return "", fmt.Errorf("word %q refers to variables %v", word, sortedSet(unmatched))
				}
			}
			return out, nil
		}
		for _, cmd := range st.Commands {
			sr.Kinds = append(sr.Kinds, strings.ToUpper(cmd.Name()))
			if ex, ok := cmd.(instructions.SupportsSingleWordExpansion); ok {
				if _, isArg := cmd.(*instructions.ArgCommand); !isArg {
					if err := ex.Expand(expand); err != nil {
						return nil, fmt.Errorf("%s: %w", cmd.Name(), err)
					}
				}
			}
			switch c := cmd.(type) {
			case *instructions.ArgCommand:
				for _, a := range c.Args {
					if a.Value != nil {
						v, err := expand(*a.Value)
						if err != nil {
							return nil, fmt.Errorf("ARG %s: %w", a.Key, err)
						}
						a.Value = &v
					}
					sr.Args[a.Key] = a.Value
					if a.Value != nil {
						argEnv = append(argEnv, a.Key+"="+*a.Value)
					}
				}
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					sr.Env[kv.Key] = kv.Value
				}
			case *instructions.LabelCommand:
				for _, kv := range c.Labels {
					sr.Labels[kv.Key] = kv.Value
				}
			case *instructions.RunCommand:
				if len(c.Files) > 0 {
					return nil, fmt.Errorf("RUN has %d heredoc files", len(c.Files))
				}
				if len(c.CmdLine) != 1 || !c.PrependShell {
					return nil, fmt.Errorf("RUN is not in shell form: %q", c.CmdLine)
				}
				sr.Runs = append(sr.Runs, runReadback{Text: c.CmdLine[0], Flags: c.FlagsUsed, Mounts: instructions.GetMounts(c)})
			case *instructions.CopyCommand:
				if len(c.SourceContents) > 0 {
					return nil, fmt.Errorf("COPY has heredoc sources")
				}
				sr.Copies = append(sr.Copies, copyReadback{From: c.From, Src: c.SourcePaths, Dst: c.DestPath, Link: c.Link, Parents: c.Parents, Excludes: c.ExcludePatterns})
			case *instructions.CmdCommand:
				if c.PrependShell {
					return nil, fmt.Errorf("CMD in shell form: %q", c.CmdLine)
				}
				sr.Cmd = c.CmdLine
			case *instructions.EntrypointCommand:
				if c.PrependShell {
					return nil, fmt.Errorf("ENTRYPOINT in shell form: %q", c.CmdLine)
				}
				sr.Entrypoint = c.CmdLine
			case *instructions.HealthCheckCommand:
				sr.Healthcheck = c.Health
			case *instructions.UserCommand:
				sr.User = c.User
			case *instructions.WorkdirCommand:
				sr.Workdir = c.Path
			case *instructions.ExposeCommand:
				sr.Expose = append(sr.Expose, c.Ports...)
			}
		}
	}
	return out, nil
}

func sortedSet(m map[string]struct{}) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// imageConfig converts dt to LLB with BuildKit's dockerfile2llb, offline,
// and returns the image config of target: what `docker build --target`
// would record in the image (ENV, LABEL, CMD, ...).
func imageConfig(ctx context.Context, dt []byte, target string) (*dockerspec.DockerOCIImageConfig, error) {
	return imageConfigWith(ctx, dt, target, nil)
}

// imageConfigWith is imageConfig with build arguments, as --build-arg
// passes them.
func imageConfigWith(ctx context.Context, dt []byte, target string, args map[string]string) (*dockerspec.DockerOCIImageConfig, error) {
	src := llb.Local("dockerfile")
	sm := llb.NewSourceMap(&src, "Dockerfile", "Dockerfile", dt)
	sm.Definition = &llb.Definition{}
	res, err := dockerfile2llb.Dockerfile2LLB(ctx, dt, dockerfile2llb.ConvertOpt{
		Config:       dockerui.Config{Target: target, BuildArgs: args},
		SourceMap:    sm,
		MetaResolver: emptyImages{},
	})
	if err != nil {
		return nil, fmt.Errorf("dockerfile2llb: %w", err)
	}
	return &res.Image.Config, nil
}

// emptyImages resolves every base image to an empty config, offline.
type emptyImages struct{}

func (emptyImages) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	return ref, "", []byte("{}"), nil
}
