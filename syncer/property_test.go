//go:build go1.25

package syncer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"testing/synctest"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// propertySeeds are the seeds the property tests run; a failure names its
// seed in the subtest, so the run can be repeated with -run.
var propertySeeds = []uint64{1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597}

// newRand returns a reproducible source for seed. Both PCG words come from
// the seed so that the seed alone decides the stream.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// TestPropertyPay drives a dozen pay orders through random sequences of
// channel truths moving along real paths, syncs, callbacks (current and
// stale), expiry, close outcomes, channel faults and cancelled contexts, and
// checks docs/pay-sync.md's invariants after every step.
func TestPropertyPay(t *testing.T) {
	seeds, steps := propertySeeds, 300
	if testing.Short() {
		seeds, steps = seeds[:4], 150
	}
	var total payPropCounts
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Logf("seed %d, %d steps", seed, steps)
			synctest.Test(t, func(t *testing.T) {
				p := newPayProp(t, seed)
				drive(p.e.clock, func() {
					for range steps {
						p.step()
						if t.Failed() {
							return
						}
					}
				})
				if t.Failed() {
					t.Fatalf("seed %d: stopped at step %d (%s)", seed, p.n.steps, p.last)
				}
				total.add(p.n)
			})
		})
	}
	t.Logf("pay property: %d seeds, %s", len(seeds), total)
}

// payKind is how the channel recorded an order.
type payKind int

const (
	kindFaithful payKind = iota // as the order is
	kindAmount                  // with another amount: success must never follow
	kindCurrency                // in another currency: likewise
	kindTrade                   // answers name another order: nothing may follow
)

// payProp is one run of the pay property test.
type payProp struct {
	t     *testing.T
	e     *env
	r     *rand.Rand
	nos   []string
	base  map[string]paysync.PayOrder // each order as created
	kind  map[string]payKind
	close map[string]channeltest.CloseOutcome
	hist  map[string][]channel.PayReport // every truth the channel has held
	seen  map[string]paysync.PayOrder    // each order at the last check
	trail map[string]orderTrail          // its records at the last check
	n     payPropCounts
	last  string // the step being checked, for failure messages
}

// payPropCounts counts what a run did.
type payPropCounts struct {
	steps, syncs, callbacks, stale, moves, faults, timeouts, cancels, closeSet, clock, sweeps int
	changes, anomalyEvents, exhausted                                                         int
}

func (c *payPropCounts) add(o payPropCounts) {
	c.steps += o.steps
	c.syncs += o.syncs
	c.callbacks += o.callbacks
	c.stale += o.stale
	c.moves += o.moves
	c.faults += o.faults
	c.timeouts += o.timeouts
	c.cancels += o.cancels
	c.closeSet += o.closeSet
	c.clock += o.clock
	c.sweeps += o.sweeps
	c.changes += o.changes
	c.anomalyEvents += o.anomalyEvents
	c.exhausted += o.exhausted
}

func (c payPropCounts) String() string {
	return fmt.Sprintf("%d steps: %d syncs, %d callbacks (%d stale), %d truth moves, %d query/close errors, "+
		"%d timeouts, %d cancelled ctx, %d close-outcome changes, %d clock moves, %d sweeps; "+
		"%d status changes, %d anomaly events, %d exhausted events checked",
		c.steps, c.syncs, c.callbacks, c.stale, c.moves, c.faults, c.timeouts, c.cancels, c.closeSet, c.clock,
		c.sweeps, c.changes, c.anomalyEvents, c.exhausted)
}

func newPayProp(t *testing.T, seed uint64) *payProp {
	e := newEnv(t, func(c *Config) {
		c.RateLimitBackoff = time.Millisecond
		c.DrainTimeout = 10 * time.Millisecond
	})
	p := &payProp{t: t, e: e, r: newRand(seed), base: map[string]paysync.PayOrder{}, kind: map[string]payKind{},
		close: map[string]channeltest.CloseOutcome{}, hist: map[string][]channel.PayReport{},
		seen: map[string]paysync.PayOrder{}, trail: map[string]orderTrail{}}
	const orders = 12
	for i := range orders {
		no := fmt.Sprintf("P%02d", i)
		kind := kindFaithful
		switch i {
		case 0:
			kind = kindAmount
		case 1:
			kind = kindCurrency
		case 2:
			kind = kindTrade
		}
		st := paysync.PayProgress
		switch x := p.r.IntN(10); {
		case x < 2:
			st = paysync.PayWait
		case x < 3 && kind == kindFaithful:
			st = paysync.PaySuccess
		}
		expiry := time.Duration(5+p.r.IntN(180)) * time.Minute
		if p.r.IntN(5) == 0 {
			expiry = 0
		}
		o := e.pay(no, st, func(o *paysync.PayOrder) {
			o.ExpiredAt = time.Time{}
			if expiry > 0 {
				o.ExpiredAt = e.clock.Now().Add(expiry)
			}
			if st == paysync.PaySuccess {
				o.OutOrderNo, o.PaidAt = "out-"+no, o.CreatedAt
			}
		})
		p.nos = append(p.nos, no)
		p.base[no], p.kind[no] = o, kind
		first := channel.PayProgress
		if st == paysync.PaySuccess {
			first = channel.PaySuccess
		} else if p.r.IntN(6) == 0 {
			first = channel.PayNotFoundUnknown // Alipay: the payer has not scanned yet
		}
		p.setTruth(no, p.report(no, first, channel.PayReport{}))
		p.seen[no] = o
		p.trail[no] = orderTrail{}
	}
	return p
}

// report builds what the channel says about no in state st, following prev
// (the truth before) for the payment facts a channel keeps.
func (p *payProp) report(no string, st channel.PayState, prev channel.PayReport) channel.PayReport {
	o := p.base[no]
	r := channeltest.Report(o, st)
	switch p.kind[no] {
	case kindAmount:
		r.Amount = o.Amount.Sub(decimal.RequireFromString("0.01"))
	case kindCurrency:
		r.Currency = "USD"
	case kindTrade:
		r.OrderNo = "other-" + no
	}
	if st == channel.PaySuccess || st == channel.PayRefunded {
		r.OutOrderNo, r.PaidAt = "out-"+no, prev.PaidAt
		if r.PaidAt.IsZero() && p.r.IntN(2) == 0 {
			r.PaidAt = p.e.clock.Now().Add(-time.Second)
		}
	}
	if st == channel.PayRefunded {
		r.RefundedAmount = o.Amount
		if p.r.IntN(2) == 0 {
			r.RefundedAmount = decimal.RequireFromString("3")
		}
	}
	return r
}

func (p *payProp) setTruth(no string, r channel.PayReport) {
	p.e.ch.SetPay(no, r)
	p.noteTruth(no)
}

// noteTruth remembers the channel's truth for stale callbacks; the channel
// moves it too (a close, a payment found by a close).
func (p *payProp) noteTruth(no string) {
	tr, ok := p.e.ch.Truth(no)
	if !ok {
		return
	}
	h := p.hist[no]
	if len(h) == 0 || h[len(h)-1].State != tr.State {
		p.hist[no] = append(h, tr)
	}
}

// nextTruth moves a truth one step along a real path.
func (p *payProp) nextTruth(cur channel.PayState) (channel.PayState, bool) {
	switch cur {
	case channel.PayNotFoundUnknown:
		return channel.PayProgress, true
	case channel.PayProgress:
		return []channel.PayState{channel.PaySuccess, channel.PaySuccess, channel.PayClosed, channel.PayFailed,
			channel.PayCancelled}[p.r.IntN(5)], true
	case channel.PayClosed:
		return channel.PaySuccess, true // paid after close
	case channel.PaySuccess:
		return channel.PayRefunded, true
	}
	return cur, false
}

// step runs one random step and checks every order.
func (p *payProp) step() {
	p.n.steps++
	no := p.nos[p.r.IntN(len(p.nos))]
	ctx := context.Background()
	x := p.r.IntN(100)
	switch {
	case x < 22:
		p.last = "move truth " + no
		if tr, ok := p.e.ch.Truth(no); ok {
			if next, ok := p.nextTruth(tr.State); ok {
				p.setTruth(no, p.report(no, next, tr))
				p.n.moves++
			}
		}
		p.checkAll(nil)
	case x < 42:
		src := []paysync.Source{paysync.SourceAPI, paysync.SourceSweep, ""}[p.r.IntN(3)]
		req := PayRequest{OrderNo: no, ClientIP: "10.0.0.1", Source: src}
		if p.r.IntN(8) == 0 {
			req = PayRequest{BizOrderNo: p.base[no].BizOrderNo, Source: src}
		}
		p.last = "sync " + no
		res, err := p.e.s.SyncPay(ctx, req)
		p.n.syncs++
		p.checkAll(p.called(no, res, err))
	case x < 56:
		tr, _ := p.e.ch.Truth(no)
		p.last = "callback " + string(tr.State) + " " + no
		res, err := p.e.s.ApplyPayNotification(ctx, no, tr, paysync.SourceCallback)
		p.n.callbacks++
		p.checkAll(p.called(no, res, err))
	case x < 62:
		h := p.hist[no]
		rep := h[p.r.IntN(len(h))]
		p.last = "stale callback " + string(rep.State) + " " + no
		res, err := p.e.s.ApplyPayNotification(ctx, no, rep, "")
		p.n.callbacks++
		p.n.stale++
		p.checkAll(p.called(no, res, err))
	case x < 67:
		cause := []error{nil, channel.ErrRateLimited, errors.New("HTTP 502")}[p.r.IntN(3)]
		p.e.ch.FailNext(no, 1, cause)
		p.last = "sync with query error " + no
		_, err := p.e.s.SyncPay(ctx, PayRequest{OrderNo: no})
		require.ErrorIs(p.t, err, paysync.ErrChannelUnavailable, p.last)
		require.ErrorIs(p.t, err, channeltest.ErrInjected, p.last)
		p.n.faults++
		p.checkAll(&stepCall{no: no, failed: true})
	case x < 71:
		p.last = "sync with query timeout " + no
		p.queryTimeout(no)
	case x < 74:
		p.last = "sync with cancelled ctx " + no
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		var err error
		if p.r.IntN(2) == 0 {
			_, err = p.e.s.SyncPay(cctx, PayRequest{OrderNo: no})
		} else {
			_, err = p.e.s.ApplyPayNotification(cctx, no, p.hist[no][0], "")
		}
		require.ErrorIs(p.t, err, context.Canceled, p.last)
		p.n.cancels++
		p.checkAll(&stepCall{no: no, cancelled: true})
	case x < 80:
		out := []channeltest.CloseOutcome{channeltest.CloseAuto, channeltest.CloseAuto, channeltest.CloseAlreadyPaid,
			channeltest.CloseNotExist, channeltest.CloseError}[p.r.IntN(5)]
		p.last = "close outcome " + out.String() + " " + no
		p.e.ch.SetClose(no, out)
		p.close[no] = out
		p.n.closeSet++
		p.checkAll(nil)
	case x < 83:
		p.last = "sync with close timeout " + no
		p.e.ch.SetClose(no, channeltest.CloseTimeout)
		tctx, cancel := context.WithTimeout(ctx, 3*time.Millisecond)
		_, err := p.e.s.SyncPay(tctx, PayRequest{OrderNo: no})
		cancel()
		p.e.ch.SetClose(no, p.close[no])
		if err != nil {
			// The deadline may pass before the store read on a slow machine.
			require.True(p.t, errors.Is(err, paysync.ErrChannelUnavailable) || errors.Is(err, context.DeadlineExceeded),
				"%s: %v", p.last, err)
			p.n.timeouts++
		}
		p.checkAll(&stepCall{no: no, failed: err != nil})
	case x < 94:
		d := time.Duration(1+p.r.IntN(40)) * time.Minute
		if p.r.IntN(10) == 0 {
			d = time.Duration(2+p.r.IntN(5)) * time.Hour // far enough to end schedules
		}
		p.last = "clock +" + d.String()
		p.e.clock.Add(d)
		p.n.clock++
		p.checkAll(nil)
	default:
		p.last = "sweep"
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := p.e.s.Sweep(sctx, SweepOptions{})
		cancel()
		require.NoError(p.t, err)
		p.n.sweeps++
		p.checkAll(nil)
	}
}

// queryTimeout syncs no while its query hangs until a short ctx ends: no
// answer, so nothing may be written.
func (p *payProp) queryTimeout(no string) {
	before := p.e.ch.Stats().Timeouts
	p.e.ch.TimeoutNext(no, 1)
	tctx, cancel := context.WithTimeout(context.Background(), 3*time.Millisecond)
	_, err := p.e.s.SyncPay(tctx, PayRequest{OrderNo: no})
	cancel()
	require.ErrorIs(p.t, err, context.DeadlineExceeded, p.last)
	// A ctx that ended before the fake took the fault leaves it queued; take
	// it now so that no later call hangs on it.
	for i := 0; p.e.ch.Stats().Timeouts == before && i < 100; i++ {
		qctx, cancel := context.WithTimeout(context.Background(), 3*time.Millisecond)
		_, _ = p.e.ch.QueryPay(qctx, p.base[no])
		cancel()
	}
	require.Greater(p.t, p.e.ch.Stats().Timeouts, before, "the injected timeout was taken")
	p.n.timeouts++
	p.checkAll(&stepCall{no: no, cancelled: true})
}

// called checks the error of a call that meets no injected query fault:
// nil, or (when the order's close outcome is CloseError and the table asked
// for a close) ErrChannelUnavailable.
func (p *payProp) called(no string, res PayOutcome, err error) *stepCall {
	if err == nil {
		return &stepCall{no: no, res: res, answered: true}
	}
	require.ErrorIs(p.t, err, paysync.ErrChannelUnavailable, p.last)
	require.Equal(p.t, channeltest.CloseError, p.close[no], "%s: only a failing close may fail this call: %v", p.last, err)
	p.n.faults++
	return &stepCall{no: no, failed: true}
}

// stepCall is what the step did to one order, for the checks that depend
// on it.
type stepCall struct {
	no        string
	res       PayOutcome
	answered  bool // the call returned nil: exactly one SyncRecord, result matches the store
	failed    bool // the call returned a channel error
	cancelled bool // ctx ended before any answer: nothing may be written
}

// checkAll checks every order against what it was at the last check.
func (p *payProp) checkAll(call *stepCall) {
	t := p.t
	for _, no := range p.nos {
		prev, prevTrail := p.seen[no], p.trail[no]
		o := p.e.order(no)
		tr := loadTrail(t, p.e.store, paysync.TradePay, no)
		if o.Version == prev.Version && len(tr.syncs) == len(prevTrail.syncs) &&
			len(tr.adjusts) == len(prevTrail.adjusts) && len(tr.events) == len(prevTrail.events) &&
			(call == nil || call.no != no) {
			assert.Equal(t, prev, o, "%s: %s changed without a commit", p.last, no)
			continue // nothing new: the last check holds
		}
		checkPayTrail(t, p.e.store, p.base[no].Status, o, tr)
		newSyncs := tr.syncs[len(prevTrail.syncs):]

		if prev.Status == paysync.PaySuccess {
			assert.Equal(t, paysync.PaySuccess, o.Status, "%s: %s left success", p.last, no)
		}
		if rs := prev.RefundStatus; rs != "" && rs != paysync.PayRefundNone {
			assert.Equal(t, prev.Status, o.Status, "%s: %s changed with a refund status", p.last, no)
			assert.Equal(t, rs, o.RefundStatus, "%s: %s refund status changed", p.last, no)
		}
		switch p.kind[no] {
		case kindAmount, kindCurrency:
			assert.NotEqual(t, paysync.PaySuccess, o.Status, "%s: %s paid with the wrong money", p.last, no)
		case kindTrade:
			assert.Equal(t, p.base[no].Status, o.Status, "%s: %s moved on another order's answer", p.last, no)
		}
		if len(newSyncs) == 0 {
			assert.Equal(t, prev, o, "%s: %s changed without a SyncRecord", p.last, no)
		}
		failedOnly := len(newSyncs) > 0
		for _, r := range newSyncs {
			failedOnly = failedOnly && r.ErrorCode != ""
		}
		if failedOnly {
			assert.Equal(t, factsOf(prev), factsOf(o), "%s: %s changed on a channel error", p.last, no)
		}
		if call != nil && call.no == no {
			if call.answered {
				if assert.Len(t, newSyncs, 1, "%s: one SyncRecord per answered call", p.last) {
					assert.Equal(t, call.res.RecordID, newSyncs[0].ID, p.last)
				}
				assert.Equal(t, o.Status, call.res.OrderStatus, "%s: result names the stored status", p.last)
				assert.Equal(t, o.Status != prev.Status, call.res.Adjusted, p.last)
			}
			if call.cancelled {
				assert.Empty(t, newSyncs, "%s: a call without an answer wrote a SyncRecord", p.last)
			}
			if call.failed {
				assert.True(t, failedOnly || len(newSyncs) == 0, "%s: a failed call wrote only failed records", p.last)
				assert.Equal(t, factsOf(prev), factsOf(o), "%s: %s changed on a channel error", p.last, no)
			}
		}
		p.n.changes += len(tr.adjusts) - len(prevTrail.adjusts)
		for _, ev := range tr.events[len(prevTrail.events):] {
			switch ev.Type {
			case paysync.EventPayAnomaly:
				p.n.anomalyEvents++
			case paysync.EventSyncExhausted:
				p.n.exhausted++
			}
		}
		p.seen[no], p.trail[no] = o, tr
		p.noteTruth(no)
	}
}

// payFactSet holds the fields a channel error must leave alone; the
// schedule may move.
type payFactSet struct {
	Status     paysync.PayStatus
	Refund     paysync.PayRefundStatus
	PaidAt     time.Time
	OutOrderNo string
}

func factsOf(o paysync.PayOrder) payFactSet {
	return payFactSet{o.Status, o.RefundStatus, o.PaidAt, o.OutOrderNo}
}
