package main

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paysync/paysync/syncer"
)

// progressLine writes the sweep's count to w every interval, one line each,
// so the output reads the same in a terminal and in a log.
type progressLine struct {
	done, total, errors atomic.Int64

	stopc chan struct{}
	wg    sync.WaitGroup
}

// startProgress starts the lines; an interval of 0 writes none.
func startProgress(w io.Writer, interval time.Duration, orders int) *progressLine {
	p := &progressLine{stopc: make(chan struct{})}
	if interval <= 0 {
		return p
	}
	start := time.Now()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-p.stopc:
				return
			case <-t.C:
				done := p.done.Load()
				fmt.Fprintf(w, "loadtest: %d/%d orders done (%d claimed, %d errors), %.0f/s\n",
					done, orders, p.total.Load(), p.errors.Load(), float64(done)/time.Since(start).Seconds())
			}
		}
	}()
	return p
}

// update is the sweep's Progress callback: it only stores, as the sweep asks.
func (p *progressLine) update(pr syncer.Progress) {
	p.done.Store(int64(pr.Done))
	p.total.Store(int64(pr.Total))
	p.errors.Store(int64(pr.Errors))
}

func (p *progressLine) stop() {
	close(p.stopc)
	p.wg.Wait()
}
