package generate

import (
	"bytes"

	"github.com/wharf-dev/wharf/spec"
)

// What the external tests, which can import package lang, reach inside.
var (
	Layout = layout
	// Normalize lays raw out through the general path.
	Normalize = func(raw []byte) []byte { return joinLines(normalize(splitBlocks(raw))) }
	Marker    = blockStart + "x" + blockStartEnd + blockEnd
)

// RenderRaw renders s with g's templates, before layout.
func RenderRaw(g *Generator, s *spec.Spec) (string, error) {
	lang, _ := lookup(s.Language)
	tmpl, err := g.tmpl()
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	err = tmpl.ExecuteTemplate(&buf, "dockerfile", newDockerfile(s, lang, nil).templateData(lang))
	return buf.String(), err
}

// BlockNames lists g's blocks.
func BlockNames(g *Generator) (map[string]bool, error) {
	tmpl, err := g.tmpl()
	if err != nil {
		return nil, err
	}
	return blockNames(tmpl), nil
}

// Dockerignore renders s's ignore file.
func Dockerignore(s *spec.Spec, specFile string) []byte {
	lang, _ := lookup(s.Language)
	data, _ := dockerignore(s, lang, specFile)
	return data
}
