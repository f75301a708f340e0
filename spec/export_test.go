package spec

import "go.yaml.in/yaml/v3"

// BaseReads returns how many base files were read from disk so far.
func BaseReads() int64 { return baseReads.Load() }

// ShareResolvedBases turns the sharing of resolved base files between
// specs on or off, and returns how it was.
func ShareResolvedBases(on bool) bool {
	was := shareResolved
	shareResolved = on
	return was
}

// What the schema test, which registers the languages, reaches inside.
var (
	SpecSchema    = specSchema
	IsAlternative = isAlternative
)

// DecodedKeys decodes data as a spec and returns the keys accepted at each
// mapping path decoded.
func DecodedKeys(file string, data []byte) (map[string][]string, error) {
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: file, specDir: ".", nodes: map[string]*yaml.Node{}, known: map[string][]string{}}
	d.spec(root)
	return d.known, nil
}
