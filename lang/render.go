package lang

import (
	"fmt"
	"reflect"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/lang/internal/tmplc"
	"github.com/wharf-dev/wharf/spec"
)

//go:generate sh -c "go run ./internal/rendergen > render_gen.go.new && mv render_gen.go.new render_gen.go"

// CompileBlocks returns the Go source of render_gen.go: the built-in
// blocks (templates/ and each language's), compiled by tmplc. The blocks
// are the one hand-written source; TestCompiledBlocksFresh fails when
// render_gen.go is stale.
func CompileBlocks() ([]byte, error) {
	g, err := generate.New(nil)
	if err != nil {
		return nil, err
	}
	var fields []tmplc.Field
	for _, l := range All {
		// The type of a language's data, from a minimal spec of it.
		s, err := spec.Parse("wharf.yaml", []byte(fmt.Sprintf("version: 1\nname: x\nlanguage: %s\nruntime: {cmd: [x]}\n", l.Name())))
		if err != nil {
			return nil, fmt.Errorf("a minimal %s spec: %w", l.Name(), err)
		}
		d, err := generate.Data(s, nil)
		if err != nil {
			return nil, err
		}
		fields = append(fields, tmplc.Field{Name: l.Field(), Type: reflect.TypeOf(d.Recipe)})
	}
	trees, err := g.Trees()
	if err != nil {
		return nil, err
	}
	return tmplc.Compile("lang", trees, "dockerfile", reflect.TypeFor[generate.Dockerfile](), fields)
}
