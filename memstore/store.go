// Package memstore is an in-memory repository.Store, safe for concurrent use:
// the store of tests, examples and single-process hosts that can lose their
// orders on restart, and the reference a newcomer reads to learn what a
// store does.
//
// It is plain on purpose. One lock guards everything; orders live in maps by
// number, with B-trees (github.com/google/btree) as the ordered indexes that
// claims and listings read, so that their cost grows with what they return,
// not with what is stored. Records and events are kept as values in
// append-only slices. Values are copied on the way in and on the way out, so
// a caller never shares memory with what is stored; times are stored in UTC
// truncated to microseconds, as PostgreSQL keeps them.
//
// Every method does what its port's doc comment in package repository says,
// and fails as it says: with an error wrapping the sentinel named there, or
// paysync.ErrCanceled and ctx's error when ctx has ended, storing nothing.
package memstore

import (
	"context"
	"sync"
	"time"

	"github.com/google/btree"
	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

var (
	_ repository.Store          = (*Store)(nil)
	_ repository.PayOrderLoader = (*Store)(nil)
)

// Store is an in-memory repository.Store. The zero value is not usable: call
// New.
type Store struct {
	// One lock for everything: a commit touches orders, records, events
	// and anomalies together, and memory is fast enough that finer locks
	// would buy nothing worth their reasoning.
	mu          sync.RWMutex
	pays        *table[paysync.PayOrder]
	allocations *table[paysync.AllocationOrder]
	refunds     *table[paysync.RefundOrder]
	transfers   *table[paysync.TransferOrder]
	listings    map[paysync.TradeType]listing // the four tables above, by kind
	syncs       *journal[paysync.SyncRecord, uuid.UUID]
	adjusts     *journal[paysync.AdjustRecord, string]
	events      *journal[paysync.Event, uuid.UUID]
	undelivered *btree.BTreeG[int] // positions in events not yet delivered: what a host polls for
	anomalies   *anomalies
}

// New returns an empty Store.
func New() *Store {
	s := &Store{
		pays:        newTable(payKind),
		allocations: newTable(allocationKind),
		refunds:     newTable(refundKind),
		transfers:   newTable(transferKind),
		syncs: newJournal(func(r paysync.SyncRecord) uuid.UUID { return r.ID },
			func(r paysync.SyncRecord) string { return r.TradeNo }),
		adjusts: newJournal(func(a paysync.AdjustRecord) string { return a.AdjustNo },
			func(a paysync.AdjustRecord) string { return a.TradeNo }),
		events: newJournal(func(ev paysync.Event) uuid.UUID { return ev.ID },
			func(ev paysync.Event) string { return ev.TradeNo }),
		undelivered: btree.NewOrderedG[int](32),
		anomalies:   newAnomalies(),
	}
	s.listings = map[paysync.TradeType]listing{paysync.TradePay: s.pays, paysync.TradeAllocation: s.allocations,
		paysync.TradeRefund: s.refunds, paysync.TradeTransfer: s.transfers}
	return s
}

// utc is a time as the store keeps it: in UTC, truncated to microseconds.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// invalid returns an error of op wrapping paysync.ErrInvalidRequest.
func invalid(op, message string) error {
	return paysync.Ef(op, paysync.ErrInvalidRequest, message, nil)
}

// update runs f holding the lock for writing. It checks ctx once it holds
// the lock, so a call whose ctx ended while it waited stores nothing.
func (s *Store) update(ctx context.Context, op string, f func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := paysync.ContextError(ctx, op); err != nil {
		return err
	}
	return f()
}

// view runs f holding the lock for reading, unless ctx has ended.
func view[T any](ctx context.Context, s *Store, op string, f func() (T, error)) (T, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := paysync.ContextError(ctx, op); err != nil {
		var none T
		return none, err
	}
	return f()
}
