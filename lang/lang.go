// Package lang is the list of wharf's languages. Importing it registers
// each with the packages that need them (spec, generate, detect); every
// list of languages in wharf derives from All.
package lang

import (
	"github.com/wharf-dev/wharf/family"
	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/lang/golang"
	"github.com/wharf-dev/wharf/lang/java"
	"github.com/wharf-dev/wharf/lang/node"
	"github.com/wharf-dev/wharf/lang/python"
	"github.com/wharf-dev/wharf/lang/rust"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

// A Language is everything about one language: its spec section, its
// Dockerfile blocks and data, and init's detection of its projects.
type Language interface {
	spec.Language
	generate.Language
	detect.Language
}

// All lists the languages, in the order messages and the schema name them.
var All = []Language{python.Language, golang.Language, node.Language, rust.Language, java.Language}

// Families lists the base-image families, in the order messages and the
// schema name them.
var Families = family.All

func init() {
	spec.RegisterFamilies(Families...)
	for _, l := range All {
		spec.Register(l)
		generate.Register(l)
		detect.Register(l)
	}
}
