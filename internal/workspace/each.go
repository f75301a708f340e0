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

// maxBatch bounds how many consecutive indices a worker takes at once.
// Taking several saves a hand-off between goroutines per index, which on
// thousands of small specs costs as much scheduling as the work itself.
const maxBatch = 16

// Each calls work(i) for every i in [0, n) on at most GOMAXPROCS goroutines
// and emit(i, result) on the calling goroutine in index order, each as soon
// as it and the results before it are done. A result is dropped once
// emitted; at most eachWindow are held at once.
func Each[R any](n int, work func(i int) R, emit func(i int, r R)) {
	switch n {
	case 0:
		return
	case 1:
		emit(0, work(0))
		return
	}
	workers := min(runtime.GOMAXPROCS(0), n)
	// Batches small enough that every worker gets several.
	batch := max(1, min(maxBatch, n/(4*workers)))
	batches := (n + batch - 1) / batch
	results := make([]R, n)
	done := make([]chan struct{}, batches)
	for b := range done {
		done[b] = make(chan struct{})
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	// A worker takes a slot before it takes a batch, so that the lowest
	// batch not yet emitted always has a slot and is worked on.
	slots := make(chan struct{}, max(1, eachWindow/batch))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				slots <- struct{}{}
				b := int(next.Add(1)) - 1
				if b >= batches {
					<-slots
					return
				}
				for i := b * batch; i < min(n, (b+1)*batch); i++ {
					results[i] = work(i)
				}
				close(done[b])
			}
		}()
	}
	var zero R
	for b := range batches {
		<-done[b]
		for i := b * batch; i < min(n, (b+1)*batch); i++ {
			emit(i, results[i])
			results[i] = zero
		}
		<-slots
	}
	wg.Wait()
}
