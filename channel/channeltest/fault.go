package channeltest

import (
	"context"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// fault is a run of n identical injected failures; a nil err is a timeout.
type fault struct {
	err error
	n   int
}

// admit runs what every call goes through before the channel looks at the
// order: the config check, ctx, the rate limit, latency and random faults. It
// returns nil when the call may go on.
func (c *Channel) admit(ctx context.Context, op string) error {
	if c.cfgErr != nil {
		return c.cfgErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.limiter != nil && !c.limiter.AllowN(c.cfg.Clock.Now(), 1) {
		c.rejections.Add(1)
		return paysync.Ef(op, paysync.ErrChannelUnavailable, "rate limited by the fake channel", channel.ErrRateLimited)
	}
	if d := c.latency(); d > 0 {
		if err := c.sleep(ctx, d); err != nil {
			return err
		}
	}
	switch c.draw() {
	case drawTimeout:
		return c.hang(ctx)
	case drawError:
		c.injected.Add(1)
		return c.errInjected
	}
	return nil
}

// fail answers an injected fault taken from a script.
func (c *Channel) fail(ctx context.Context, f fault) error {
	if f.err == nil {
		return c.hang(ctx)
	}
	c.injected.Add(1)
	return f.err
}

// hang is an injected timeout: no answer until ctx gives up.
func (c *Channel) hang(ctx context.Context) error {
	c.timeouts.Add(1)
	<-ctx.Done()
	return ctx.Err()
}

// latency returns the delay for one call. The seeded source is only locked
// when there is jitter, so the common case costs nothing.
func (c *Channel) latency() time.Duration {
	j := c.cfg.LatencyJitter
	if j <= 0 {
		return c.cfg.Latency
	}
	c.randMu.Lock()
	extra := c.rand.Int64N(int64(j) + 1)
	c.randMu.Unlock()
	return c.cfg.Latency + time.Duration(extra)
}

type drawResult int

const (
	drawNone drawResult = iota
	drawTimeout
	drawError
)

// draw decides a random fault for one call.
func (c *Channel) draw() drawResult {
	if c.cfg.ErrorRate <= 0 && c.cfg.TimeoutRate <= 0 {
		return drawNone
	}
	c.randMu.Lock()
	p := c.rand.Float64()
	c.randMu.Unlock()
	switch {
	case p < c.cfg.TimeoutRate:
		return drawTimeout
	case p < c.cfg.TimeoutRate+c.cfg.ErrorRate:
		return drawError
	}
	return drawNone
}

// sleep waits d on the channel's clock or until ctx is done. The wait is
// stopped, not abandoned, so it holds no memory once ctx ends.
func (c *Channel) sleep(ctx context.Context, d time.Duration) error {
	fired, stop := c.cfg.Clock.After(d)
	defer stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-fired:
		return nil
	}
}
