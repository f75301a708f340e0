package spec

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Limits on what a spec may hold. A wharf spec is a short file: these are
// far above any real one, and low enough that a hostile file is refused in
// milliseconds instead of after the YAML parser has built a huge tree.
const (
	// MaxItems is the most lines plus list and mapping entries a spec may
	// have, counted before YAML parsing.
	MaxItems = 20000
	// MaxDepth is how deeply lists and mappings may nest; the schema
	// itself needs five levels.
	MaxDepth = 32
	// MaxNodes is the most YAML values a spec may hold once every alias
	// (*name) is replaced by what it names.
	MaxNodes = 50000

	// MaxExtendsDepth is the longest chain of extends, in files, from a
	// spec to a base it inherits from.
	MaxExtendsDepth = 16
	// MaxBases is the most files one spec may inherit from, each counted
	// once however many times extends leads to it.
	MaxBases = 32
	// MaxExtendsValues is the most values (as MaxNodes counts them) the
	// files one spec inherits from may hold in all. Bases merge into one
	// spec, so together they are held to what one spec may hold.
	MaxExtendsValues = MaxNodes
)

// itemMarks are the bytes that begin a YAML value or separate two: every
// YAML node but the first needs one, so their count bounds the node count.
var itemMarks = [256]bool{'\n': true, ',': true, '[': true, '{': true, '-': true, ':': true, '?': true}

// checkItems counts the bytes that may begin a YAML value, and refuses a
// spec with more than MaxItems of them before it is parsed.
func checkItems(file string, data []byte) ErrorList {
	n, line := 0, 1
	for _, b := range data {
		if b == '\n' {
			line++
		}
		if itemMarks[b] {
			if n++; n > MaxItems {
				return ErrorList{{File: file, Line: line, Column: 1, Msg: fmt.Sprintf("the spec has more than %d lines, list items and mapping entries by here; a spec is a short file, check that this is the right one", MaxItems), Kind: ErrTooLarge}}
			}
		}
	}
	return nil
}

// coreTags are the explicit YAML tags a spec may carry, which name what
// the value would be without them (!!str 8000 is the string "8000"). Any
// other, like !!binary or !custom, would be silently dropped by decoding.
var coreTags = map[string]bool{"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true, "!!seq": true, "!!map": true}

// checkShape walks the parsed tree once and refuses nesting deeper than
// MaxDepth and aliases that expand to more than MaxNodes values (a "billion
// laughs" file is a few lines of anchors that each repeat the one before),
// and explicit YAML tags that decoding would drop (see coreTags).
// yaml.v3 keeps an alias as a pointer, so nothing is expanded here: each
// anchored node's expanded size is computed once and reused.
func checkShape(file string, root *yaml.Node) ErrorList {
	sizes := map[*yaml.Node]int{}
	var size func(n *yaml.Node, depth int) (int, *Error)
	size = func(n *yaml.Node, depth int) (int, *Error) {
		if depth > MaxDepth {
			return 0, &Error{File: file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("lists and mappings nest more than %d levels deep here; a spec needs five at most", MaxDepth), Kind: ErrTooLarge}
		}
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil {
				return 1, nil
			}
			if s, ok := sizes[n.Alias]; ok {
				return s, nil
			}
			// An alias reached before its anchor was sized: size the anchor
			// now. yaml.v3 refuses an anchor that contains itself, so this ends.
			s, err := size(n.Alias, depth)
			if err != nil {
				return 0, err
			}
			return s, nil
		}
		if s, ok := sizes[n]; ok {
			return s, nil
		}
		if n.Style&yaml.TaggedStyle != 0 && !coreTags[n.Tag] {
			return 0, &Error{File: file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("the YAML tag %s is not supported: a spec holds plain strings, numbers, booleans, lists and mappings; remove the tag", n.Tag), Kind: ErrType}
		}
		total := 1
		for _, c := range n.Content {
			s, err := size(c, depth+1)
			if err != nil {
				return 0, err
			}
			total += s
			if total > MaxNodes {
				return 0, &Error{File: file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("this value holds more than %d values once its aliases (*name) are expanded; remove the aliases that repeat one another", MaxNodes), Kind: ErrTooLarge}
			}
		}
		if n.Anchor != "" {
			sizes[n] = total
		}
		return total, nil
	}
	if _, err := size(root, 0); err != nil {
		return ErrorList{err}
	}
	return nil
}

// countValues returns how many values the tree at root holds once every
// alias is replaced by what it names, which checkShape has bounded.
func countValues(root *yaml.Node) int {
	sizes := map[*yaml.Node]int{}
	var size func(n *yaml.Node) int
	size = func(n *yaml.Node) int {
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil {
				return 1
			}
			n = n.Alias
		}
		if s, ok := sizes[n]; ok {
			return s
		}
		total := 1
		for _, c := range n.Content {
			total += size(c)
		}
		if n.Anchor != "" {
			sizes[n] = total
		}
		return total
	}
	return size(root)
}
