//go:build go1.25

package syncer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chaosSize is how big one chaos run is. Refunds are not counted here:
// the workers create them on the paid orders as they go.
type chaosSize struct {
	name      string
	pays      int
	allocs    int
	transfers int
	opsWorker int // operations per worker
}

var (
	chaosShort = chaosSize{"short", 200, 20, 40, 150}
	chaosFull  = chaosSize{"full", 1000, 100, 200, 1000}
)

const (
	chaosWorkers = 8
	chaosSeed    = 20261127
	// chaosHorizon bounds the test clock: every scripted truth is due by
	// then, and no schedule (a day long) runs out.
	chaosHorizon = 4 * time.Hour
)

// TestChaos runs 8 workers mixing SyncPay, pay callbacks (current, stale and
// duplicate), SyncAllocation, CreateRefund (new refunds on the paid orders,
// identical retries, taken numbers), SyncRefund and refund callbacks,
// SyncTransfer and transfer callbacks (current, stale, duplicate), Sweep and
// clock moves from two Syncers on one memstore, against a channel that
// fails 10 % of calls, hangs 5 % until the caller's ctx ends and answers
// after 0–2 ms, while truths move along real paths on the test clock. A
// fault-free drain follows: a channel without faults holding the same
// truths, one sync per order. Then every order must match its channel truth
// or carry the anomaly docs/pay-sync.md, docs/allocation-sync.md,
// docs/refund-sync.md and docs/transfer-sync.md prescribe, every pay
// order's money must equal what its refunds say, every trail must show no
// lost update and no duplicate event, and the run must be race-free under
// -race.
//
// The default is the full size (1,000 pay, 100 allocation and 200 transfer
// orders, refunds as the workers make them) with one seed; -short runs 200,
// 20 and 40. PAYSYNC_CHAOS_SEEDS=n runs n seeds, for a soak (see
// RELIABILITY.md).
func TestChaos(t *testing.T) {
	size := chaosFull
	if testing.Short() {
		size = chaosShort
	}
	seeds := 1
	if v := os.Getenv("PAYSYNC_CHAOS_SEEDS"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "PAYSYNC_CHAOS_SEEDS")
		seeds = max(n, 1)
	}
	for i := range seeds {
		seed := uint64(chaosSeed + i)
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { runChaos(t, seed, size) })
		})
	}
}

func runChaos(t *testing.T, seed uint64, size chaosSize) {
	t.Logf("chaos %s: seed %d, %d pay orders, %d allocation orders, %d transfer orders, %d workers × %d operations",
		size.name, seed, size.pays, size.allocs, size.transfers, chaosWorkers, size.opsWorker)
	c := newChaos(t, seed, size)
	drive(c.clock, c.run)
	stats := c.ch.Stats()
	t.Logf("faults injected: %d errors, %d timeouts over %d pay queries, %d closes, %d allocation queries, "+
		"%d refund queries, %d transfer queries",
		stats.Injected, stats.Timeouts, stats.PayQueries, stats.Closes, stats.AllocationQueries, stats.RefundQueries,
		stats.TransferQueries)
	t.Logf("operations: %s", c.n.String())
	t.Logf("refund and transfer operations: %s", c.n.payoutString())
	before := c.sourceCounts()
	drive(c.clock, c.drain)
	after := c.sourceCounts()
	t.Logf("changes during chaos by source: callback %d, api %d, sweep %d; by the drain: %d",
		before[paysync.SourceCallback], before[paysync.SourceAPI], before[paysync.SourceSweep],
		after[paysync.SourceAPI]-before[paysync.SourceAPI])
	c.check()
}

// chaosPay is one pay order of the run and what its channel was scripted to do.
type chaosPay struct {
	start       paysync.PayOrder
	initial     channel.PayReport // the first truth: a stale callback
	mismatch    bool              // the channel recorded another amount
	alreadyPaid bool              // a close at the channel finds the payment
	paid        bool              // the channel is paid for it at some point
}

// chaosAlloc is one allocation order of the run and its channel's script.
type chaosAlloc struct {
	start    paysync.AllocationOrder
	known    bool         // the channel knows it at some point
	missing  map[int]bool // receivers the channel never lists
	mismatch map[int]bool // receivers the channel lists with another amount
	extra    bool         // the channel lists a share no receiver has
}

type chaos struct {
	t      *testing.T
	seed   uint64
	size   chaosSize
	r      *rand.Rand
	clock  *channeltest.Clock
	tickMu sync.Mutex // one tick at a time, so the horizon holds
	store  *memstore.Store
	ch     *channeltest.Channel
	hosts  [2]*Syncer
	pays   []chaosPay
	allocs []chaosAlloc
	drainC *channeltest.Channel
	n      chaosCounts

	payable   []int // pays the channel is paid for with the right amount: refunds' targets
	transfers []*chaosTransfer
	refMu     sync.Mutex
	refunds   []*chaosRefund // appended by the workers
	serial    atomic.Int64   // refund numbers
}

// chaosCounts counts the operations of the run; workers add atomically.
type chaosCounts struct {
	syncs, callbacks, stale, dupes, allocSyncs, sweeps, ticks atomic.Int64
	busy, unavailable, conflicts, deadline                    atomic.Int64
	swept                                                     atomic.Int64 // orders the sweeps claimed

	refundAsks, refundCreates, refusedBalance, refusedUnpaid, refusedAnomaly, refundRetries, takenNumbers atomic.Int64
	refundSyncs, refundCallbacks, refundStale, refundDupes                                                atomic.Int64
	transferSyncs, transferCallbacks, transferStale, transferDupes                                        atomic.Int64
}

func (n *chaosCounts) payoutString() string {
	return fmt.Sprintf("%d new refunds asked: %d created, refused %d over the balance, %d not paid (yet), "+
		"%d refund_at_channel; %d identical retries, %d taken numbers; %d refund syncs, %d refund callbacks "+
		"(%d stale, %d duplicate); %d transfer syncs, %d transfer callbacks (%d stale, %d duplicate)",
		n.refundAsks.Load(), n.refundCreates.Load(), n.refusedBalance.Load(), n.refusedUnpaid.Load(),
		n.refusedAnomaly.Load(), n.refundRetries.Load(), n.takenNumbers.Load(), n.refundSyncs.Load(),
		n.refundCallbacks.Load(), n.refundStale.Load(), n.refundDupes.Load(), n.transferSyncs.Load(),
		n.transferCallbacks.Load(), n.transferStale.Load(), n.transferDupes.Load())
}

func (n *chaosCounts) String() string {
	return fmt.Sprintf("%d pay syncs, %d callbacks (%d stale, %d duplicate), %d allocation syncs, %d sweeps "+
		"(%d orders claimed), %d clock ticks; outcomes: %d busy, %d channel unavailable, %d version conflicts past retries, "+
		"%d deadline before the store",
		n.syncs.Load(), n.callbacks.Load(), n.stale.Load(), n.dupes.Load(), n.allocSyncs.Load(), n.sweeps.Load(),
		n.swept.Load(), n.ticks.Load(), n.busy.Load(), n.unavailable.Load(), n.conflicts.Load(), n.deadline.Load())
}

func newChaos(t *testing.T, seed uint64, size chaosSize) *chaos {
	clock := channeltest.NewClock(t0)
	c := &chaos{t: t, seed: seed, size: size, r: newRand(seed), clock: clock, store: memstore.New()}
	c.ch = channeltest.New(channeltest.Config{ErrorRate: 0.10, TimeoutRate: 0.05, LatencyJitter: 2 * time.Millisecond,
		Seed: int64(seed), Clock: clock})
	reg := channel.NewRegistry(c.ch)
	for i := range c.hosts {
		s, err := New(Config{Store: c.store, Channels: reg, Clock: clock, Owner: fmt.Sprintf("host-%d", i),
			Concurrency: 4, ClaimBatch: 50, DrainTimeout: 20 * time.Millisecond})
		require.NoError(t, err)
		c.hosts[i] = s
	}
	for i := range size.pays {
		c.addPay(fmt.Sprintf("C%04d", i))
	}
	for i := range size.allocs {
		c.addAlloc(fmt.Sprintf("CA%03d", i))
	}
	for i := range size.transfers {
		c.addTransfer(fmt.Sprintf("CT%03d", i))
	}
	for i, p := range c.pays {
		if p.paid && !p.mismatch {
			c.payable = append(c.payable, i)
		}
	}
	return c
}

func (c *chaos) at(from, to time.Duration) time.Time {
	return t0.Add(from + time.Duration(c.r.Int64N(int64(to-from))))
}

// addPay creates a pay order and scripts its truth along one real path.
func (c *chaos) addPay(no string) {
	ctx := context.Background()
	created := t0.Add(-time.Duration(c.r.IntN(30)) * time.Minute)
	o := paysync.PayOrder{OrderNo: no, BizOrderNo: "biz-" + no, Channel: channeltest.DefaultName,
		Amount: decimal.New(int64(100+c.r.IntN(50000)), -2), Currency: "CNY", Status: paysync.PayProgress,
		RefundStatus: paysync.PayRefundNone, CreatedAt: created, UpdatedAt: created}
	if c.r.IntN(10) == 0 {
		o.Status = paysync.PayWait // the host crashed between the channel call and marking progress
	}
	if c.r.IntN(10) < 6 {
		o.ExpiredAt = c.at(20*time.Minute, 3*time.Hour)
	}
	o.Schedule.NextSyncAt = DefaultTimetable().First(o.CreatedAt, o.ExpiredAt)
	require.NoError(c.t, c.store.CreatePayOrder(ctx, o))
	p := chaosPay{start: o}

	if c.r.IntN(20) == 0 { // Alipay: the payer never scanned
		p.initial = channeltest.Report(o, channel.PayNotFoundUnknown)
		c.ch.SetPay(no, p.initial)
		c.pays = append(c.pays, p)
		return
	}
	p.initial = channeltest.Report(o, channel.PayProgress)
	c.ch.SetPay(no, p.initial)
	paid := func(at time.Time) channel.PayReport {
		r := channeltest.Paid(o)
		r.PaidAt = at
		if p.mismatch {
			r.Amount = o.Amount.Add(decimal.NewFromInt(1))
		}
		return r
	}
	switch x := c.r.IntN(100); {
	case x < 30:
		p.mismatch = c.r.IntN(15) == 0
		p.paid = true
		tp := c.at(0, 150*time.Minute)
		r := paid(tp)
		c.ch.SetPayAt(no, tp, r)
		if c.r.IntN(10) < 3 {
			r.State, r.RefundedAmount, r.Raw = channel.PayRefunded, o.Amount, nil
			if c.r.IntN(2) == 0 {
				r.RefundedAmount = o.Amount.Div(decimal.NewFromInt(2)).Round(2)
			}
			c.ch.SetPayAt(no, tp.Add(time.Duration(10+c.r.IntN(50))*time.Minute), r)
		}
	case x < 40:
		tc := c.at(0, 150*time.Minute)
		c.ch.SetPayAt(no, tc, channeltest.Report(o, channel.PayClosed))
		if c.r.IntN(5) == 0 { // paid after close
			p.paid = true
			ts := tc.Add(time.Duration(5+c.r.IntN(30)) * time.Minute)
			c.ch.SetPayAt(no, ts, paid(ts))
		}
	case x < 45:
		c.ch.SetPayAt(no, c.at(0, 150*time.Minute), channeltest.Report(o, channel.PayFailed))
	case x < 50:
		c.ch.SetPayAt(no, c.at(0, 150*time.Minute), channeltest.Report(o, channel.PayCancelled))
	case x < 55:
		p.alreadyPaid = true // the payer pays as the close goes out
		c.ch.SetClose(no, channeltest.CloseAlreadyPaid)
	}
	c.pays = append(c.pays, p)
}

// addAlloc creates an allocation order whose receivers all wait, and
// scripts the channel's shares: pending, then settled at random times.
func (c *chaos) addAlloc(no string) {
	ctx := context.Background()
	n := 1 + c.r.IntN(4)
	accounts := []string{"m1", "m2", "m3"}
	rs := make([]paysync.AllocationReceiver, n)
	for i := range rs {
		rs[i] = paysync.AllocationReceiver{ReceiverNo: fmt.Sprintf("%s-r%d", no, i), ReceiverType: "merchant_no",
			Account: accounts[c.r.IntN(len(accounts))], Amount: decimal.RequireFromString([]string{"1.00", "2.50"}[c.r.IntN(2)]),
			Result: paysync.ReceiverPending}
		if c.r.IntN(10) == 0 {
			rs[i].Result = paysync.ReceiverIgnore
		}
	}
	st := paysync.AllocProcessing
	if c.r.IntN(5) == 0 {
		st = paysync.AllocFailed
	}
	created := t0.Add(-time.Duration(c.r.IntN(30)) * time.Minute)
	o := paysync.AllocationOrder{AllocationNo: no, BizAllocationNo: "biz-" + no, OrderNo: "pay-" + no,
		Channel: channeltest.DefaultName, Amount: decimal.NewFromInt(10), Status: st, Result: paysync.AllocAllPending,
		Receivers: rs, CreatedAt: created, UpdatedAt: created}
	o.Schedule.NextSyncAt = DefaultTimetable().First(created, time.Time{})
	require.NoError(c.t, c.store.CreateAllocationOrder(ctx, o))
	a := chaosAlloc{start: o, known: st == paysync.AllocProcessing || c.r.IntN(2) == 0,
		missing: map[int]bool{}, mismatch: map[int]bool{}}
	if !a.known {
		c.ch.SetAllocationNotFound(no)
		c.allocs = append(c.allocs, a)
		return
	}
	// Only a receiver alone on its account may lose its entry or get another
	// amount: with a twin, which of the two the channel means is anyone's
	// guess, and this test checks each receiver against its own share.
	twins := map[string]int{}
	for _, r := range rs {
		twins[r.Account]++
	}
	var entries []channel.ReceiverReport
	ids := map[int]int{} // receiver → entry
	for i, r := range rs {
		if r.Result == paysync.ReceiverIgnore {
			continue
		}
		e := channel.ReceiverReport{ReceiverType: r.ReceiverType, Account: r.Account, Amount: r.Amount,
			OutDetailID: fmt.Sprintf("%s-%d", no, i), State: channel.ReceiverPending}
		if twins[r.Account] == 1 {
			switch c.r.IntN(20) {
			case 0:
				a.missing[i] = true
				continue
			case 1:
				a.mismatch[i] = true
				e.Amount = e.Amount.Add(decimal.RequireFromString("0.01"))
			}
		}
		ids[i] = len(entries)
		entries = append(entries, e)
	}
	if c.r.IntN(20) == 0 {
		a.extra = true
		entries = append(entries, channel.ReceiverReport{ReceiverType: "merchant_no", Account: "extra",
			Amount: decimal.NewFromInt(1), OutDetailID: no + "-x", State: channel.ReceiverSuccess})
	}
	pendingRep := channel.AllocationReport{Receivers: entries}
	if st == paysync.AllocFailed && c.r.IntN(2) == 0 {
		c.ch.SetAllocationNotFound(no) // the start reaches the channel later
		c.ch.SetAllocationAt(no, c.at(0, time.Hour), pendingRep)
	} else {
		c.ch.SetAllocation(no, pendingRep)
	}
	if c.r.IntN(5) == 0 {
		c.allocs = append(c.allocs, a) // never settles
		return
	}
	settled := make([]channel.ReceiverReport, len(entries))
	copy(settled, entries)
	for j := range settled {
		if settled[j].State == channel.ReceiverPending {
			settled[j].State = channel.ReceiverSuccess
			if c.r.IntN(4) == 0 {
				settled[j].State, settled[j].ErrorCode, settled[j].ErrorMsg = channel.ReceiverFail, "NO_AUTH", "no relation"
			}
		}
	}
	ts := c.at(time.Hour, 150*time.Minute)
	if c.r.IntN(3) == 0 { // half of the shares settle first
		half := make([]channel.ReceiverReport, len(entries))
		copy(half, entries)
		for j := 0; j < len(half); j += 2 {
			half[j] = settled[j]
		}
		c.ch.SetAllocationAt(no, c.at(time.Hour, 90*time.Minute), channel.AllocationReport{Receivers: half})
		ts = c.at(100*time.Minute, 150*time.Minute)
	}
	c.ch.SetAllocationAt(no, ts, channel.AllocationReport{Receivers: settled})
	c.allocs = append(c.allocs, a)
}

// run starts the workers and waits for them.
func (c *chaos) run() {
	var wg sync.WaitGroup
	total := chaosWorkers * c.size.opsWorker
	// About chaosHorizon/minute ticks over the run, so the clock crosses
	// every scripted change while the workers are still at it.
	tickEvery := max(1, total/int(chaosHorizon/time.Minute))
	for w := range chaosWorkers {
		r := newRand(c.seed<<8 + uint64(w) + 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range c.size.opsWorker {
				if (w*c.size.opsWorker+i)%tickEvery == 0 {
					c.tick()
				}
				c.op(r)
			}
		}()
	}
	wg.Wait()
}

// tick moves the shared clock a minute on, up to the horizon.
func (c *chaos) tick() {
	c.tickMu.Lock()
	if c.clock.Now().Before(t0.Add(chaosHorizon)) {
		c.clock.Add(time.Minute)
		c.n.ticks.Add(1)
	}
	c.tickMu.Unlock()
}

// op runs one random operation. Its ctx ends in 20 ms, so an injected
// timeout ends quickly too.
func (c *chaos) op(r *rand.Rand) {
	s := c.hosts[r.IntN(2)]
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	var err error
	switch x := r.IntN(100); {
	case x < 22:
		p := c.pays[r.IntN(len(c.pays))]
		src := []paysync.Source{paysync.SourceAPI, paysync.SourceSweep}[r.IntN(2)]
		_, err = s.SyncPay(ctx, PayRequest{OrderNo: p.start.OrderNo, Source: src})
		c.n.syncs.Add(1)
	case x < 40:
		p := c.pays[r.IntN(len(c.pays))]
		rep, ok := c.ch.Truth(p.start.OrderNo)
		if !ok {
			rep = p.initial
		}
		_, err = s.ApplyPayNotification(ctx, p.start.OrderNo, rep, paysync.SourceCallback)
		c.n.callbacks.Add(1)
		if err == nil && r.IntN(4) == 0 { // the channel sends it again
			c.outcome(err)
			_, err = c.hosts[r.IntN(2)].ApplyPayNotification(ctx, p.start.OrderNo, rep, paysync.SourceCallback)
			c.n.dupes.Add(1)
		}
	case x < 44:
		p := c.pays[r.IntN(len(c.pays))]
		_, err = s.ApplyPayNotification(ctx, p.start.OrderNo, p.initial, paysync.SourceCallback)
		c.n.callbacks.Add(1)
		c.n.stale.Add(1)
	case x < 56:
		a := c.allocs[r.IntN(len(c.allocs))]
		_, err = s.SyncAllocation(ctx, AllocationRequest{AllocationNo: a.start.AllocationNo, Source: paysync.SourceAPI})
		c.n.allocSyncs.Add(1)
	case x < 59:
		sctx, scancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		rep, err := s.Sweep(sctx, SweepOptions{})
		scancel()
		c.n.sweeps.Add(1)
		c.n.swept.Add(int64(rep.Due))
		if err != nil {
			c.t.Errorf("sweep: %v", err) // a pass cut short by its ctx is no store failure
		}
		return
	case x < 65:
		err = c.createRefund(ctx, s, r)
	case x < 83:
		err = c.refundOp(ctx, s, r, x-65)
	case x < 92:
		err = c.transferOp(ctx, s, r, x-83)
	default:
		p := c.pays[r.IntN(len(c.pays))]
		_, err = s.SyncPay(ctx, PayRequest{BizOrderNo: p.start.BizOrderNo})
		c.n.syncs.Add(1)
	}
	c.outcome(err)
}

// outcome counts an operation's error; any error the chaos does not explain
// fails the test.
func (c *chaos) outcome(err error) {
	switch {
	case err == nil:
	case errors.Is(err, paysync.ErrSyncInProgress):
		c.n.busy.Add(1)
	case errors.Is(err, paysync.ErrChannelUnavailable):
		c.n.unavailable.Add(1)
	case errors.Is(err, paysync.ErrVersionConflict):
		c.n.conflicts.Add(1)
	case errors.Is(err, context.DeadlineExceeded):
		c.n.deadline.Add(1) // the 20 ms ran out before the order was read
	default:
		c.t.Errorf("unexpected error: %v", err)
	}
}

// drain moves the clock past every scripted change and syncs every order
// once through a fault-free channel holding the same truths.
func (c *chaos) drain() {
	t := c.t
	ctx := context.Background()
	c.clock.Set(t0.Add(chaosHorizon + time.Hour))
	c.drainC = channeltest.New(channeltest.Config{Clock: c.clock})
	for _, p := range c.pays {
		if tr, ok := c.ch.Truth(p.start.OrderNo); ok {
			c.drainC.SetPay(p.start.OrderNo, tr)
		}
		if p.alreadyPaid {
			c.drainC.SetClose(p.start.OrderNo, channeltest.CloseAlreadyPaid)
		}
	}
	for _, a := range c.allocs {
		if rep, ok := c.ch.AllocationTruth(a.start.AllocationNo); ok {
			c.drainC.SetAllocation(a.start.AllocationNo, rep)
		} else {
			c.drainC.SetAllocationNotFound(a.start.AllocationNo)
		}
	}
	c.drainPayouts()
	s, err := New(Config{Store: c.store, Channels: channel.NewRegistry(c.drainC), Clock: c.clock, Owner: "drain"})
	require.NoError(t, err)
	for _, p := range c.pays {
		_, err := s.SyncPay(ctx, PayRequest{OrderNo: p.start.OrderNo})
		require.NoError(t, err, p.start.OrderNo)
	}
	for _, a := range c.allocs {
		_, err := s.SyncAllocation(ctx, AllocationRequest{AllocationNo: a.start.AllocationNo})
		require.NoError(t, err, a.start.AllocationNo)
	}
	c.syncPayouts(s)
}

// sourceCounts counts status and receiver changes by the source that made them.
func (c *chaos) sourceCounts() map[paysync.Source]int {
	adj, err := c.store.ListAdjustRecords(context.Background(), repository.RecordFilter{})
	require.NoError(c.t, err)
	out := map[paysync.Source]int{}
	for _, a := range adj {
		out[a.Source]++
	}
	return out
}

// check compares every order with its channel truth after the drain.
func (c *chaos) check() {
	t := c.t
	ctx := context.Background()
	now := c.clock.Now()
	states := map[string]int{}
	for _, p := range c.pays {
		no := p.start.OrderNo
		o, err := c.store.GetPayOrder(ctx, no)
		require.NoError(t, err)
		tr, ok := c.drainC.Truth(no)
		require.True(t, ok, no)
		states[string(tr.State)+"/"+string(o.Status)]++
		trail := loadTrail(t, c.store, paysync.TradePay, no)
		// Refunds commit on their pay order too (reservations, bookings),
		// each with a refund's SyncRecord, not a pay one: checkPayTrail
		// counts pay commits against pay SyncRecords.
		po := o
		refunds := refundCommits(t, c.store, no)
		po.Version -= refunds
		checkPayTrail(t, c.store, p.start.Status, po, trail)
		checkChaosPay(t, c.store, p, o, tr, trail, now, refunds > 0)
	}
	t.Logf("pay orders, channel truth/local status: %v", states)

	ends := map[paysync.AllocationStatus]int{}
	for _, a := range c.allocs {
		o, err := c.store.GetAllocationOrder(ctx, a.start.AllocationNo)
		require.NoError(t, err)
		ends[o.Status]++
		checkAllocTrail(t, c.store, o)
		rep, known := c.drainC.AllocationTruth(a.start.AllocationNo)
		checkChaosAlloc(t, c.store, a, o, rep, known)
	}
	t.Logf("allocation orders by final status: %v", ends)

	var rn, tn payoutTally
	c.checkRefunds(&rn)
	t.Logf("refunds, channel truth/local status: %v", rn.refunds)
	t.Logf("refund money: %d pay orders with refunds balanced (%d refunded in full, %d still refunding), "+
		"%d over_refunded; %d closes on not_found (%d refunds still watched), %d success after close, "+
		"%d amount_mismatch, %d refund_not_at_channel",
		rn.balanced, rn.refundedPays, rn.refundingPays, rn.overRefunded, rn.notFoundCloses, rn.watched, rn.afterClose,
		rn.mismatch, rn.notAtChannel)
	c.checkTransfers(&tn)
	t.Logf("transfers, channel truth/local status: %v; %d trade_mismatch or amount_mismatch, %d transfer_not_at_channel",
		tn.transfers, tn.mismatch, tn.notAtChannel)

	evs, err := c.store.ListEvents(ctx, repository.EventFilter{})
	require.NoError(t, err)
	ids := make(map[uuid.UUID]bool, len(evs))
	types := map[paysync.EventType]int{}
	for _, ev := range evs {
		assert.False(t, ids[ev.ID], "event id %s twice", ev.ID)
		ids[ev.ID] = true
		types[ev.Type]++
	}
	t.Logf("events in the outbox: %d %v", len(evs), types)
}

// checkChaosPay: the order agrees with the channel's final truth, or
// carries the anomaly docs/pay-sync.md#decision-table prescribes for the disagreement.
//
// An order with refunds has its refund fields checked against them
// (checkChaosRefundMoney); one without keeps no_refund, or what footnote 3
// booked when it was first seen refunded at the channel.
func checkChaosPay(t *testing.T, st repository.Store, p chaosPay, o paysync.PayOrder, tr channel.PayReport, trail orderTrail,
	now time.Time, refunds bool) {
	no := o.OrderNo
	if p.mismatch && (tr.State == channel.PaySuccess || tr.State == channel.PayRefunded) {
		assert.NotEqual(t, paysync.PaySuccess, o.Status, "%s: paid with another amount", no)
		assert.True(t, hasAnomaly(t, st, paysync.TradePay, no, paysync.AnomalyAmountMismatch), "%s: amount_mismatch not announced", no)
		return
	}
	want := map[channel.PayState]paysync.PayStatus{
		channel.PayProgress: paysync.PayProgress, channel.PaySuccess: paysync.PaySuccess,
		channel.PayRefunded: paysync.PaySuccess, channel.PayClosed: paysync.PayClose,
		channel.PayCancelled: paysync.PayCancel, channel.PayFailed: paysync.PayFail,
	}
	switch tr.State {
	case channel.PayNotFoundUnknown:
		if o.Expired(now) {
			assert.Equal(t, paysync.PayClose, o.Status, "%s: expired, never created at the channel", no)
		} else {
			assert.Equal(t, p.start.Status, o.Status, "%s: not created at the channel yet", no)
		}
	case channel.PayProgress:
		assert.False(t, o.Expired(now), "%s: expired but still open at the channel", no)
		assert.Equal(t, paysync.PayProgress, o.Status, no)
	case channel.PayFailed, channel.PayCancelled:
		if o.Status == paysync.PayClose {
			// The close at expiry raced the channel's own end of the trade:
			// the channel accepted the close, and §6 has (close, failed) and
			// (close, cancelled) as consistent — no money moved either way.
			if assert.NotEmpty(t, trail.adjusts, no) {
				assert.Equal(t, paysync.WayPayCloseGateway, trail.adjusts[len(trail.adjusts)-1].Way, "%s: channel %s", no, tr.State)
			}
			break
		}
		assert.Equal(t, want[tr.State], o.Status, "%s: channel %s", no, tr.State)
	default:
		w, ok := want[tr.State]
		if assert.True(t, ok, "%s: unexpected truth %s", no, tr.State) {
			assert.Equal(t, w, o.Status, "%s: channel %s", no, tr.State)
		}
	}
	if o.Status == paysync.PaySuccess {
		assert.False(t, o.PaidAt.IsZero(), "%s: paid without PaidAt", no)
		assert.Equal(t, "out-"+no, o.OutOrderNo, "%s: trade number not filled", no)
	}
	switch {
	case refunds:
	case tr.State == channel.PayRefunded && o.RefundStatus != paysync.PayRefundNone: // seen refunded before seen paid
		want := paysync.PayRefundPartial
		if tr.RefundedAmount.Equal(o.Amount) {
			want = paysync.PayRefundFull
		}
		assert.Equal(t, want, o.RefundStatus, no)
		assert.True(t, hasAnomaly(t, st, paysync.TradePay, no, paysync.AnomalyRefundAtChannel), "%s: refund_at_channel not announced", no)
		assert.True(t, tr.RefundedAmount.Equal(o.RefundedAmount), "%s: booked %s, the channel refunded %s", no,
			o.RefundedAmount, tr.RefundedAmount)
		assert.True(t, o.ReservedAmount.IsZero(), "%s: reserved %s without refunds", no, o.ReservedAmount)
	default:
		assert.Equal(t, paysync.PayRefundNone, o.RefundStatus, no)
		assert.True(t, o.RefundedAmount.IsZero() && o.ReservedAmount.IsZero(), "%s: refund money without refunds", no)
	}
}

// checkChaosAlloc: each receiver holds its own share's result, or stays
// pending with the anomaly docs/allocation-sync.md#receiver-results prescribes; the aggregate follows the
// rule.
func checkChaosAlloc(t *testing.T, st repository.Store, a chaosAlloc, o paysync.AllocationOrder, rep channel.AllocationReport, known bool) {
	no := o.AllocationNo
	if !a.known || !known {
		assert.False(t, a.known, "%s: the channel forgot it", no)
		assert.Equal(t, a.start.Status, o.Status, "%s: unknown at the channel", no)
		assert.Equal(t, a.start.Receivers, o.Receivers, "%s: receivers changed without an answer", no)
		return
	}
	byID := map[string]channel.ReceiverReport{}
	for _, e := range rep.Receivers {
		byID[e.OutDetailID] = e
	}
	for i, r := range o.Receivers {
		id := fmt.Sprintf("%s-%d", no, i)
		switch {
		case a.start.Receivers[i].Result == paysync.ReceiverIgnore:
			assert.Equal(t, a.start.Receivers[i], r, "%s: ignored receiver changed", no)
		case a.missing[i]:
			assert.Equal(t, paysync.ReceiverPending, r.Result, "%s: %s has no share", no, r.ReceiverNo)
			assert.True(t, hasAnomaly(t, st, paysync.TradeAllocation, no, paysync.AnomalyReceiverMissing), "%s: receiver_missing", no)
		case a.mismatch[i]:
			assert.Equal(t, paysync.ReceiverPending, r.Result, "%s: %s share has another amount", no, r.ReceiverNo)
			assert.Equal(t, id, r.OutDetailID, "%s: %s learned its share's id", no, r.ReceiverNo)
			assert.True(t, hasAnomaly(t, st, paysync.TradeAllocation, no, paysync.AnomalyReceiverAmountMismatch), "%s: receiver_amount_mismatch", no)
		default:
			e, ok := byID[id]
			if !assert.True(t, ok, "%s: share %s", no, id) {
				continue
			}
			assert.Equal(t, id, r.OutDetailID, "%s: %s learned its share's id", no, r.ReceiverNo)
			assert.Equal(t, string(e.State), string(r.Result), "%s: %s", no, r.ReceiverNo)
			if r.Result == paysync.ReceiverFail {
				assert.Equal(t, e.ErrorCode, r.ErrorCode, no)
			}
		}
	}
	if a.extra && !allIgnored(&a.start) { // an order with no live receiver asks the channel nothing
		assert.True(t, hasAnomaly(t, st, paysync.TradeAllocation, no, paysync.AnomalyReceiverUnmatched), "%s: receiver_unmatched", no)
	}
	status, res := a.start.Status, a.start.Result
	if !allIgnored(&a.start) && known {
		results := make([]paysync.ReceiverResult, len(o.Receivers))
		for i, r := range o.Receivers {
			results[i] = r.Result
		}
		status, res = oracleAggregate(a.start.Status, a.start.Result, results)
	}
	assert.Equal(t, status, o.Status, "%s: status", no)
	assert.Equal(t, res, o.Result, "%s: result", no)
}

// TestChaosSweepCutShort is the chaos run's first finding, kept as a
// regression test (fixed in b3dc12f): when Sweep's ctx ends while a sync
// hangs on the channel, the drain runs out and cancels the syncs' ctx; the
// pass must still release its leases and return nil, and Run, stopped by its
// ctx, must return nil — not "ReleasePayOrders: context canceled".
func TestChaosSweepCutShort(t *testing.T) {
	t.Run("Sweep", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.DrainTimeout = time.Millisecond })
			e.pay("O1", paysync.PayProgress)
			e.ch.TimeoutNext("O1", 1) // the channel never answers this sync
			ctx, cancel := context.WithTimeout(e.ctx, 10*time.Millisecond)
			defer cancel()
			var (
				rep SweepReport
				err error
			)
			drive(e.clock, func() { rep, err = e.s.Sweep(ctx, SweepOptions{}) })
			assert.NoError(t, err, "a pass cut short by its ctx is not a store failure")
			assert.Equal(t, 1, rep.Errors, "the hung sync counts as failed")
		})
	})
	t.Run("Run", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.DrainTimeout = time.Millisecond })
			e.pay("O1", paysync.PayProgress)
			e.ch.TimeoutNext("O1", 1)
			ctx, cancel := context.WithTimeout(e.ctx, 10*time.Millisecond)
			defer cancel()
			var err error
			drive(e.clock, func() { err = e.s.Run(ctx) })
			assert.NoError(t, err, "Run returns nil when its ctx ends")
		})
	})
}
