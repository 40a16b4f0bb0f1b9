package syncer

import (
	"context"
	"log/slog"
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

	// One in-process lock per kind, keyed by the order's system number. A
	// refund sync takes its refund's lock, then its pay order's: always in
	// that order.
	payLocks      *keyedLock
	allocLocks    *keyedLock
	refundLocks   *keyedLock
	transferLocks *keyedLock
	limits        *limiters

	refunds   *payoutKind[paysync.RefundOrder]
	transfers *payoutKind[paysync.TransferOrder]
}

// New returns a Syncer for cfg, or an error wrapping paysync.ErrInvalidRequest
// when cfg does not validate.
func New(cfg Config) (*Syncer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	s := &Syncer{
		cfg:           cfg,
		store:         cfg.Store,
		channels:      cfg.Channels,
		clk:           cfg.Clock,
		newID:         cfg.NewID,
		log:           cfg.Logger,
		payLocks:      newKeyedLock(cfg.Clock),
		allocLocks:    newKeyedLock(cfg.Clock),
		refundLocks:   newKeyedLock(cfg.Clock),
		transferLocks: newKeyedLock(cfg.Clock),
		limits:        newLimiters(cfg.Clock, cfg.RateLimits, cfg.RateLimitBackoff),
	}
	s.refunds = s.refundKind()
	s.transfers = s.transferKind()
	return s, nil
}

// Owner returns the name this Syncer puts on its leases.
func (s *Syncer) Owner() string { return s.cfg.Owner }

// Timetables returns the sweep timetables in use, defaults filled in.
func (s *Syncer) Timetables() Timetables { return s.cfg.Timetables }

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

// sourceOf returns src, def when src is empty, or an error wrapping
// paysync.ErrInvalidRequest for an unknown source.
func sourceOf(op string, src, def paysync.Source) (paysync.Source, error) {
	if src == "" {
		return def, nil
	}
	if !src.Valid() {
		return "", paysync.Ef(op, paysync.ErrInvalidRequest, "unknown source "+string(src), nil)
	}
	return src, nil
}

// lock takes key in locks, waiting up to Config.LockWait. It returns the
// release func and whether another holder went first (what the caller read
// may be stale); an error wrapping paysync.ErrCanceled when ctx ended first,
// paysync.ErrSyncInProgress when the wait ran out.
func (s *Syncer) lock(ctx context.Context, op string, locks *keyedLock, key string) (release func(), waited bool, err error) {
	held, waited := locks.acquire(ctx, key, s.cfg.LockWait)
	if !held {
		if err := paysync.ContextError(ctx, op); err != nil {
			return nil, waited, err
		}
		return nil, waited, paysync.E(op, paysync.ErrSyncInProgress, nil)
	}
	return func() { locks.release(key) }, waited, nil
}
