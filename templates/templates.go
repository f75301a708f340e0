// Package templates holds wharf's built-in Dockerfile templates: named
// text/template blocks, one per stage, recipe and base-image family.
// Custom templates override blocks by defining the same names.
package templates

import "embed"

// FS holds the built-in *.tmpl files.
//
//go:embed *.tmpl
var FS embed.FS
