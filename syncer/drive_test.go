//go:build go1.25

package syncer

import (
	"testing/synctest"
	"time"

	"github.com/paysync/paysync/channel/channeltest"
)

// drive runs f inside the test's synctest bubble and keeps time moving the
// way it would for real, without reading the wall clock: whenever every
// goroutine of the bubble is blocked, the test clock moves to its next wait
// (a channel's latency, a rate limit, a lock wait, a drain); when nothing
// waits on it, the bubble's own time runs a millisecond, so ctx deadlines
// fire. Which wait ends first is decided by the clocks, never by the
// machine's speed.
func drive(clock *channeltest.Clock, f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	for {
		synctest.Wait()
		select {
		case <-done:
			return
		default:
		}
		if clock.Next() {
			continue
		}
		select {
		case <-done:
			return
		case <-time.After(time.Millisecond):
		}
	}
}
