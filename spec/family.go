package spec

import (
	"io/fs"
	"slices"
	"sync"
)

// A FamilyDef is everything wharf knows of a base-image family: whether
// its images can run RUN steps, their C library, how to tell an image of
// the family from its name, its package names, and the template blocks
// that install packages and create the runner's user. Each family is a
// unit of package family; package lang registers them.
type FamilyDef struct {
	Name Family
	// Shell says its images have a shell and a package manager, so RUN
	// steps work in them.
	Shell bool
	// Libc returns the C library of an image of the family with that
	// repository: Glibc, Musl, or "" for none.
	Libc func(repository string) string
	// Claims reports whether an image (repository and tag) is of the
	// family; nil for the family that takes every image no other claims.
	Claims func(repository, tag string) bool
	// Package reports whether a name is valid for the family's package
	// manager; PackageForm describes a valid one, for messages.
	Package     func(name string) bool
	PackageForm string
	// CToolchain are the packages a C build needs in a builder.
	CToolchain []string
	// CA are the packages that give a runner the CA certificates its
	// images lack.
	CA []string
	// Tini is where the family's tini package installs tini.
	Tini string
	// Blocks define install-packages-<name> and create-user-<name>, for a
	// family with a shell.
	Blocks fs.FS
}

var families struct {
	sync.RWMutex
	list []*FamilyDef
}

// RegisterFamilies adds base-image families, in the order messages and
// the schema name them. Package lang calls it.
func RegisterFamilies(defs ...*FamilyDef) {
	families.Lock()
	defer families.Unlock()
	for _, f := range defs {
		if slices.ContainsFunc(families.list, func(o *FamilyDef) bool { return o.Name == f.Name }) {
			panic("spec: family " + string(f.Name) + " registered twice")
		}
		families.list = append(families.list, f)
	}
}

// Families returns the registered families.
func Families() []*FamilyDef {
	families.RLock()
	defer families.RUnlock()
	return families.list
}

// Def returns the family's definition, or nil for an unknown family.
func (f Family) Def() *FamilyDef {
	for _, d := range Families() {
		if d.Name == f {
			return d
		}
	}
	return nil
}

func familyNames() []Family {
	var names []Family
	for _, d := range Families() {
		names = append(names, d.Name)
	}
	return names
}
