// Package repositorytest is the conformance suite of the storage ports: every
// repository.Store — memstore, a PostgreSQL store, a host's own — runs Run in
// its tests and must pass all of it. The suite has no switch to skip a
// contract; Options only sizes the tests that load many orders or writers.
//
// It also exports benchmarks of the two costs docs/performance.md#store-benchmarks bounds (claim and
// commit with many orders stored) and builders of valid orders, records,
// sightings and refund changes for other packages' tests.
package repositorytest

import (
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// Factory returns a new, empty store for one test or benchmark. It registers
// whatever cleanup the store needs with tb.Cleanup, and fails tb when the
// store cannot be made.
type Factory func(tb testing.TB) repository.Store

// Options sizes the suite. A zero field takes its default.
type Options struct {
	// ConcurrentWriters is how many goroutines commit to one order at once,
	// and how many owners claim at once. Default 32.
	ConcurrentWriters int
	// CommitsPerWriter is how many successful commits each writer makes.
	// Default 8.
	CommitsPerWriter int
	// ClaimOrders is how many due orders the concurrent claim test shares
	// out. Default 256.
	ClaimOrders int
}

// Validate returns an error when a size is negative.
func (o Options) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"ConcurrentWriters", o.ConcurrentWriters}, {"CommitsPerWriter", o.CommitsPerWriter}, {"ClaimOrders", o.ClaimOrders}} {
		if f.v < 0 {
			return fmt.Errorf("repositorytest: Options.%s is %d; want 0 (the default) or more", f.name, f.v)
		}
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.ConcurrentWriters == 0 {
		o.ConcurrentWriters = 32
	}
	if o.CommitsPerWriter == 0 {
		o.CommitsPerWriter = 8
	}
	if o.ClaimOrders == 0 {
		o.ClaimOrders = 256
	}
	return o
}

// Run asserts every contract of repository.Store, each in a subtest with a
// store of its own from newStore. It fails t when opts is not valid.
func Run(t *testing.T, newStore Factory, opts Options) {
	if err := opts.Validate(); err != nil {
		t.Fatal(err)
	}
	s := suite{newStore: newStore, opts: opts.withDefaults()}
	t.Run("Fields", testFieldGuard)
	t.Run("PayOrders", func(t *testing.T) {
		runOrders(t, s, payKind(), orderTest[paysync.PayOrder]{"EmptyRefundStatus", testPayEmptyRefundStatus})
	})
	t.Run("AllocationOrders", func(t *testing.T) {
		runOrders(t, s, allocationKind(), orderTest[paysync.AllocationOrder]{"CreatedPending", testAllocationPending})
	})
	t.Run("RefundOrders", func(t *testing.T) { runOrders(t, s, refundKind(), refundTests()...) })
	t.Run("TransferOrders", func(t *testing.T) { runOrders(t, s, transferKind()) })
	t.Run("Records", func(t *testing.T) { s.runAll(t, recordTests()) })
	t.Run("Outbox", func(t *testing.T) { s.runAll(t, outboxTests()) })
	t.Run("Anomalies", func(t *testing.T) { s.runAll(t, anomalyTests()) })
	t.Run("Listings", func(t *testing.T) { s.runAll(t, listingsTests()) })
	t.Run("Values", func(t *testing.T) { s.runAll(t, valueTests()) })
	t.Run("Context", func(t *testing.T) { runContext(t, s) })
	t.Run("PayOrderLoader", func(t *testing.T) { runLoader(t, s) })
}

type suite struct {
	newStore Factory
	opts     Options
}

// test is one contract, asserted on a fresh store.
type test struct {
	name string
	fn   func(t *testing.T, st repository.Store, opts Options)
}

func (s suite) runAll(t *testing.T, tests []test) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, s.newStore(t), s.opts) })
	}
}

// base is the suite's clock: every time is an offset from it.
func base() time.Time { return time.Date(2024, 5, 12, 8, 0, 0, 0, time.UTC) }
