package lang

// BlockNames are the names of all built-in blocks, as registered.
func BlockNames() []string { return blockNames }
