// Package memstore is an in-memory repository.Store, safe for concurrent use.
// It is the store of tests, examples and single-process hosts that can lose
// their orders on restart.
//
// Values are copied on the way in and on the way out, so a caller never
// shares memory with what is stored. Orders are indexed by both numbers and,
// when in the sweep schedule, by due time, so a claim or a commit costs the
// same with ten thousand orders stored as with a million.
package memstore

import (
	"context"
	"sync"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

var _ repository.Store = (*Store)(nil)

// Store is an in-memory repository.Store. The zero value is not usable: call
// New.
type Store struct {
	// One lock for everything: a commit touches an order, records and
	// events together, and every critical section is short because orders
	// are copied and normalised before it starts (a commit's records
	// excepted: they are encoded into the journal's shared chunks).
	mu          sync.RWMutex
	pays        *book[paysync.PayOrder]
	allocations *book[paysync.AllocationOrder]
	log         *journal
}

// New returns an empty Store.
func New() *Store {
	return &Store{
		pays: newBook(kind[paysync.PayOrder]{
			notFound: paysync.ErrOrderNotFound,
			numbers:  func(o *paysync.PayOrder) (string, string) { return o.OrderNo, o.BizOrderNo },
			schedule: func(o *paysync.PayOrder) *paysync.Schedule { return &o.Schedule },
			version:  func(o *paysync.PayOrder) *int64 { return &o.Version },
		}),
		allocations: newBook(kind[paysync.AllocationOrder]{
			notFound: paysync.ErrAllocationNotFound,
			numbers: func(o *paysync.AllocationOrder) (string, string) {
				return o.AllocationNo, o.BizAllocationNo
			},
			schedule: func(o *paysync.AllocationOrder) *paysync.Schedule { return &o.Schedule },
			version:  func(o *paysync.AllocationOrder) *int64 { return &o.Version },
		}),
		log: newJournal(),
	}
}

// alive returns ctx's error as a paysync error of op, or nil while ctx lives.
func alive(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return paysync.E(op, paysync.ErrInternal, err)
	}
	return nil
}
