package syncer

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
)

// Syncer is the engine. It is safe for concurrent use; create one per host
// with New and share it between the host's handlers, callbacks and sweeper.
type Syncer struct {
	cfg      Config
	store    repository.Store
	channels *channel.Registry
	clk      Clock
	newID    func() uuid.UUID
	log      *slog.Logger

	payLocks   *keyedLock
	allocLocks *keyedLock
	limits     *limiters
	scratches  sync.Pool // of *scratch
}

// New returns a Syncer for cfg, or an error wrapping paysync.ErrInvalidRequest
// when cfg does not validate.
func New(cfg Config) (*Syncer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	return &Syncer{
		cfg:        cfg,
		store:      cfg.Store,
		channels:   cfg.Channels,
		clk:        cfg.Clock,
		newID:      cfg.NewID,
		log:        cfg.Logger,
		payLocks:   newKeyedLock(cfg.Clock),
		allocLocks: newKeyedLock(cfg.Clock),
		limits:     newLimiters(cfg.Clock, cfg.RateLimits, cfg.RateLimitBackoff),
	}, nil
}

// Owner returns the name this Syncer puts on its leases.
func (s *Syncer) Owner() string { return s.cfg.Owner }

// Timetable returns the sweep schedule in use.
func (s *Syncer) Timetable() Timetable { return s.cfg.Timetable }

// clock returns the current time in the form stores keep (UTC, µs), so a
// value the engine computes compares equal to the value read back.
func (s *Syncer) clock() time.Time { return s.clk.Now().UTC().Truncate(time.Microsecond) }

// storeCtx is the context for writes once a channel answer is in hand: the
// answer's SyncRecord is written even when the caller has gone. A context
// that can never be cancelled is used as it is.
func storeCtx(ctx context.Context) context.Context {
	if ctx.Done() == nil {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

func (s *Syncer) sourceOf(src paysync.Source, def paysync.Source, op string) (paysync.Source, error) {
	if src == "" {
		return def, nil
	}
	if !src.Valid() {
		return "", paysync.Ef(op, paysync.ErrInvalidRequest, "unknown source "+string(src), nil)
	}
	return src, nil
}
