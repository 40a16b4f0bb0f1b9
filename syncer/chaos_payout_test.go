//go:build go1.25

package syncer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The refund and transfer part of the chaos run (chaos_test.go): refunds
// created with CreateRefund on the run's paid orders while the workers run,
// transfers stored at the start, their truths moving along real paths on
// the test clock, and the checks docs/refund-sync.md and
// docs/transfer-sync.md prescribe after the drain.

// chaosStep is one scripted truth of a refund or transfer: from at on, the
// channel answers rep.
type chaosStep[R any] struct {
	at  time.Time
	rep R
}

// pathStep is a state a channel holds a payout in from a time on.
type pathStep struct {
	at    time.Time
	state string
}

func chaosMinutes(r *rand.Rand, from, to int) time.Duration {
	return time.Duration(from+r.IntN(to-from)) * time.Minute
}

// progressPath appends what follows once the channel holds a payout in
// progress at t: paid out, closed, failed — and then, sometimes, sent again
// by the host (failed → progress) — or still in progress at the end.
func progressPath(r *rand.Rand, t time.Time, steps []pathStep) []pathStep {
	steps = append(steps, pathStep{t, cProgress})
	for {
		t = t.Add(chaosMinutes(r, 1, 60))
		switch x := r.IntN(100); {
		case x < 55:
			return append(steps, pathStep{t, cSuccess})
		case x < 67:
			return append(steps, pathStep{t, cClosed})
		case x < 85:
			steps = append(steps, pathStep{t, cFailed})
			if r.IntN(5) >= 3 {
				return steps
			}
			t = t.Add(chaosMinutes(r, 1, 30)) // the host sends it again
			steps = append(steps, pathStep{t, cProgress})
		default:
			return steps
		}
	}
}

// history returns the truths of plan due at now: the current one last.
func history[R any](plan []chaosStep[R], now time.Time) []chaosStep[R] {
	n := 0
	for n < len(plan) && !plan[n].at.After(now) {
		n++
	}
	return plan[:n]
}

// chaosRefund is one refund the run created and its channel's script.
type chaosRefund struct {
	r           paysync.RefundOrder // as CreateRefund returned it
	otherAmount bool                // the channel recorded another amount: it must never succeed
	plan        []chaosStep[channel.RefundReport]
	received    time.Time   // when the channel learned of it; zero: never
	callbacks   atomic.Bool // a callback reached it; one overtaken on its way may deny a success, unconfirmed
}

// planRefund scripts the channel's side of a refund about to be created at
// about tc: received at once (in progress, or paid out at once); sent late
// — after NotFoundAfter sometimes, so that a refund closed here because the
// channel did not know it has its money move later (success after close);
// or never received (closed here on not_found and watched).
func planRefund(r *rand.Rand, base paysync.RefundOrder, tc time.Time) *chaosRefund {
	cr := &chaosRefund{otherAmount: r.IntN(15) == 0}
	var steps []pathStep
	t := tc
	switch x := r.IntN(100); {
	case x < 15:
		steps = []pathStep{{t, cNotFound}}
	case x < 45:
		steps = []pathStep{{t, cNotFound}}
		t = t.Add(chaosMinutes(r, 1, 40))
		cr.received = t
		if r.IntN(3) == 0 {
			steps = append(steps, pathStep{t, cSuccess}) // paid out as soon as it arrived
		} else {
			steps = progressPath(r, t, steps)
		}
	default:
		cr.received = t
		steps = progressPath(r, t, nil)
	}
	for _, s := range steps {
		rep := channeltest.RefundAnswer(base, channel.RefundState(s.state))
		if s.state == cNotFound {
			rep = channel.RefundReport{State: channel.RefundNotFound, RefundNo: base.RefundNo}
		} else if cr.otherAmount {
			rep.Amount = rep.Amount.Add(decimal.New(1, -2))
		}
		cr.plan = append(cr.plan, chaosStep[channel.RefundReport]{s.at, rep})
	}
	return cr
}

// script gives the channel cr's truths.
func (cr *chaosRefund) script(ch *channeltest.Channel, no string) {
	ch.SetRefund(no, cr.plan[0].rep)
	for _, s := range cr.plan[1:] {
		ch.SetRefundAt(no, s.at, s.rep)
	}
}

// chaosTransfer is one transfer of the run and its channel's script.
type chaosTransfer struct {
	start       paysync.TransferOrder
	never       bool      // the channel never learns of it
	known       time.Time // when the channel learned of it
	otherPayee  bool      // the channel reports another payee: nothing may follow
	otherAmount bool      // the channel recorded another amount: it must never succeed
	plan        []chaosStep[channel.TransferReport]
	callbacks   atomic.Bool
}

// addTransfer stores a transfer, created up to 30 minutes before t0, and
// scripts its channel: known at once (in progress, or failed at the send
// and sent again), known late, never known; some with another payee or
// another amount.
func (c *chaos) addTransfer(no string) {
	created := t0.Add(-time.Duration(c.r.IntN(30)) * time.Minute)
	o := paysync.TransferOrder{TransferNo: no, BizTransferNo: "biz-" + no, Channel: channeltest.DefaultName,
		Amount: decimal.New(int64(100+c.r.IntN(50000)), -2), Currency: "CNY", PayeeType: "openid",
		PayeeAccount: "payee-" + no, PayeeName: "Payee " + no, Reason: "chaos", Status: paysync.TransferProgress,
		CreatedAt: created, UpdatedAt: created}
	ct := &chaosTransfer{}
	var steps []pathStep
	switch x := c.r.IntN(100); {
	case x < 10:
		ct.never = true
		steps = []pathStep{{t0, cNotFound}}
	case x < 20:
		ct.known = t0.Add(chaosMinutes(c.r, 1, 40))
		steps = progressPath(c.r, ct.known, []pathStep{{t0, cNotFound}})
	case x < 30: // the send failed; the host sends it again, or not
		o.Status, o.FinishedAt, o.ErrorCode, o.ErrorMsg = paysync.TransferFail, created, "TEST_FAIL", "failed by channeltest"
		ct.known = t0
		steps = []pathStep{{t0, cFailed}}
		if c.r.IntN(10) < 7 {
			steps = progressPath(c.r, t0.Add(chaosMinutes(c.r, 1, 60)), steps)
		}
	default:
		ct.known = t0
		steps = progressPath(c.r, t0, nil)
	}
	if !ct.never {
		switch c.r.IntN(20) {
		case 0:
			ct.otherPayee = true
		case 1:
			ct.otherAmount = true
		}
	}
	if o.Status == paysync.TransferProgress {
		o.Schedule.NextSyncAt = DefaultPayoutTimetable().First(created, time.Time{})
	}
	require.NoError(c.t, c.store.CreateTransferOrder(context.Background(), o))
	ct.start = o
	for _, s := range steps {
		rep := channeltest.TransferAnswer(o, channel.TransferState(s.state))
		if s.state == cNotFound {
			rep = channel.TransferReport{State: channel.TransferNotFound, TransferNo: no}
		}
		if ct.otherPayee {
			rep.PayeeAccount = "someone-else"
		}
		if ct.otherAmount && s.state != cNotFound {
			rep.Amount = rep.Amount.Add(decimal.New(1, -2))
		}
		ct.plan = append(ct.plan, chaosStep[channel.TransferReport]{s.at, rep})
	}
	c.ch.SetTransfer(no, ct.plan[0].rep)
	for _, s := range ct.plan[1:] {
		c.ch.SetTransferAt(no, s.at, s.rep)
	}
	c.transfers = append(c.transfers, ct)
}

// refundList returns the refunds created so far.
func (c *chaos) refundList() []*chaosRefund {
	c.refMu.Lock()
	defer c.refMu.Unlock()
	return c.refunds
}

func (c *chaos) addRefund(cr *chaosRefund) {
	c.refMu.Lock()
	c.refunds = append(c.refunds, cr)
	c.refMu.Unlock()
}

// createRefund is a host's CreateRefund: mostly a new refund of a paid
// order of the run (within its balance, all of it, or more than is left),
// sometimes an identical retry of one already made, sometimes a new request
// under a number that is taken. Refusals are counted; an error the rules do
// not give for the request fails the test.
func (c *chaos) createRefund(ctx context.Context, s *Syncer, r *rand.Rand) error {
	if rs := c.refundList(); len(rs) > 0 && r.IntN(10) < 2 {
		cr := rs[r.IntN(len(rs))]
		req := NewRefund{RefundNo: cr.r.RefundNo, BizRefundNo: cr.r.BizRefundNo, OrderNo: cr.r.OrderNo,
			Amount: cr.r.Amount, Reason: "retried"}
		if r.IntN(2) == 0 { // the host lost the first answer and asks again
			c.n.refundRetries.Add(1)
			got, err := s.CreateRefund(ctx, req)
			if err == nil && (got.RefundNo != cr.r.RefundNo || !got.Amount.Equal(cr.r.Amount) || !got.CreatedAt.Equal(cr.r.CreatedAt)) {
				c.t.Errorf("identical retry of %s returned %+v", cr.r.RefundNo, got)
			}
			return err
		}
		c.n.takenNumbers.Add(1) // another refund under a taken number
		no := fmt.Sprintf("CX%05d", c.serial.Add(1))
		if r.IntN(2) == 0 {
			req.BizRefundNo = "biz-" + no
		} else {
			req.RefundNo = no
		}
		req.Amount = req.Amount.Add(decimal.New(1, -2))
		_, err := s.CreateRefund(ctx, req)
		switch {
		case errors.Is(err, paysync.ErrDuplicate):
			return nil
		case err == nil:
			c.t.Errorf("CreateRefund took the number of %s for another refund", cr.r.RefundNo)
			return nil
		}
		return err
	}

	// An order the host has been paid for, found by the channel's truth
	// as a host learns it from its payment callback (pay sync may not have
	// seen it yet); often one refunded before, as refunds come in series;
	// sometimes any order of the run.
	orderNo := c.pays[r.IntN(len(c.pays))].start.OrderNo
	switch x := r.IntN(10); {
	case x < 4:
		if rs := c.refundList(); len(rs) > 0 {
			orderNo = rs[r.IntN(len(rs))].r.OrderNo
			break
		}
		fallthrough
	case x < 9:
		for range 5 {
			orderNo = c.pays[c.payable[r.IntN(len(c.payable))]].start.OrderNo
			if tr, ok := c.ch.Truth(orderNo); ok && (tr.State == channel.PaySuccess || tr.State == channel.PayRefunded) {
				break
			}
		}
	}
	// A reading without the lock: the balance may move before the call.
	o, err := c.store.GetPayOrder(ctx, orderNo)
	if err != nil {
		c.t.Errorf("read %s: %v", orderNo, err)
		return nil
	}
	amount := chaosRefundAmount(r, o)
	no := fmt.Sprintf("CR%05d", c.serial.Add(1))
	base := paysync.RefundOrder{RefundNo: no, BizRefundNo: "biz-" + no, OrderNo: o.OrderNo, Amount: amount,
		Currency: o.CurrencyOrDefault()}
	// Scripted before the call, so that no sync meets the fake's default
	// answer for a refund it has never heard of.
	cr := planRefund(r, base, c.clock.Now())
	cr.script(c.ch, no)
	c.n.refundAsks.Add(1)
	got, err := s.CreateRefund(ctx, NewRefund{RefundNo: no, BizRefundNo: base.BizRefundNo, OrderNo: o.OrderNo,
		Amount: amount, Reason: "chaos"})
	switch {
	case err == nil:
		if got.Status != paysync.RefundProgress || !got.Amount.Equal(amount) || got.Version != 1 {
			c.t.Errorf("CreateRefund %s: %+v", no, got)
		}
		cr.r = got
		c.addRefund(cr)
		c.n.refundCreates.Add(1)
		return nil
	case errors.Is(err, paysync.ErrInsufficientBalance):
		c.n.refusedBalance.Add(1)
		return nil
	case errors.Is(err, paysync.ErrInvalidTransition):
		// success is never left, so the reading before the call was not
		// success either
		if o.Status == paysync.PaySuccess {
			c.t.Errorf("CreateRefund on %s: %v, but it was success before the call", o.OrderNo, err)
		}
		c.n.refusedUnpaid.Add(1)
		return nil
	case errors.Is(err, paysync.ErrOpenAnomaly):
		if !hasAnomaly(c.t, c.store, paysync.TradePay, o.OrderNo, paysync.AnomalyRefundAtChannel) {
			c.t.Errorf("CreateRefund on %s: %v without refund_at_channel", o.OrderNo, err)
		}
		c.n.refusedAnomaly.Add(1)
		return nil
	}
	// Busy or cut short: did it reach the store anyway?
	if stored, gerr := c.store.GetRefundOrder(context.Background(), no); gerr == nil {
		cr.r = stored
		c.addRefund(cr)
		c.n.refundCreates.Add(1)
	}
	return err
}

// chaosRefundAmount draws an amount for a refund of o: all of its balance,
// some of it, or anything up to the order's amount (often more than is
// left).
func chaosRefundAmount(r *rand.Rand, o paysync.PayOrder) decimal.Decimal {
	b := o.RefundableBalance()
	limit := o.Amount
	if b.IsPositive() {
		switch x := r.IntN(10); {
		case x < 2:
			return b
		case x < 7:
			limit = b
		}
	}
	return decimal.New(1+r.Int64N(limit.Shift(2).IntPart()), -2)
}

// refundOp is one operation on a refund created so far: SyncRefund by
// either number (x < 9), a callback with the current truth, sometimes sent
// twice (x < 15), or a stale callback: a truth the refund has since left.
func (c *chaos) refundOp(ctx context.Context, s *Syncer, r *rand.Rand, x int) error {
	rs := c.refundList()
	if len(rs) == 0 {
		return c.createRefund(ctx, s, r)
	}
	cr := rs[r.IntN(len(rs))]
	no := cr.r.RefundNo
	var rep channel.RefundReport
	if x >= 9 {
		past := history(cr.plan, c.clock.Now())
		if x < 15 {
			rep = past[len(past)-1].rep // the channel's truth now, as its callback carries it
		} else if stale := past[:len(past)-1]; len(stale) > 0 {
			rep = stale[r.IntN(len(stale))].rep
		}
		if rep.State == channel.RefundNotFound {
			rep = channel.RefundReport{} // a channel sends no callback for a refund it does not have
		}
	}
	if rep.State == "" {
		req := RefundRequest{RefundNo: no, Source: []paysync.Source{paysync.SourceAPI, paysync.SourceSweep}[r.IntN(2)]}
		if r.IntN(4) == 0 {
			req = RefundRequest{BizRefundNo: cr.r.BizRefundNo}
		}
		c.n.refundSyncs.Add(1)
		_, err := s.SyncRefund(ctx, req)
		return err
	}
	cr.callbacks.Store(true)
	c.n.refundCallbacks.Add(1)
	if x >= 15 {
		c.n.refundStale.Add(1)
	}
	_, err := s.ApplyRefundNotification(ctx, no, rep, paysync.SourceCallback)
	if err == nil && r.IntN(4) == 0 { // the channel sends it again
		c.n.refundDupes.Add(1)
		_, err = c.hosts[r.IntN(2)].ApplyRefundNotification(ctx, no, rep, paysync.SourceCallback)
	}
	return err
}

// transferOp is refundOp for a transfer: SyncTransfer by either number
// (x < 5), a current callback, sometimes twice (x < 8), a stale one.
func (c *chaos) transferOp(ctx context.Context, s *Syncer, r *rand.Rand, x int) error {
	ct := c.transfers[r.IntN(len(c.transfers))]
	no := ct.start.TransferNo
	var rep channel.TransferReport
	if x >= 5 {
		past := history(ct.plan, c.clock.Now())
		if x < 8 {
			rep = past[len(past)-1].rep
		} else if stale := past[:len(past)-1]; len(stale) > 0 {
			rep = stale[r.IntN(len(stale))].rep
		}
		if rep.State == channel.TransferNotFound {
			rep = channel.TransferReport{}
		}
	}
	if rep.State == "" {
		req := TransferRequest{TransferNo: no, Source: []paysync.Source{paysync.SourceAPI, paysync.SourceSweep}[r.IntN(2)]}
		if r.IntN(4) == 0 {
			req = TransferRequest{BizTransferNo: ct.start.BizTransferNo}
		}
		c.n.transferSyncs.Add(1)
		_, err := s.SyncTransfer(ctx, req)
		return err
	}
	ct.callbacks.Store(true)
	c.n.transferCallbacks.Add(1)
	if x >= 8 {
		c.n.transferStale.Add(1)
	}
	_, err := s.ApplyTransferNotification(ctx, no, rep, paysync.SourceCallback)
	if err == nil && r.IntN(4) == 0 {
		c.n.transferDupes.Add(1)
		_, err = c.hosts[r.IntN(2)].ApplyTransferNotification(ctx, no, rep, paysync.SourceCallback)
	}
	return err
}

// drainPayouts gives the drain's channel the refunds' and transfers' truths.
func (c *chaos) drainPayouts() {
	for _, cr := range c.refunds {
		rep, ok := c.ch.RefundTruth(cr.r.RefundNo)
		require.True(c.t, ok, cr.r.RefundNo)
		c.drainC.SetRefund(cr.r.RefundNo, rep)
	}
	for _, ct := range c.transfers {
		rep, ok := c.ch.TransferTruth(ct.start.TransferNo)
		require.True(c.t, ok, ct.start.TransferNo)
		c.drainC.SetTransfer(ct.start.TransferNo, rep)
	}
}

// syncPayouts is the drain's one sync per refund and transfer.
func (c *chaos) syncPayouts(s *Syncer) {
	ctx := context.Background()
	for _, cr := range c.refunds {
		_, err := s.SyncRefund(ctx, RefundRequest{RefundNo: cr.r.RefundNo})
		require.NoError(c.t, err, cr.r.RefundNo)
	}
	for _, ct := range c.transfers {
		_, err := s.SyncTransfer(ctx, TransferRequest{TransferNo: ct.start.TransferNo})
		require.NoError(c.t, err, ct.start.TransferNo)
	}
}

var (
	refundOf = map[channel.RefundState]paysync.RefundOrderStatus{
		channel.RefundSuccess: paysync.RefundSuccess, channel.RefundProgress: paysync.RefundProgress,
		channel.RefundClosed: paysync.RefundClose, channel.RefundFailed: paysync.RefundFail,
	}
	transferOf = map[channel.TransferState]paysync.TransferStatus{
		channel.TransferSuccess: paysync.TransferSuccess, channel.TransferProgress: paysync.TransferProgress,
		channel.TransferClosed: paysync.TransferClose, channel.TransferFailed: paysync.TransferFail,
	}
)

// payoutTally counts what the payout checks saw, for the log.
type payoutTally struct {
	refunds, transfers                    map[string]int // channel truth/local status
	afterClose, notFoundCloses, watched   int
	overRefunded, notAtChannel, mismatch  int
	refundedPays, refundingPays, balanced int
}

// checkRefunds checks every refund after the drain, and the money of every
// pay order against its refunds.
func (c *chaos) checkRefunds(n *payoutTally) {
	t := c.t
	ctx := context.Background()
	n.refunds = map[string]int{}
	byPay := map[string][]*chaosRefund{}
	for _, cr := range c.refunds {
		byPay[cr.r.OrderNo] = append(byPay[cr.r.OrderNo], cr)
		r, err := c.store.GetRefundOrder(ctx, cr.r.RefundNo)
		require.NoError(t, err)
		tr, ok := c.drainC.RefundTruth(cr.r.RefundNo)
		require.True(t, ok, cr.r.RefundNo)
		n.refunds[string(tr.State)+"/"+string(r.Status)]++
		trail := loadTrail(t, c.store, paysync.TradeRefund, r.RefundNo)
		checkRefundTrail(t, c.store, r, trail)
		checkChaosRefund(t, c.store, cr, r, tr, trail, n)
	}
	for i := range c.pays {
		no := c.pays[i].start.OrderNo
		o, err := c.store.GetPayOrder(ctx, no)
		require.NoError(t, err)
		checkChaosRefundMoney(t, c.store, o, byPay[no], n)
	}
}

// checkChaosRefund: the refund agrees with the channel's final truth, or
// carries the anomaly docs/refund-sync.md#decision-table prescribes; it
// was never closed on not_found before NotFoundAfter.
func checkChaosRefund(t *testing.T, st repository.Store, cr *chaosRefund, r paysync.RefundOrder, tr channel.RefundReport,
	trail orderTrail, n *payoutTally) {
	no := r.RefundNo
	answer := map[string]string{} // adjust → the channel state it was made on
	for _, s := range trail.syncs {
		if s.Adjusted {
			answer[s.AdjustNo] = s.ChannelState
		}
	}
	notFoundClose := false
	for _, a := range trail.adjusts {
		if a.Before == pClose && a.After == pSuccess {
			n.afterClose++
		}
		if answer[a.AdjustNo] != cNotFound {
			continue
		}
		// not_found closes a refund in progress, and only past NotFoundAfter
		// (the default, 10 min).
		notFoundClose = true
		n.notFoundCloses++
		assert.Equal(t, [2]string{pProgress, pClose}, [2]string{a.Before, a.After}, "%s: moved on not_found", no)
		assert.Greater(t, a.CreatedAt.Sub(r.CreatedAt), 10*time.Minute, "%s: closed on not_found too young", no)
	}
	allowed := []paysync.AnomalyCode{}
	switch {
	case cr.otherAmount && tr.State == channel.RefundSuccess:
		assert.NotEqual(t, paysync.RefundSuccess, r.Status, "%s: succeeded with another amount", no)
		assert.True(t, hasAnomaly(t, st, paysync.TradeRefund, no, paysync.AnomalyAmountMismatch), "%s: amount_mismatch", no)
		allowed = append(allowed, paysync.AnomalyAmountMismatch)
		n.mismatch++
	case tr.State == channel.RefundNotFound:
		// Never received: closed when older than NotFoundAfter, and watched
		// in case a late call moves its money.
		assert.Equal(t, paysync.RefundClose, r.Status, "%s: the channel never had it", no)
		assert.True(t, r.Watched, "%s: closed on not_found but not watched", no)
		assert.True(t, notFoundClose, "%s: not closed on not_found", no)
	case tr.State == channel.RefundFailed && r.Status == paysync.RefundClose:
		// Closed here on not_found, then sent late and failed: (close,
		// failed) is a no-op — no money moved either way.
		assert.True(t, notFoundClose, "%s: close for a failed refund, not closed on not_found", no)
	default:
		assert.Equal(t, refundOf[tr.State], r.Status, "%s: channel %s", no, tr.State)
	}
	if r.Watched {
		n.watched++
	}
	if r.Status == paysync.RefundSuccess {
		assert.Equal(t, "out-"+no, r.OutRefundNo, "%s: channel's number not filled", no)
		assert.False(t, r.FinishedAt.IsZero(), "%s: success without FinishedAt", no)
	}
	if cr.callbacks.Load() {
		// A callback overtaken by a later truth may deny a success when
		// the query that confirms it met a fault.
		allowed = append(allowed, paysync.AnomalyRefundNotAtChannel)
	}
	for _, code := range openAnomalies(t, st, paysync.TradeRefund, no) {
		assert.Contains(t, allowed, code, "%s: anomaly %s the script does not explain", no, code)
		if code == paysync.AnomalyRefundNotAtChannel {
			n.notAtChannel++
		}
	}
}

// checkChaosRefundMoney checks pay order o's money against its refunds
// (checkRefundMoney) after the drain, and that the refunds stored are those
// created. An order without refunds keeps what pay sync's footnote 3 booked
// (checkChaosPay); one with refunds is success, without refund_at_channel.
func checkChaosRefundMoney(t *testing.T, st repository.Store, o paysync.PayOrder, crs []*chaosRefund, n *payoutTally) {
	no := o.OrderNo
	stored, err := st.ListRefundOrders(context.Background(), no)
	require.NoError(t, err)
	var have, want []string
	for _, r := range stored {
		have = append(have, r.RefundNo)
	}
	for _, cr := range crs {
		want = append(want, cr.r.RefundNo)
	}
	slices.Sort(have)
	slices.Sort(want)
	assert.Equal(t, want, have, "%s: refunds in the store and refunds created", no)
	if len(stored) == 0 {
		assert.False(t, hasAnomaly(t, st, paysync.TradePay, no, paysync.AnomalyOverRefunded), "%s: over_refunded without refunds", no)
		return
	}
	assert.Equal(t, paysync.PaySuccess, o.Status, "%s: refunded but not success", no)
	assert.False(t, hasAnomaly(t, st, paysync.TradePay, no, paysync.AnomalyRefundAtChannel), "%s: refund_at_channel and refunds", no)
	if checkRefundMoney(t, st, o, "after the drain") {
		n.overRefunded++
	}
	switch o.RefundStatus {
	case paysync.PayRefundFull:
		n.refundedPays++
	case paysync.PayRefunding:
		n.refundingPays++
	}
	n.balanced++
}

// refundCommits counts the commits refunds made on pay order no: one per
// refund created, one per refund move that changes refunded or reserved
// (all but progress ↔ fail). checkPayTrail counts pay commits against pay
// SyncRecords and must not count these.
func refundCommits(t *testing.T, st repository.Store, no string) int64 {
	rs, err := st.ListRefundOrders(context.Background(), no)
	require.NoError(t, err)
	n := int64(len(rs))
	for _, r := range rs {
		for _, a := range loadTrail(t, st, paysync.TradeRefund, r.RefundNo).adjusts {
			if dR, dV := refundMoney(a.Before, a.After, r.Amount); !dR.IsZero() || !dV.IsZero() {
				n++
			}
		}
	}
	return n
}

// checkTransfers checks every transfer after the drain.
func (c *chaos) checkTransfers(n *payoutTally) {
	t := c.t
	n.transfers = map[string]int{}
	for _, ct := range c.transfers {
		no := ct.start.TransferNo
		o, err := c.store.GetTransferOrder(context.Background(), no)
		require.NoError(t, err)
		tr, ok := c.drainC.TransferTruth(no)
		require.True(t, ok, no)
		n.transfers[string(tr.State)+"/"+string(o.Status)]++
		trail := loadTrail(t, c.store, paysync.TradeTransfer, no)
		checkTransferTrail(t, c.store, ct.start.Status, o, trail)
		checkChaosTransfer(t, c.store, ct, o, tr, trail, n)
	}
}

// checkChaosTransfer: the transfer agrees with the channel's final truth,
// or carries the anomaly docs/transfer-sync.md prescribes; one the channel
// never knew, or that names another payee, never moved.
func checkChaosTransfer(t *testing.T, st repository.Store, ct *chaosTransfer, o paysync.TransferOrder, tr channel.TransferReport,
	trail orderTrail, n *payoutTally) {
	no := o.TransferNo
	allowed := []paysync.AnomalyCode{}
	switch {
	case ct.otherPayee:
		assert.Equal(t, ct.start.Status, o.Status, "%s: moved on another payee's answer", no)
		assert.Empty(t, trail.adjusts, "%s: moved on another payee's answer", no)
		assert.True(t, hasAnomaly(t, st, paysync.TradeTransfer, no, paysync.AnomalyTradeMismatch), "%s: trade_mismatch", no)
		allowed = append(allowed, paysync.AnomalyTradeMismatch)
		n.mismatch++
	case ct.never:
		// Never known: never closed, a person is asked.
		assert.Equal(t, channel.TransferNotFound, tr.State, no)
		assert.Equal(t, ct.start.Status, o.Status, "%s: moved though the channel never knew it", no)
		assert.Empty(t, trail.adjusts, "%s: moved though the channel never knew it", no)
		assert.True(t, hasAnomaly(t, st, paysync.TradeTransfer, no, paysync.AnomalyTransferNotAtChannel),
			"%s: transfer_not_at_channel", no)
		allowed = append(allowed, paysync.AnomalyTransferNotAtChannel)
	case ct.otherAmount && tr.State == channel.TransferSuccess:
		assert.NotEqual(t, paysync.TransferSuccess, o.Status, "%s: succeeded with another amount", no)
		assert.True(t, hasAnomaly(t, st, paysync.TradeTransfer, no, paysync.AnomalyAmountMismatch), "%s: amount_mismatch", no)
		allowed = append(allowed, paysync.AnomalyAmountMismatch)
		n.mismatch++
	default:
		assert.Equal(t, transferOf[tr.State], o.Status, "%s: channel %s", no, tr.State)
	}
	if o.Status == paysync.TransferSuccess {
		assert.Equal(t, "out-"+no, o.OutTransferNo, "%s: channel's number not filled", no)
		assert.False(t, o.FinishedAt.IsZero(), "%s: success without FinishedAt", no)
	}
	if !ct.known.IsZero() && ct.known.Sub(ct.start.CreatedAt) > 10*time.Minute || ct.callbacks.Load() {
		// Known late: a sync past NotFoundAfter asked a person; a callback
		// overtaken by a later truth may deny a success when the query that
		// confirms it met a fault.
		allowed = append(allowed, paysync.AnomalyTransferNotAtChannel)
	}
	for _, code := range openAnomalies(t, st, paysync.TradeTransfer, no) {
		assert.Contains(t, allowed, code, "%s: anomaly %s the script does not explain", no, code)
		if code == paysync.AnomalyTransferNotAtChannel {
			n.notAtChannel++
		}
	}
}
