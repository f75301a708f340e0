package spec

// BaseReads returns how many base files were read from disk so far.
func BaseReads() int64 { return baseReads.Load() }

// ShareResolvedBases turns the sharing of resolved base files between
// specs on or off, and returns how it was.
func ShareResolvedBases(on bool) bool {
	was := shareResolved
	shareResolved = on
	return was
}
