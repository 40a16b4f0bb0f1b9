package syncer

import (
	"context"
	"time"
)

// Clock is the engine's time: what it reads and what it waits on. The
// engine never reads the wall clock or starts a timer of its own, so a test
// that passes a clock it controls (channeltest.Clock) decides every instant
// and every wait.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed by this clock,
	// and a func that stops the wait (reporting whether it was still
	// pending). d <= 0 fires at once.
	After(d time.Duration) (<-chan time.Time, func() bool)
}

// WallClock is the real clock, the default of Config.Clock.
type WallClock struct{}

// Now returns time.Now().
func (WallClock) Now() time.Time { return time.Now() }

// After starts a time.Timer.
func (WallClock) After(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// sleep waits d by c, or until ctx ends (its error is returned).
func sleep(ctx context.Context, c Clock, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	fired, stop := c.After(d)
	defer stop()
	select {
	case <-fired:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
