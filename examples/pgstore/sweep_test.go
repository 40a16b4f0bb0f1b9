package pgstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/examples/pgstore"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Sweep times. Orders are created at t0 and due at once; a sweep at
// sweepAt reschedules them to t0 + 1 min (DefaultTimetable's grid), so a
// sweep at afterLease, past the leases taken at sweepAt, finds due only
// orders no sweep completed.
const (
	sweepLease = 20 * time.Second
	sweepAfter = 30 * time.Second
	afterLease = sweepAfter + sweepLease + time.Second
)

// loadDue stores n pay orders on the fake channel's name, created at t0 and
// due at once, with COPY; the channel reports every fifth one paid. It
// returns the paid ones.
func loadDue(t *testing.T, db *pgxpool.Pool, ch *channeltest.Channel, n int) map[string]bool {
	t.Helper()
	orders := make([]paysync.PayOrder, n)
	paid := map[string]bool{}
	for i := range orders {
		no := fmt.Sprintf("S%05d", i)
		orders[i] = paysync.PayOrder{OrderNo: no, BizOrderNo: "B" + no, Channel: ch.Name(),
			Amount: decimal.RequireFromString("10.00"), Currency: "CNY", Status: paysync.PayProgress,
			RefundStatus: paysync.PayRefundNone, CreatedAt: t0, UpdatedAt: t0}
		if i%5 == 0 {
			ch.SetPay(no, channeltest.Paid(orders[i]))
			paid[no] = true
		}
	}
	require.NoError(t, pgstore.New(db).LoadPayOrders(context.Background(), orders))
	return paid
}

// newHost returns a Syncer named owner on a store over db, with the lease of
// these tests, a batch of 200 and 16 syncs at once unless tune says
// otherwise.
func newHost(t *testing.T, db *pgxpool.Pool, reg *channel.Registry, clock *channeltest.Clock, owner string, tune ...func(*syncer.Config)) *syncer.Syncer {
	t.Helper()
	cfg := syncer.Config{Store: pgstore.New(db), Channels: reg, Clock: clock, Owner: owner,
		Lease: sweepLease, ClaimBatch: 200, Concurrency: 16}
	for _, f := range tune {
		f(&cfg)
	}
	s, err := syncer.New(cfg)
	require.NoError(t, err)
	return s
}

// sweepAll runs one Sweep on every host at once and returns their reports,
// failing t when a Sweep returns an error.
func sweepAll(t *testing.T, hosts []*syncer.Syncer) []syncer.SweepReport {
	t.Helper()
	reports := make([]syncer.SweepReport, len(hosts))
	errs := make([]error, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Go(func() { reports[i], errs[i] = h.Sweep(context.Background(), syncer.SweepOptions{}) })
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "host %s", hosts[i].Owner())
	}
	return reports
}

// total adds reports up.
func total(reports []syncer.SweepReport) syncer.SweepReport {
	var sum syncer.SweepReport
	for _, r := range reports {
		sum.Due += r.Due
		sum.Synced += r.Synced
		sum.Adjusted += r.Adjusted
		sum.Anomalies += r.Anomalies
		sum.Errors += r.Errors
		sum.Exhausted += r.Exhausted
		sum.Busy += r.Busy
		sum.RateLimited += r.RateLimited
		sum.Abandoned += r.Abandoned
	}
	return sum
}

// dueAt counts the orders a claim at now would find due, leased or not.
func dueAt(t *testing.T, db *pgxpool.Pool, now time.Time) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRow(context.Background(),
		`SELECT count(*) FROM pay_orders WHERE in_schedule AND next_sync_at <= $1`, now).Scan(&n))
	return n
}

// TestSweepFourHosts: four Syncers, each with a pool of its own on one
// schema, sweep 10,000 due orders at once, a fifth of them paid at the
// channel. Every order is claimed and synced exactly once, every payment is
// adjusted once with one status event, and no lease is left behind.
func TestSweepFourHosts(t *testing.T) {
	schema := newSchema(t)
	db := schema.open(4)
	clock := channeltest.NewClock(t0.Add(sweepAfter))
	ch := channeltest.New(channeltest.Config{Clock: clock})
	reg := channel.NewRegistry(ch)
	const n = 10_000
	paid := loadDue(t, db, ch, n)

	hosts := make([]*syncer.Syncer, 4)
	for i := range hosts {
		hosts[i] = newHost(t, schema.open(8), reg, clock, fmt.Sprintf("host-%d", i))
	}
	reports := sweepAll(t, hosts)
	for i, r := range reports {
		t.Logf("host-%d: %+v", i, r)
		assert.Positive(t, r.Due, "host-%d claimed nothing: the hosts did not sweep side by side", i)
	}
	assert.Equal(t, syncer.SweepReport{Due: n, Synced: n, Adjusted: len(paid)}, total(reports))
	assert.EqualValues(t, n, ch.Stats().PayQueries, "the channel is asked once per order")

	l := readLedger(t, db)
	require.Len(t, l, n)
	require.Empty(t, requireWhole(t, l, paid), "orders no sweep completed")
	adjusts, events := 0, 0
	for no, e := range l {
		require.Zero(t, e.failed, "order %s", no)
		require.Empty(t, e.leaseOwner, "order %s: lease left behind", no)
		adjusts += e.adjusts
		events += e.events
	}
	assert.Equal(t, len(paid), adjusts, "one AdjustRecord per paid order")
	assert.Equal(t, adjusts, events, "one status event per AdjustRecord")
	assert.Zero(t, dueAt(t, db, clock.Now()), "nothing left due")
}
