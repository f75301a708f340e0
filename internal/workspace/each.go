package workspace

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// eachWindow bounds how many results Each holds at once: work does not
// run further ahead of emit, so a slow emit (one that writes files) keeps
// memory bounded instead of holding every result.
const eachWindow = 256

// Each calls work(i) for every i in [0, n) on at most GOMAXPROCS goroutines
// and emit(i, result) on the calling goroutine in index order, each as soon
// as it and the results before it are done. A result is dropped once
// emitted; at most eachWindow are held at once.
func Each[R any](n int, work func(i int) R, emit func(i int, r R)) {
	if n == 1 {
		emit(0, work(0))
		return
	}
	results := make([]R, n)
	done := make([]chan struct{}, n)
	for i := range done {
		done[i] = make(chan struct{})
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	// A worker takes a slot before it takes an index, so that the lowest
	// index not yet emitted always has a slot and is worked on.
	slots := make(chan struct{}, eachWindow)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				slots <- struct{}{}
				i := int(next.Add(1)) - 1
				if i >= n {
					<-slots
					return
				}
				results[i] = work(i)
				close(done[i])
			}
		}()
	}
	var zero R
	for i := range n {
		<-done[i]
		emit(i, results[i])
		results[i] = zero
		<-slots
	}
	wg.Wait()
}
