//go:build go1.25

package syncer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
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

// TestPropertyRefund drives three paid orders (two CNY, one JPY) and the
// refunds created on them through random mixes of CreateRefund (new ones,
// refused ones and identical retries), channel truths moving along real
// paths (a host sending late included, so closed refunds' money turns up),
// syncs and callbacks (current and stale) from two Syncers over one store,
// sweeps, clock moves, injected channel errors and timeouts, and concurrent
// syncs and callbacks; and checks the money invariants of docs/refund-sync.md
// after every step.
func TestPropertyRefund(t *testing.T) {
	seeds, steps := propertySeeds[:12], 300
	if testing.Short() {
		seeds, steps = seeds[:3], 150
	}
	var total refundPropCounts
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := newRefundProp(t, seed)
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
	t.Logf("refund property: %d seeds, %s", len(seeds), total)
}

// refundKindOf is how the channel recorded a refund.
type refundKindOf int

const (
	refundFaithful    refundKindOf = iota
	refundOtherAmount              // with another amount: it must never succeed
	refundOtherNo                  // answers name another refund: nothing may move
)

type refundProp struct {
	t       *testing.T
	e       *env
	hosts   []*Syncer
	r       *rand.Rand
	pays    []string
	refunds []string
	base    map[string]paysync.RefundOrder
	kind    map[string]refundKindOf
	hist    map[string][]channel.RefundReport
	seen    map[string]paysync.RefundOrder
	seenPay map[string]paysync.PayOrder
	over    map[string]bool // pay orders seen over-refunded
	trail   map[string]orderTrail
	n       refundPropCounts
	last    string
	serial  int
}

type refundPropCounts struct {
	steps, creates, refused, retries, moves, syncs, callbacks, stale, faults, timeouts, sweeps, clock,
	concurrent, changes, overRefunded, afterClose, watchCloses, exhausted int
}

func (c *refundPropCounts) add(o refundPropCounts) {
	c.steps += o.steps
	c.creates += o.creates
	c.refused += o.refused
	c.retries += o.retries
	c.moves += o.moves
	c.syncs += o.syncs
	c.callbacks += o.callbacks
	c.stale += o.stale
	c.faults += o.faults
	c.timeouts += o.timeouts
	c.sweeps += o.sweeps
	c.clock += o.clock
	c.concurrent += o.concurrent
	c.changes += o.changes
	c.overRefunded += o.overRefunded
	c.afterClose += o.afterClose
	c.watchCloses += o.watchCloses
	c.exhausted += o.exhausted
}

func (c refundPropCounts) String() string {
	return fmt.Sprintf("%d steps: %d refunds created, %d refused for balance, %d identical retries, %d truth moves, "+
		"%d syncs, %d callbacks (%d stale), %d channel errors, %d timeouts, %d sweeps, %d clock moves, "+
		"%d concurrent steps; %d refund moves, %d over_refunded opened, %d success after close, "+
		"%d closed on not_found, %d exhausted",
		c.steps, c.creates, c.refused, c.retries, c.moves, c.syncs, c.callbacks, c.stale, c.faults, c.timeouts,
		c.sweeps, c.clock, c.concurrent, c.changes, c.overRefunded, c.afterClose, c.watchCloses, c.exhausted)
}

func newRefundProp(t *testing.T, seed uint64) *refundProp {
	e := newEnv(t)
	e.ch = channeltest.New(channeltest.Config{Clock: e.clock, Latency: time.Millisecond,
		LatencyJitter: 2 * time.Millisecond, Seed: int64(seed)})
	e.reg = channel.NewRegistry(e.ch)
	e.s = e.syncer()
	p := &refundProp{t: t, e: e, hosts: []*Syncer{e.s, e.syncer()}, r: newRand(seed),
		base: map[string]paysync.RefundOrder{}, kind: map[string]refundKindOf{},
		hist: map[string][]channel.RefundReport{}, seen: map[string]paysync.RefundOrder{},
		seenPay: map[string]paysync.PayOrder{}, over: map[string]bool{}, trail: map[string]orderTrail{}}
	p.pays = []string{"P0", "P1", "P2"}
	e.paid("P0")
	e.paid("P1", func(o *paysync.PayOrder) { o.Amount = dec("7.77") })
	e.paid("P2", func(o *paysync.PayOrder) { o.Amount, o.Currency = dec("1000"), "JPY" })
	for _, no := range p.pays {
		p.seenPay[no] = e.order(no)
	}
	return p
}

func (p *refundProp) host() *Syncer { return p.hosts[p.r.IntN(len(p.hosts))] }

func (p *refundProp) pick() (string, bool) {
	if len(p.refunds) == 0 {
		return "", false
	}
	return p.refunds[p.r.IntN(len(p.refunds))], true
}

// report is what the channel says about refund no in state st.
func (p *refundProp) report(no string, st channel.RefundState) channel.RefundReport {
	r := p.base[no]
	rep := channeltest.RefundAnswer(r, st)
	switch p.kind[no] {
	case refundOtherAmount:
		unit := dec("0.01")
		if r.Currency == "JPY" {
			unit = dec("1")
		}
		rep.Amount = r.Amount.Add(unit) // never zero, which would mean "not reported"
	case refundOtherNo:
		rep.RefundNo = "X-" + no
	}
	return rep
}

func (p *refundProp) setTruth(no string, st channel.RefundState) {
	rep := p.report(no, st)
	p.e.ch.SetRefund(no, rep)
	p.hist[no] = append(p.hist[no], rep)
}

func (p *refundProp) truth(no string) channel.RefundReport {
	rep, ok := p.e.ch.RefundTruth(no)
	require.True(p.t, ok, "%s has a truth", no)
	return rep
}

// nextTruth moves a channel's refund along a real path: a refund not yet
// sent arrives (in progress, or paid out at once); one in progress is paid
// out, closed or fails; a failed one is sent again.
func (p *refundProp) nextTruth(cur channel.RefundState) (channel.RefundState, bool) {
	switch cur {
	case channel.RefundNotFound:
		return []channel.RefundState{channel.RefundProgress, channel.RefundProgress, channel.RefundSuccess}[p.r.IntN(3)], true
	case channel.RefundProgress:
		return []channel.RefundState{channel.RefundSuccess, channel.RefundSuccess, channel.RefundClosed,
			channel.RefundFailed}[p.r.IntN(4)], true
	case channel.RefundFailed:
		return channel.RefundProgress, true
	}
	return cur, false
}

// amount draws a refund amount for pay order o: mostly within its balance
// (sometimes exactly all of it), sometimes up to its full amount, so that
// some requests exceed the balance.
func (p *refundProp) amount(o paysync.PayOrder) decimal.Decimal {
	scale := int32(2)
	if o.Currency == "JPY" {
		scale = 0
	}
	b := o.RefundableBalance()
	if b.IsPositive() && p.r.IntN(5) == 0 {
		return b // exactly what is left: orders reach refunded
	}
	limit := o.Amount
	if p.r.IntN(3) > 0 && b.IsPositive() {
		limit = b
	}
	units := limit.Shift(scale).IntPart()
	return decimal.New(1+p.r.Int64N(units), -scale)
}

func (p *refundProp) step() {
	p.n.steps++
	ctx := context.Background()
	x := p.r.IntN(100)
	no, have := p.pick()
	if !have && x >= 15 {
		x = 0 // nothing to act on yet: create
	}
	switch {
	case x < 15:
		p.create()
	case x < 18:
		p.last = "identical retry " + no
		b := p.base[no]
		stored := p.e.getRefund(no)
		got, err := p.host().CreateRefund(ctx, NewRefund{RefundNo: no, BizRefundNo: b.BizRefundNo, OrderNo: b.OrderNo,
			Amount: b.Amount, Reason: "retried"})
		require.NoError(p.t, err, p.last)
		stored.Schedule.LeaseOwner, stored.Schedule.LeaseUntil = "", time.Time{}
		got.Schedule.LeaseOwner, got.Schedule.LeaseUntil = "", time.Time{}
		assert.Equal(p.t, stored, got, "%s: the stored refund", p.last)
		p.n.retries++
		p.checkAll(nil)
	case x < 36:
		p.last = "move truth " + no
		if next, ok := p.nextTruth(p.truth(no).State); ok {
			p.setTruth(no, next)
			p.n.moves++
		}
		p.checkAll(nil)
	case x < 50:
		req := RefundRequest{RefundNo: no, ClientIP: "10.0.0.1"}
		if p.r.IntN(5) == 0 {
			req = RefundRequest{BizRefundNo: p.base[no].BizRefundNo}
		}
		p.last = "sync " + no
		res, err := p.host().SyncRefund(ctx, req)
		p.n.syncs++
		require.NoError(p.t, err, p.last)
		p.checkAll(&refundCall{no: no, res: res, answered: true})
	case x < 60:
		rep := p.truth(no)
		p.last = "callback " + string(rep.State) + " " + no
		res, err := p.host().ApplyRefundNotification(ctx, no, rep, paysync.SourceCallback)
		p.n.callbacks++
		require.NoError(p.t, err, p.last)
		p.checkAll(&refundCall{no: no, res: res, answered: true})
	case x < 66:
		h := p.hist[no]
		rep := h[p.r.IntN(len(h))]
		p.last = "stale callback " + string(rep.State) + " " + no
		res, err := p.host().ApplyRefundNotification(ctx, no, rep, "")
		p.n.callbacks++
		p.n.stale++
		require.NoError(p.t, err, p.last)
		p.checkAll(&refundCall{no: no, res: res, answered: true})
	case x < 71:
		cause := []error{nil, channel.ErrRateLimited, errors.New("HTTP 502")}[p.r.IntN(3)]
		p.e.ch.FailRefundNext(no, 1, cause)
		p.last = "sync with channel error " + no
		_, err := p.host().SyncRefund(ctx, RefundRequest{RefundNo: no})
		require.ErrorIs(p.t, err, paysync.ErrChannelUnavailable, p.last)
		require.ErrorIs(p.t, err, channeltest.ErrInjected, p.last)
		p.n.faults++
		p.checkAll(&refundCall{no: no, failed: true})
	case x < 74:
		p.last = "sync with channel timeout " + no
		before := p.e.ch.Stats().Timeouts
		p.e.ch.TimeoutRefundNext(no, 1)
		tctx, cancel := context.WithTimeout(ctx, time.Second)
		_, err := p.host().SyncRefund(tctx, RefundRequest{RefundNo: no})
		cancel()
		require.ErrorIs(p.t, err, paysync.ErrCanceled, p.last)
		require.ErrorIs(p.t, err, context.DeadlineExceeded, p.last)
		require.Equal(p.t, before+1, p.e.ch.Stats().Timeouts, "%s: the timeout was taken", p.last)
		p.n.timeouts++
		p.checkAll(&refundCall{no: no, cancelled: true})
	case x < 79:
		p.last = "sweep meeting channel errors"
		queries := map[string]int{}
		for range 1 + p.r.IntN(3) {
			f, _ := p.pick()
			if _, ok := queries[f]; !ok {
				queries[f] = p.e.ch.RefundQueries(f)
				p.e.ch.FailRefundNext(f, 1, errors.New("HTTP 503"))
				p.n.faults++
			}
		}
		_, err := p.host().Sweep(ctx, SweepOptions{})
		require.NoError(p.t, err, p.last)
		p.n.sweeps++
		for f, q := range queries { // take the faults no sweep met, so that no later call meets them
			if p.e.ch.RefundQueries(f) == q {
				_, err := p.e.ch.QueryRefund(ctx, p.base[f])
				require.ErrorIs(p.t, err, channeltest.ErrInjected)
			}
		}
		p.checkAll(nil)
	case x < 87:
		p.last = "sweep"
		_, err := p.host().Sweep(ctx, SweepOptions{})
		require.NoError(p.t, err, p.last)
		p.n.sweeps++
		p.checkAll(nil)
	case x < 96:
		d := time.Duration(1+p.r.IntN(40)) * time.Minute
		switch p.r.IntN(12) {
		case 0:
			d = time.Duration(2+p.r.IntN(30)) * time.Hour
		case 1:
			d = time.Duration(2+p.r.IntN(4)) * 24 * time.Hour // past watches and timetables
		}
		p.last = "clock +" + d.String()
		p.e.clock.Add(d)
		p.n.clock++
		p.checkAll(nil)
	default:
		p.concurrent(no)
	}
}

// create asks for a new refund of a random amount on a random pay order: it
// must succeed exactly when the amount fits the balance.
func (p *refundProp) create() {
	pay := p.pays[p.r.IntN(len(p.pays))]
	o := p.e.order(pay)
	a := p.amount(o)
	p.serial++
	no := fmt.Sprintf("R%03d", p.serial)
	p.last = fmt.Sprintf("create %s of %s on %s (balance %s)", no, a, pay, o.RefundableBalance())
	r, err := p.host().CreateRefund(context.Background(), NewRefund{RefundNo: no, BizRefundNo: "B" + no, OrderNo: pay,
		Amount: a, Reason: "property"})
	if a.GreaterThan(o.RefundableBalance()) {
		require.ErrorIs(p.t, err, paysync.ErrInsufficientBalance, p.last)
		p.n.refused++
		p.checkAll(nil)
		return
	}
	require.NoError(p.t, err, p.last)
	p.n.creates++
	p.refunds = append(p.refunds, no)
	p.base[no] = r
	switch x := p.r.IntN(12); {
	case x == 0:
		p.kind[no] = refundOtherAmount
	case x == 1:
		p.kind[no] = refundOtherNo
	}
	first := channel.RefundProgress // sent at once
	if p.r.IntN(2) == 0 {
		first = channel.RefundNotFound // the host has not sent it yet
	}
	p.setTruth(no, first)
	p.seen[no] = paysync.RefundOrder{} // new: everything is checked
	p.trail[no] = orderTrail{}
	p.checkAll(nil)
}

// concurrent runs, at once: both hosts syncing one refund, a callback of
// its truth, and a sync of another refund of the same pay order — two
// writers on the refund, three on the pay order.
func (p *refundProp) concurrent(no string) {
	p.last = "concurrent on " + no
	var peer string
	for _, o := range p.refunds {
		if o != no && p.base[o].OrderNo == p.base[no].OrderNo {
			peer = o
		}
	}
	rep := p.truth(no)
	var wg sync.WaitGroup
	call := func(f func() error) {
		wg.Go(func() {
			assert.NoError(p.t, retryBusy(f), p.last)
		})
	}
	for _, s := range p.hosts {
		call(func() error { _, err := s.SyncRefund(context.Background(), RefundRequest{RefundNo: no}); return err })
	}
	call(func() error {
		_, err := p.hosts[1].ApplyRefundNotification(context.Background(), no, rep, paysync.SourceCallback)
		return err
	})
	if peer != "" {
		call(func() error {
			_, err := p.hosts[0].SyncRefund(context.Background(), RefundRequest{RefundNo: peer})
			return err
		})
	}
	wg.Wait()
	p.n.concurrent++
	p.checkAll(&refundCall{no: no, concurrent: true})
}

// refundCall is what a step did to one refund.
type refundCall struct {
	no         string
	res        RefundOutcome
	answered   bool // one call returned nil: exactly one SyncRecord, result as stored
	failed     bool // the channel failed: nothing may change
	cancelled  bool // ctx ended before the answer: nothing may be written
	concurrent bool
}

func noLease(r paysync.RefundOrder) paysync.RefundOrder {
	r.Schedule.LeaseOwner, r.Schedule.LeaseUntil = "", time.Time{}
	return r
}

// checkAll checks every pay order and refund.
func (p *refundProp) checkAll(call *refundCall) {
	t := p.t
	for _, pay := range p.pays {
		p.checkPay(pay, call)
	}
	for _, no := range p.refunds {
		prev, prevTrail := p.seen[no], p.trail[no]
		r := p.e.getRefund(no)
		tr := loadTrail(t, p.e.store, paysync.TradeRefund, no)
		newSyncs := tr.syncs[len(prevTrail.syncs):]
		newAdjusts := tr.adjusts[len(prevTrail.adjusts):]
		checkRefundTrail(t, p.e.store, r, tr)

		if prev.Status == paysync.RefundSuccess {
			assert.Equal(t, paysync.RefundSuccess, r.Status, "%s: %s left success", p.last, no)
		}
		switch p.kind[no] {
		case refundOtherAmount:
			assert.NotEqual(t, paysync.RefundSuccess, r.Status, "%s: %s succeeded with another amount", p.last, no)
		case refundOtherNo:
			assert.Equal(t, paysync.RefundProgress, r.Status, "%s: %s moved on another refund's answer", p.last, no)
		}
		if len(newSyncs) == 0 && prev.RefundNo != "" {
			assert.Equal(t, noLease(prev), noLease(r), "%s: %s changed without a SyncRecord", p.last, no)
		}
		if call != nil && call.no == no {
			switch {
			case call.answered:
				if assert.Len(t, newSyncs, 1, "%s: one SyncRecord per answered call", p.last) {
					assert.Equal(t, call.res.RecordID, newSyncs[0].ID, p.last)
				}
				assert.Equal(t, r.Status, call.res.Status, "%s: outcome names the stored status", p.last)
				assert.Equal(t, r.Status != prev.Status, call.res.Adjusted, "%s: outcome Adjusted", p.last)
				assert.LessOrEqual(t, len(newAdjusts), 1, "%s: one call, at most one move", p.last)
			case call.failed:
				assert.Equal(t, prev.Status, r.Status, "%s: changed on a channel error", p.last)
				assert.Empty(t, newAdjusts, p.last)
				for _, s := range newSyncs {
					assert.NotEmpty(t, s.ErrorCode, "%s: a failed call's record names its error", p.last)
				}
			case call.cancelled:
				assert.Empty(t, newSyncs, "%s: a call without an answer wrote a SyncRecord", p.last)
				assert.Equal(t, noLease(prev), noLease(r), "%s: a call without an answer wrote the refund", p.last)
			}
		}
		p.n.changes += len(newAdjusts)
		for _, a := range newAdjusts {
			if a.Before == pClose && a.After == pSuccess {
				p.n.afterClose++
			}
		}
		for _, ev := range tr.events[len(prevTrail.events):] {
			if ev.Type == paysync.EventSyncExhausted {
				p.n.exhausted++
			}
		}
		if r.Watched && !prev.Watched {
			p.n.watchCloses++
		}
		p.seen[no], p.trail[no] = r, tr
	}
}

// checkPay checks one pay order's money against its refunds
// (checkRefundMoney); that it stays success; that a step that changed
// neither sum did not commit it; and that its only events are pay.anomaly,
// one for over_refunded when it opened.
func (p *refundProp) checkPay(no string, call *refundCall) {
	t := p.t
	o := p.e.order(no)
	prev := p.seenPay[no]
	over := checkRefundMoney(t, p.e.store, o, p.last)
	assert.Equal(t, paysync.PaySuccess, o.Status, "%s: %s left success", p.last, no)
	if call != nil && !call.concurrent && o.RefundedAmount.Equal(prev.RefundedAmount) &&
		o.ReservedAmount.Equal(prev.ReservedAmount) {
		assert.Equal(t, prev.Version, o.Version, "%s: %s committed without a change to its refund fields", p.last, no)
	}
	evs := p.e.events(paysync.TradePay, no)
	for _, ev := range evs {
		assert.Equal(t, paysync.EventPayAnomaly, ev.Type, "%s: %s unexpected pay event", p.last, no)
	}
	if over {
		assert.Len(t, evs, 1, "%s: %s over_refunded announced once", p.last, no)
	} else {
		assert.Empty(t, evs, "%s: %s pay.anomaly without over_refunded", p.last, no)
	}
	if over && !p.over[no] {
		p.over[no] = true
		p.n.overRefunded++
	}
	p.seenPay[no] = o
}
