package syncer

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiters holds one token bucket per configured channel, and the back-off
// any channel earns by answering ErrRateLimited.
type limiters struct {
	clock   Clock
	backoff time.Duration

	mu     sync.RWMutex
	byName map[string]*channelLimit
}

type channelLimit struct {
	lim *rate.Limiter // nil: the channel is not limited, only backed off

	mu    sync.Mutex
	until time.Time // no call before this: the channel said "too many"
}

func newLimiters(clock Clock, cfg map[string]RateLimit, backoff time.Duration) *limiters {
	l := &limiters{clock: clock, backoff: backoff, byName: make(map[string]*channelLimit, len(cfg))}
	for name, rl := range cfg {
		l.byName[name] = &channelLimit{lim: rate.NewLimiter(rate.Limit(rl.Rate), rl.Burst)}
	}
	return l
}

// wait blocks until a call to channel name is allowed, or ctx ends (its error
// is returned). Tokens are reserved against the Syncer's clock and waited for
// on it (rate.Limiter.Wait would read the wall clock).
func (l *limiters) wait(ctx context.Context, name string) error {
	l.mu.RLock()
	c := l.byName[name]
	l.mu.RUnlock()
	if c == nil {
		return nil
	}
	c.mu.Lock()
	until := c.until
	c.mu.Unlock()
	if err := sleep(ctx, l.clock, until.Sub(l.clock.Now())); err != nil {
		return err
	}
	if c.lim == nil {
		return nil
	}
	now := l.clock.Now()
	r := c.lim.ReserveN(now, 1) // Burst >= 1 (Config.Validate): always OK
	if err := sleep(ctx, l.clock, r.DelayFrom(now)); err != nil {
		r.CancelAt(l.clock.Now()) // give the token back to the next caller
		return err
	}
	return nil
}

// hold makes channel name wait out the back-off before its next call.
func (l *limiters) hold(name string) {
	l.mu.Lock()
	c := l.byName[name]
	if c == nil {
		c = &channelLimit{}
		l.byName[name] = c
	}
	l.mu.Unlock()
	c.mu.Lock()
	if u := l.clock.Now().Add(l.backoff); u.After(c.until) {
		c.until = u
	}
	c.mu.Unlock()
}
