package main

import (
	"runtime/metrics"
	"sync"
	"time"
)

// heapObjects is the runtime's count of bytes in heap objects, live or not
// yet swept: what MemStats.HeapAlloc reports, read without stopping the world.
const heapObjects = "/memory/classes/heap/objects:bytes"

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0 // a runtime without the metric: the figure reads 0
	}
	return s[0].Value.Uint64()
}

// heapSampler keeps the most heap bytes seen, sampled every interval.
type heapSampler struct {
	stopc chan struct{}
	wg    sync.WaitGroup
	peak  uint64
}

func startHeapSampler(interval time.Duration) *heapSampler {
	h := &heapSampler{stopc: make(chan struct{}), peak: heapBytes()}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-h.stopc:
				return
			case <-t.C:
				h.peak = max(h.peak, heapBytes())
			}
		}
	}()
	return h
}

// stop ends the sampling and returns the peak, one last sample included.
func (h *heapSampler) stop() uint64 {
	close(h.stopc)
	h.wg.Wait()
	return max(h.peak, heapBytes())
}
