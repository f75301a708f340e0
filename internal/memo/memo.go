// Package memo remembers the results of a pure function of a string. The
// specs of a monorepo repeat the same few image references, variable
// names, package names and flags, most of them inherited from shared base
// files.
package memo

import (
	"sync"
	"sync/atomic"
)

// Size bounds how many results a Memo keeps, so that a process that loads
// many unusual specs does not grow without end.
const Size = 4096

// A Memo remembers up to Size results of f. It is safe for concurrent use.
type Memo[V any] struct {
	f func(string) V
	m sync.Map // string to V
	n atomic.Int64
}

// New returns a Memo of f.
func New[V any](f func(string) V) *Memo[V] {
	return &Memo[V]{f: f}
}

// Get returns f(key).
func (c *Memo[V]) Get(key string) V {
	if v, ok := c.m.Load(key); ok {
		return v.(V)
	}
	v := c.f(key)
	if c.n.Load() < Size {
		if _, loaded := c.m.LoadOrStore(key, v); !loaded {
			c.n.Add(1)
		}
	}
	return v
}

// Len returns how many results c holds.
func (c *Memo[V]) Len() int { return int(c.n.Load()) }
