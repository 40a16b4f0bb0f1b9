package channeltest

import (
	"sync"
	"time"
)

// Clock is a clock a test controls, for the fake channel and the engine
// alike (it satisfies Config.Clock and syncer.Config.Clock): Now stays where
// the test put it, and a wait started with After ends only when the test moves
// the clock to or past its end (Set, Add, Next). Nothing it does reads the
// wall clock or sleeps, so a test on it never depends on the machine's speed.
//
// Run concurrent code on it inside a testing/synctest bubble and call Next
// whenever synctest.Wait says every goroutine is blocked: time then moves
// exactly as far as the next wait, as it would for real.
//
// A Clock is safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers map[*clockTimer]struct{}
}

type clockTimer struct {
	at time.Time
	c  chan time.Time // capacity 1: firing never blocks
}

// NewClock returns a Clock standing at now.
func NewClock(now time.Time) *Clock {
	return &Clock{now: now, timers: make(map[*clockTimer]struct{})}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t (backwards too) and fires the waits that end at
// or before it.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	c.fire()
}

// Add moves the clock by d and fires the waits that end by then.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.fire()
}

// Next moves the clock to the end of the earliest pending wait, if it is
// ahead, and fires every wait due then. It returns false, and leaves the
// clock where it is, when nothing waits.
func (c *Clock) Next() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.timers) == 0 {
		return false
	}
	var first time.Time
	for t := range c.timers {
		if first.IsZero() || t.at.Before(first) {
			first = t.at
		}
	}
	if first.After(c.now) {
		c.now = first
	}
	c.fire()
	return true
}

// Waiting returns how many waits are pending.
func (c *Clock) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// After returns a channel that receives the clock's time once the clock is
// moved to now+d or later, and a func that cancels the wait (reporting
// whether it was still pending). d <= 0 fires at once.
func (c *Clock) After(d time.Duration) (<-chan time.Time, func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &clockTimer{at: c.now.Add(d), c: make(chan time.Time, 1)}
	if d <= 0 {
		t.c <- c.now
		return t.c, func() bool { return false }
	}
	c.timers[t] = struct{}{}
	return t.c, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		_, pending := c.timers[t]
		delete(c.timers, t)
		return pending
	}
}

// fire sends on every wait that is due; c.mu must be held.
func (c *Clock) fire() {
	for t := range c.timers {
		if !t.at.After(c.now) {
			t.c <- c.now
			delete(c.timers, t)
		}
	}
}
