package syncer

import (
	"io"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
)

// Config configures a Syncer. Store and Channels are required; every other
// zero field takes the default named on it.
type Config struct {
	Store    repository.Store
	Channels *channel.Registry

	// Clock is the engine's time: what it reads and what it waits on (lock
	// waits, rate limits, back-off, drains, polls). Default WallClock.
	Clock Clock
	// Logger receives one line per failure worth a look. Default: discards.
	Logger *slog.Logger
	// NewID returns the ids of records and events; they should be uuid v7 so
	// they sort by time. Default: google/uuid's NewV7.
	NewID func() uuid.UUID
	// LockWait is how long a sync waits for another sync of the same order in
	// this Syncer before it gives up with ErrSyncInProgress. Default 200 ms,
	// DaxPay's figure.
	LockWait time.Duration
	// ConflictRetries bounds how often a commit that lost a version race is
	// re-decided on the fresh order. Default 5.
	ConflictRetries int

	// Timetables are the sweep timetables per kind of order. A zero field
	// takes its default: DefaultTimetable for pay and allocation orders,
	// DefaultPayoutTimetable for refunds and transfers.
	Timetables Timetables
	// NotFoundAfter is how long after its creation a refund or transfer the
	// channel does not know is taken as never received: a refund is closed
	// (and watched), a transfer raised to a person. Hosts send a refund to
	// the channel within this time of creating it. Default 10 minutes.
	NotFoundAfter time.Duration
	// Owner names this Syncer in leases. Default: a random id.
	Owner string
	// Lease is how long a claimed order is held by this Syncer. Default 1 min.
	Lease time.Duration
	// ClaimBatch is how many orders one claim asks for. Default 500.
	ClaimBatch int
	// Concurrency bounds the syncs one pass runs at once. Default 16.
	Concurrency int
	// RateLimits bounds the calls per second to each channel, by name. A
	// channel's limit is per merchant account: with N Syncers configure
	// limit/N. Channels not named are not limited.
	RateLimits map[string]RateLimit
	// RateLimitBackoff is how long a channel that answered ErrRateLimited is
	// left alone. Default 1 s.
	RateLimitBackoff time.Duration
	// PollInterval is how long Run sleeps after a pass that found nothing
	// due. Default 5 s.
	PollInterval time.Duration
	// DrainTimeout is how long in-flight syncs may run on after Run's ctx
	// ends. Default 10 s.
	DrainTimeout time.Duration
}

// RateLimit is a token bucket: Rate calls per second, bursts of up to Burst.
type RateLimit struct {
	Rate  float64
	Burst int
}

// Validate returns an error wrapping paysync.ErrInvalidRequest that names the
// first field that is wrong. Zero fields are valid: they take defaults.
func (c Config) Validate() error {
	const op = "syncer.Config"
	bad := func(msg string) error { return paysync.Ef(op, paysync.ErrInvalidRequest, msg, nil) }
	switch {
	case c.Store == nil:
		return bad("Store is required")
	case c.Channels == nil:
		return bad("Channels is required")
	case c.LockWait < 0:
		return bad("LockWait must not be negative")
	case c.ConflictRetries < 0:
		return bad("ConflictRetries must not be negative")
	case c.Lease < 0, c.ClaimBatch < 0, c.Concurrency < 0, c.RateLimitBackoff < 0,
		c.PollInterval < 0, c.DrainTimeout < 0, c.NotFoundAfter < 0:
		return bad("durations and sizes must not be negative")
	}
	for name, l := range c.RateLimits {
		if l.Rate <= 0 || l.Burst < 1 {
			return bad("RateLimits[" + name + "] needs Rate > 0 and Burst >= 1")
		}
	}
	for _, t := range []Timetable{c.Timetables.Pay, c.Timetables.Allocation, c.Timetables.Refund, c.Timetables.Transfer} {
		if len(t.Steps) > 0 {
			if err := t.Validate(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Timetables holds one timetable per kind of order; a zero one takes its
// kind's default.
type Timetables struct {
	Pay        Timetable
	Allocation Timetable
	Refund     Timetable
	Transfer   Timetable
}

func (t Timetables) withDefaults() Timetables {
	for _, f := range []struct {
		t   *Timetable
		def func() Timetable
	}{{&t.Pay, DefaultTimetable}, {&t.Allocation, DefaultTimetable},
		{&t.Refund, DefaultPayoutTimetable}, {&t.Transfer, DefaultPayoutTimetable}} {
		if len(f.t.Steps) == 0 {
			*f.t = f.def()
		}
	}
	return t
}

func (c Config) withDefaults() Config {
	if c.Clock == nil {
		c.Clock = WallClock{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.NewID == nil {
		c.NewID = newV7
	}
	if c.LockWait == 0 {
		c.LockWait = 200 * time.Millisecond
	}
	if c.ConflictRetries == 0 {
		c.ConflictRetries = 5
	}
	c.Timetables = c.Timetables.withDefaults()
	if c.NotFoundAfter == 0 {
		c.NotFoundAfter = 10 * time.Minute
	}
	if c.Owner == "" {
		c.Owner = "syncer-" + c.NewID().String()
	}
	if c.Lease == 0 {
		c.Lease = time.Minute
	}
	if c.ClaimBatch == 0 {
		c.ClaimBatch = 500
	}
	if c.Concurrency == 0 {
		c.Concurrency = 16
	}
	if c.RateLimitBackoff == 0 {
		c.RateLimitBackoff = time.Second
	}
	if c.PollInterval == 0 {
		c.PollInterval = 5 * time.Second
	}
	if c.DrainTimeout == 0 {
		c.DrainTimeout = 10 * time.Second
	}
	return c
}

// newV7 is uuid.NewV7, which fails only when the system's random source
// does; an id the engine cannot make is a broken machine, not an input.
func newV7() uuid.UUID { return uuid.Must(uuid.NewV7()) }
