package spec

// BaseReads returns how many base files were read from disk so far.
func BaseReads() int64 { return baseReads.Load() }
