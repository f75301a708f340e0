package spec

import (
	"sync"
	"sync/atomic"
)

// memoSize bounds how many results a memo keeps, so that a process that
// loads many unusual specs does not grow without end.
const memoSize = 4096

// memo remembers the results of a pure function of a string. The specs
// of a monorepo repeat the same few image references and variable names,
// most of them inherited from shared base files. It is safe for
// concurrent use.
type memo[V any] struct {
	f func(string) V
	m sync.Map // string to V
	n atomic.Int64
}

func newMemo[V any](f func(string) V) *memo[V] {
	return &memo[V]{f: f}
}

// get returns f(key).
func (c *memo[V]) get(key string) V {
	if v, ok := c.m.Load(key); ok {
		return v.(V)
	}
	v := c.f(key)
	if c.n.Load() < memoSize {
		if _, loaded := c.m.LoadOrStore(key, v); !loaded {
			c.n.Add(1)
		}
	}
	return v
}
