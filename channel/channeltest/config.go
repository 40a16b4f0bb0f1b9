package channeltest

import (
	"fmt"
	"math"
	"time"

	"github.com/paysync/paysync"
)

// DefaultName is the channel name used when Config.Name is empty.
const DefaultName = "test"

// Config configures a fake channel. The zero value is a channel named "test"
// that answers at once, never fails on its own and has no rate limit.
type Config struct {
	// Name is what Name returns; empty means DefaultName.
	Name string
	// Latency delays every call that passes the rate limit. The wait is on
	// Clock, and ends early with ctx.Err() when ctx is done.
	Latency time.Duration
	// LatencyJitter adds a random delay in [0, LatencyJitter] to Latency,
	// drawn from the seeded source.
	LatencyJitter time.Duration
	// Rate is the token-bucket refill in calls per second, shared by all
	// methods; zero means no limit. A call over the limit is refused at once
	// with an error wrapping channel.ErrRateLimited.
	Rate float64
	// Burst is the bucket size; zero means 1 when Rate is set. Ignored when
	// Rate is zero.
	Burst int
	// ErrorRate is the probability in [0, 1] that a call fails with an error
	// wrapping ErrInjected.
	ErrorRate float64
	// TimeoutRate is the probability in [0, 1] that a call blocks until its
	// ctx is done. ErrorRate + TimeoutRate must not exceed 1.
	TimeoutRate float64
	// Seed seeds the source of jitter and random faults, so a run repeats.
	Seed int64
	// Clock is the channel's time: SetPayAt truths, the rate limit, latency
	// and the PaidAt of a close refused as already paid. nil means the wall
	// clock; a *Clock lets a test decide every instant and every wait. It
	// must be safe for concurrent use.
	Clock Timebase
}

// Timebase is what the fake channel reads the time from and waits on: a
// *Clock, or the wall clock. syncer.Clock has the same methods, so one
// *Clock serves a test's channel and engine.
type Timebase interface {
	Now() time.Time
	After(d time.Duration) (<-chan time.Time, func() bool)
}

// wallClock is the real clock.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) After(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// withDefaults returns cfg with its zero fields filled in.
func (cfg Config) withDefaults() Config {
	if cfg.Name == "" {
		cfg.Name = DefaultName
	}
	if cfg.Rate > 0 && cfg.Burst == 0 {
		cfg.Burst = 1
	}
	if cfg.Clock == nil {
		cfg.Clock = wallClock{}
	}
	return cfg
}

// Validate reports whether cfg is usable. It returns nil for the zero
// Config, and an error wrapping paysync.ErrInvalidRequest naming the first
// bad field: a negative Latency, LatencyJitter, Rate or Burst, a Rate that is
// not finite, a fault rate outside [0, 1] or not a number, or fault rates
// summing above 1.
func (cfg Config) Validate() error {
	const op = "channeltest.Config.Validate"
	bad := func(format string, args ...any) error {
		return paysync.Ef(op, paysync.ErrInvalidRequest, fmt.Sprintf(format, args...), nil)
	}
	switch {
	case cfg.Latency < 0:
		return bad("Latency %v is negative", cfg.Latency)
	case cfg.LatencyJitter < 0:
		return bad("LatencyJitter %v is negative", cfg.LatencyJitter)
	case cfg.Rate < 0 || math.IsNaN(cfg.Rate) || math.IsInf(cfg.Rate, 0):
		return bad("Rate %v is not a finite number >= 0", cfg.Rate)
	case cfg.Burst < 0:
		return bad("Burst %d is negative", cfg.Burst)
	case !isProbability(cfg.ErrorRate):
		return bad("ErrorRate %v is outside [0, 1]", cfg.ErrorRate)
	case !isProbability(cfg.TimeoutRate):
		return bad("TimeoutRate %v is outside [0, 1]", cfg.TimeoutRate)
	case cfg.ErrorRate+cfg.TimeoutRate > 1:
		return bad("ErrorRate + TimeoutRate = %v exceeds 1", cfg.ErrorRate+cfg.TimeoutRate)
	}
	return nil
}

// isProbability is false for NaN too, as NaN fails both comparisons.
func isProbability(p float64) bool { return p >= 0 && p <= 1 }
