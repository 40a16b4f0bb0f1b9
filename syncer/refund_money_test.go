package syncer

import (
	"context"
	"encoding/json"
	"errors"
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

// The pay order's move table of docs/refund-sync.md, row by row, through
// CreateRefund and SyncRefund: RefundedAmount, ReservedAmount, RefundStatus,
// the pay order's Version, over_refunded and the refund event payloads.

// createRefund creates refund no of amount on orderNo through the engine.
func (e *env) createRefund(no, orderNo, amount string) paysync.RefundOrder {
	r, err := e.s.CreateRefund(e.ctx, NewRefund{RefundNo: no, BizRefundNo: "biz-" + no, OrderNo: orderNo,
		Amount: decimal.RequireFromString(amount), Reason: "test"})
	require.NoError(e.t, err, "create %s", no)
	return r
}

// syncRefundTo makes the channel report refund no in state st, faithfully,
// and syncs it.
func (e *env) syncRefundTo(no string, st channel.RefundState) RefundOutcome {
	e.ch.SetRefund(no, channeltest.RefundAnswer(e.getRefund(no), st))
	res, err := e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: no})
	require.NoError(e.t, err, "sync %s to %s", no, st)
	return res
}

// payMoney is what a test expects of a pay order's refund fields.
type payMoney struct {
	refunded, reserved string
	status             paysync.PayRefundStatus
}

func checkMoney(t *testing.T, e *env, orderNo string, want payMoney, msg string) paysync.PayOrder {
	t.Helper()
	o := e.order(orderNo)
	assert.True(t, dec(want.refunded).Equal(o.RefundedAmount), "%s: RefundedAmount %s, want %s", msg,
		o.RefundedAmount, want.refunded)
	assert.True(t, dec(want.reserved).Equal(o.ReservedAmount), "%s: ReservedAmount %s, want %s", msg,
		o.ReservedAmount, want.reserved)
	assert.Equal(t, want.status, o.RefundStatus, "%s: RefundStatus", msg)
	assert.Equal(t, ruleRefundStatus(o.Amount, o.RefundedAmount, o.ReservedAmount), o.RefundStatus,
		"%s: RefundStatus breaks the rule", msg)
	assert.Equal(t, paysync.PaySuccess, o.Status, "%s: a refunded order stays success", msg)
	return o
}

// lastRefundEvent returns the last event of refund no, of type typ.
func lastRefundEvent(t *testing.T, e *env, no string, typ paysync.EventType) paysync.RefundPayload {
	t.Helper()
	evs := e.events(paysync.TradeRefund, no)
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Type == typ {
			return refundPayloadOf(t, evs[i])
		}
	}
	t.Fatalf("%s: no %s event in %v", no, typ, eventTypes(evs))
	return paysync.RefundPayload{}
}

func checkPayload(t *testing.T, pl paysync.RefundPayload, st paysync.RefundOrderStatus, payStatus paysync.PayRefundStatus,
	refunded, reserved, balance string) {
	t.Helper()
	assert.Equal(t, st, pl.Status, "payload status")
	assert.Equal(t, payStatus, pl.PayRefundStatus, "payload payRefundStatus")
	assert.Equal(t, refunded, pl.RefundedAmount, "payload refundedAmount")
	assert.Equal(t, reserved, pl.ReservedAmount, "payload reservedAmount")
	assert.Equal(t, balance, pl.RefundableBalance, "payload refundableBalance")
}

// TestRefundMoveCreate: create reserves a, RefundStatus refunding, the pay
// order committed once, one refund.created event with the pay order's new
// fields, no AdjustRecord.
func TestRefundMoveCreate(t *testing.T) {
	e := newEnv(t)
	before := e.paid("O1")
	r := e.createRefund("R1", "O1", "3.00")
	assert.Equal(t, paysync.RefundProgress, r.Status)
	assert.Equal(t, int64(1), r.Version)
	assert.Equal(t, "test", r.Channel)
	assert.Equal(t, "CNY", r.CurrencyOrDefault())
	assert.Equal(t, "test", r.Reason)
	assert.Equal(t, r, e.getRefund("R1"), "returned as stored")
	o := checkMoney(t, e, "O1", payMoney{"0", "3.00", paysync.PayRefunding}, "create")
	assert.Equal(t, before.Version+1, o.Version, "one pay commit")
	evs := e.events(paysync.TradeRefund, "R1")
	require.Equal(t, []paysync.EventType{paysync.EventRefundCreated}, eventTypes(evs))
	checkPayload(t, refundPayloadOf(t, evs[0]), paysync.RefundProgress, paysync.PayRefunding, "0.00", "3.00", "7.00")
	assert.Empty(t, e.adjusts(paysync.TradeRefund, "R1"), "creating is no move of any machine")
	assert.Empty(t, e.syncs(paysync.TradeRefund, "R1"))
	assert.Empty(t, e.events(paysync.TradePay, "O1"), "no pay event")
	assert.False(t, r.Schedule.NextSyncAt.IsZero(), "a progress refund is in the schedule")
}

// TestRefundMoveProgressToSuccess: R + a, V − a, by RefundStatus's three
// outcomes (partial, full, and refunding while another is in flight).
func TestRefundMoveProgressToSuccess(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	e.createRefund("R1", "O1", "3.00")
	e.createRefund("R2", "O1", "5.00")
	checkMoney(t, e, "O1", payMoney{"0", "8.00", paysync.PayRefunding}, "two in flight")
	v := e.order("O1").Version

	res := e.syncRefundTo("R1", channel.RefundSuccess)
	assert.True(t, res.Adjusted)
	assert.Empty(t, res.Anomalies)
	o := checkMoney(t, e, "O1", payMoney{"3.00", "5.00", paysync.PayRefunding}, "R1 success, R2 in flight")
	assert.Equal(t, v+1, o.Version)
	checkPayload(t, lastRefundEvent(t, e, "R1", paysync.EventRefundSuccess), paysync.RefundSuccess, paysync.PayRefunding,
		"3.00", "5.00", "2.00")

	e.syncRefundTo("R2", channel.RefundSuccess)
	checkMoney(t, e, "O1", payMoney{"8.00", "0", paysync.PayRefundPartial}, "both succeeded")
	checkPayload(t, lastRefundEvent(t, e, "R2", paysync.EventRefundSuccess), paysync.RefundSuccess,
		paysync.PayRefundPartial, "8.00", "0.00", "2.00")

	e.createRefund("R3", "O1", "2.00")
	e.syncRefundTo("R3", channel.RefundSuccess)
	checkMoney(t, e, "O1", payMoney{"10.00", "0", paysync.PayRefundFull}, "all refunded")
	checkPayload(t, lastRefundEvent(t, e, "R3", paysync.EventRefundSuccess), paysync.RefundSuccess, paysync.PayRefundFull,
		"10.00", "0.00", "0.00")
	assert.Empty(t, openAnomalies(t, e.store, paysync.TradePay, "O1"), "exactly the amount is not over-refunded")
}

// TestRefundMoveFailToSuccess: a fail refund keeps its reservation; its
// success books a and releases it.
func TestRefundMoveFailToSuccess(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	e.createRefund("R1", "O1", "4.00")
	before := e.order("O1")
	e.syncRefundTo("R1", channel.RefundFailed)
	o := checkMoney(t, e, "O1", payMoney{"0", "4.00", paysync.PayRefunding}, "fail keeps the reservation")
	assert.Equal(t, before, o, "progress → fail does not touch the pay order (nor its Version)")
	checkPayload(t, lastRefundEvent(t, e, "R1", paysync.EventRefundFailed), paysync.RefundFail, paysync.PayRefunding,
		"0.00", "4.00", "6.00")

	e.syncRefundTo("R1", channel.RefundSuccess)
	o = checkMoney(t, e, "O1", payMoney{"4.00", "0", paysync.PayRefundPartial}, "fail → success")
	assert.Equal(t, before.Version+1, o.Version)
	checkPayload(t, lastRefundEvent(t, e, "R1", paysync.EventRefundSuccess), paysync.RefundSuccess,
		paysync.PayRefundPartial, "4.00", "0.00", "6.00")
}

// TestRefundMoveToClose: progress → close and fail → close release a, once.
func TestRefundMoveToClose(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	e.createRefund("R1", "O1", "3.00")
	e.createRefund("R2", "O1", "2.00")
	e.syncRefundTo("R1", channel.RefundClosed)
	checkMoney(t, e, "O1", payMoney{"0", "2.00", paysync.PayRefunding}, "progress → close")
	checkPayload(t, lastRefundEvent(t, e, "R1", paysync.EventRefundClosed), paysync.RefundClose, paysync.PayRefunding,
		"0.00", "2.00", "8.00")

	e.syncRefundTo("R2", channel.RefundFailed)
	e.syncRefundTo("R2", channel.RefundClosed)
	checkMoney(t, e, "O1", payMoney{"0", "0", paysync.PayRefundNone}, "fail → close")
	checkPayload(t, lastRefundEvent(t, e, "R2", paysync.EventRefundClosed), paysync.RefundClose, paysync.PayRefundNone,
		"0.00", "0.00", "10.00")

	// Closed again and again by the channel: nothing released a second
	// time (DaxPay's double restore).
	v := e.order("O1").Version
	e.syncRefundTo("R1", channel.RefundClosed)
	e.syncRefundTo("R2", channel.RefundClosed)
	o := checkMoney(t, e, "O1", payMoney{"0", "0", paysync.PayRefundNone}, "closed again")
	assert.Equal(t, v, o.Version)
}

// TestRefundMoveProgressFail: progress ↔ fail leaves the pay order alone.
func TestRefundMoveProgressFail(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	e.createRefund("R1", "O1", "3.00")
	before := e.order("O1")
	e.syncRefundTo("R1", channel.RefundFailed)
	e.syncRefundTo("R1", channel.RefundProgress)
	e.syncRefundTo("R1", channel.RefundFailed)
	assert.Equal(t, before, e.order("O1"), "progress ↔ fail touched the pay order")
	assert.Equal(t, []paysync.EventType{paysync.EventRefundCreated, paysync.EventRefundFailed,
		paysync.EventRefundProgress, paysync.EventRefundFailed}, eventTypes(e.events(paysync.TradeRefund, "R1")))
	checkPayload(t, lastRefundEvent(t, e, "R1", paysync.EventRefundProgress), paysync.RefundProgress,
		paysync.PayRefunding, "0.00", "3.00", "7.00")
}

// TestRefundMoveCloseToSuccess: a closed refund's money found later books a
// and releases nothing (its reservation went back at close); when another
// refund took the balance meanwhile, over_refunded opens on the pay order —
// as a pay.anomaly, listed in the refund sync's outcome — and the move is
// still made, the balance negative.
func TestRefundMoveCloseToSuccess(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	e.createRefund("R1", "O1", "6.00")
	e.clock.Add(11 * time.Minute) // older than NotFoundAfter
	res := e.syncRefundTo("R1", channel.RefundNotFound)
	require.Equal(t, paysync.RefundClose, res.Status)
	require.True(t, e.getRefund("R1").Watched)
	checkMoney(t, e, "O1", payMoney{"0", "0", paysync.PayRefundNone}, "closed on not_found")

	e.createRefund("R2", "O1", "6.00") // the released balance goes to another refund
	e.syncRefundTo("R2", channel.RefundSuccess)
	checkMoney(t, e, "O1", payMoney{"6.00", "0", paysync.PayRefundPartial}, "R2 success")
	v := e.order("O1").Version

	// The host's late call moved R1's money after all.
	res = e.syncRefundTo("R1", channel.RefundSuccess)
	assert.Equal(t, paysync.RefundSuccess, res.Status)
	assert.True(t, res.Adjusted)
	assert.Equal(t, []paysync.AnomalyCode{paysync.AnomalyOverRefunded}, res.Anomalies, "outcome lists over_refunded")
	o := checkMoney(t, e, "O1", payMoney{"12.00", "0", paysync.PayRefundFull}, "close → success")
	assert.Equal(t, v+1, o.Version)
	assert.True(t, o.RefundableBalance().Equal(dec("-2")), "balance negative: %s", o.RefundableBalance())
	assert.False(t, e.getRefund("R1").Watched, "leaving close ends the watch")
	checkPayload(t, lastRefundEvent(t, e, "R1", paysync.EventRefundSuccessAfterClose), paysync.RefundSuccess,
		paysync.PayRefundFull, "12.00", "0.00", "-2.00")

	checkOverRefunded(t, e, "O1", 1)
	assert.Empty(t, openAnomalies(t, e.store, paysync.TradeRefund, "R1"), "over_refunded is the pay order's")
	syncs := e.syncs(paysync.TradeRefund, "R1")
	assert.Contains(t, syncs[len(syncs)-1].Anomalies, paysync.AnomalyOverRefunded, "on the SyncRecord")

	// Seen again (the same success): no second move, no second opening.
	res = e.syncRefundTo("R1", channel.RefundSuccess)
	assert.False(t, res.Adjusted)
	checkMoney(t, e, "O1", payMoney{"12.00", "0", paysync.PayRefundFull}, "success again")
	checkOverRefunded(t, e, "O1", 1)
}

// TestRefundMoveCloseToProgress: a closed refund the channel reports in
// progress reserves a again, even past the balance (over_refunded).
func TestRefundMoveCloseToProgress(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	e.createRefund("R1", "O1", "4.00")
	e.syncRefundTo("R1", channel.RefundClosed)
	checkMoney(t, e, "O1", payMoney{"0", "0", paysync.PayRefundNone}, "closed")
	v := e.order("O1").Version

	res := e.syncRefundTo("R1", channel.RefundProgress)
	assert.True(t, res.Adjusted)
	assert.Empty(t, res.Anomalies)
	o := checkMoney(t, e, "O1", payMoney{"0", "4.00", paysync.PayRefunding}, "close → progress")
	assert.Equal(t, v+1, o.Version)
	checkPayload(t, lastRefundEvent(t, e, "R1", paysync.EventRefundProgress), paysync.RefundProgress,
		paysync.PayRefunding, "0.00", "4.00", "6.00")
	assert.False(t, e.getRefund("R1").Schedule.NextSyncAt.IsZero(), "back in the schedule")

	// Closed again, its balance taken, then in progress again: over.
	e.syncRefundTo("R1", channel.RefundClosed)
	e.createRefund("R2", "O1", "8.00")
	res = e.syncRefundTo("R1", channel.RefundProgress)
	assert.Equal(t, []paysync.AnomalyCode{paysync.AnomalyOverRefunded}, res.Anomalies)
	o = checkMoney(t, e, "O1", payMoney{"0", "12.00", paysync.PayRefunding}, "reserved past the amount")
	assert.True(t, o.RefundableBalance().Equal(dec("-2")))
	checkOverRefunded(t, e, "O1", 1)

	// The channel settles it: R1 closes, the balance comes back; the
	// anomaly stays open for a person.
	e.syncRefundTo("R1", channel.RefundClosed)
	checkMoney(t, e, "O1", payMoney{"0", "8.00", paysync.PayRefunding}, "R1 closed")
	checkOverRefunded(t, e, "O1", 1)
}

// checkOverRefunded: over_refunded is open on pay order no and was
// announced exactly n times by a pay.anomaly event carrying the code.
func checkOverRefunded(t *testing.T, e *env, no string, n int) {
	t.Helper()
	assert.True(t, hasAnomaly(t, e.store, paysync.TradePay, no, paysync.AnomalyOverRefunded), "over_refunded open")
	var got int
	for _, ev := range e.events(paysync.TradePay, no) {
		require.Equal(t, paysync.EventPayAnomaly, ev.Type, "only pay.anomaly on the pay order")
		var pl paysync.PayPayload
		require.NoError(t, json.Unmarshal(ev.Payload, &pl))
		assert.Equal(t, paysync.AnomalyOverRefunded, pl.Anomaly)
		got++
	}
	assert.Equal(t, n, got, "pay.anomaly events")
}

// TestRefundPayloadJPY: money in a refund payload is written at the
// currency's scale — JPY has none.
func TestRefundPayloadJPY(t *testing.T) {
	e := newEnv(t)
	e.paid("O1", func(o *paysync.PayOrder) { o.Amount, o.Currency = dec("1000"), "JPY" })
	r := e.createRefund("R1", "O1", "300")
	assert.Equal(t, "JPY", r.Currency)
	checkPayload(t, lastRefundEvent(t, e, "R1", paysync.EventRefundCreated), paysync.RefundProgress, paysync.PayRefunding,
		"0", "300", "700")
	e.syncRefundTo("R1", channel.RefundSuccess)
	pl := lastRefundEvent(t, e, "R1", paysync.EventRefundSuccess)
	checkPayload(t, pl, paysync.RefundSuccess, paysync.PayRefundPartial, "300", "0", "700")
	assert.Equal(t, "300", pl.Amount)
	assert.Equal(t, "JPY", pl.Currency)
}

// TestRefundFailKeepsBalance: a fail refund still holds its money, so a new
// refund cannot take it; after it closes, it can.
func TestRefundFailKeepsBalance(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	e.createRefund("R1", "O1", "8.00")
	e.syncRefundTo("R1", channel.RefundFailed)
	_, err := e.s.CreateRefund(e.ctx, NewRefund{RefundNo: "R2", BizRefundNo: "biz-R2", OrderNo: "O1", Amount: dec("3")})
	require.ErrorIs(t, err, paysync.ErrInsufficientBalance)
	e.syncRefundTo("R1", channel.RefundClosed)
	e.createRefund("R2", "O1", "3.00")
	checkMoney(t, e, "O1", payMoney{"0", "3.00", paysync.PayRefunding}, "after R1 closed")
}

// TestRefundAfterRefundAtChannelResolved: money pay sync's footnote 3 booked
// stays in RefundedAmount once a person resolved refund_at_channel; refunds
// then take only the rest, and the RefundStatus rule applies from the first
// refund move on — also to an order footnote 3 left partial_refund with
// nothing booked.
func TestRefundAfterRefundAtChannelResolved(t *testing.T) {
	for _, booked := range []string{"3.00", "0"} {
		t.Run("booked="+booked, func(t *testing.T) {
			e := newEnv(t)
			o := e.pay("P1", paysync.PayProgress)
			rep := channeltest.Report(o, channel.PayRefunded)
			rep.RefundedAmount = dec(booked)
			e.ch.SetPay("P1", rep)
			_, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "P1"})
			require.NoError(t, err)
			p := e.order("P1")
			require.Equal(t, paysync.PaySuccess, p.Status)
			require.Equal(t, paysync.PayRefundPartial, p.RefundStatus)
			require.True(t, dec(booked).Equal(p.RefundedAmount))

			_, err = e.s.CreateRefund(e.ctx, NewRefund{RefundNo: "R0", BizRefundNo: "B0", OrderNo: "P1", Amount: dec("1")})
			require.ErrorIs(t, err, paysync.ErrOpenAnomaly)
			require.NoError(t, e.store.SaveEntries(e.ctx, repository.Entries{Resolutions: []repository.AnomalyResolution{{
				TradeType: paysync.TradePay, TradeNo: "P1", Code: paysync.AnomalyRefundAtChannel, At: e.clock.Now(),
				By: "ops", Note: "the channel's refund was ours"}}}))

			rest := dec("10").Sub(dec(booked))
			_, err = e.s.CreateRefund(e.ctx, NewRefund{RefundNo: "R0", BizRefundNo: "B0", OrderNo: "P1",
				Amount: rest.Add(dec("0.01"))})
			require.ErrorIs(t, err, paysync.ErrInsufficientBalance, "booked money is not refundable again")
			e.createRefund("R1", "P1", rest.StringFixed(2))
			checkMoney(t, e, "P1", payMoney{booked, rest.String(), paysync.PayRefunding}, "reserved the rest")
			if booked == "0" {
				e.syncRefundTo("R1", channel.RefundClosed)
				checkMoney(t, e, "P1", payMoney{"0", "0", paysync.PayRefundNone}, "the rule from the first move on")
				return
			}
			e.syncRefundTo("R1", channel.RefundSuccess)
			checkMoney(t, e, "P1", payMoney{"10.00", "0", paysync.PayRefundFull}, "all back")
			checkPayload(t, lastRefundEvent(t, e, "R1", paysync.EventRefundSuccess), paysync.RefundSuccess,
				paysync.PayRefundFull, "10.00", "0.00", "0.00")
			assert.False(t, hasAnomaly(t, e.store, paysync.TradePay, "P1", paysync.AnomalyOverRefunded))
		})
	}
}

// checkRefundMoney checks pay order o's refund fields against its refunds
// (docs/refund-sync.md#moves-of-the-pay-order), as the random runs leave
// them: RefundedAmount = Σ refunds in success, ReservedAmount = Σ refunds in
// progress or fail, RefundStatus by the rule; every refund event's payload
// (the pay order after that move) adds up to the amount and follows the
// rule; over_refunded open exactly when some move left R + V above the
// amount, first seen at the first such move. It returns whether the order
// was ever over. msg says when the check is made.
func checkRefundMoney(t testing.TB, st repository.Store, o paysync.PayOrder, msg string) (over bool) {
	ctx := context.Background()
	no := o.OrderNo
	refunds, err := st.ListRefundOrders(ctx, no)
	require.NoError(t, err)
	var refunded, reserved decimal.Decimal
	for _, r := range refunds {
		switch r.Status {
		case paysync.RefundSuccess:
			refunded = refunded.Add(r.Amount)
		case paysync.RefundProgress, paysync.RefundFail:
			reserved = reserved.Add(r.Amount)
		}
	}
	assert.True(t, refunded.Equal(o.RefundedAmount), "%s: %s RefundedAmount %s, Σ refunds in success %s", msg, no,
		o.RefundedAmount, refunded)
	assert.True(t, reserved.Equal(o.ReservedAmount), "%s: %s ReservedAmount %s, Σ refunds in progress or fail %s", msg,
		no, o.ReservedAmount, reserved)
	assert.Equal(t, ruleRefundStatus(o.Amount, o.RefundedAmount, o.ReservedAmount), o.RefundStatus,
		"%s: %s RefundStatus breaks the rule", msg, no)

	var firstOver time.Time
	for _, r := range refunds {
		evs, err := st.ListEvents(ctx, repository.EventFilter{TradeType: paysync.TradeRefund, TradeNo: r.RefundNo})
		require.NoError(t, err)
		for _, ev := range evs {
			if !ev.Type.IsStatus() && ev.Type != paysync.EventRefundCreated {
				continue
			}
			pl := refundPayloadOf(t, ev)
			rr, err1 := decimal.NewFromString(pl.RefundedAmount)
			vv, err2 := decimal.NewFromString(pl.ReservedAmount)
			bb, err3 := decimal.NewFromString(pl.RefundableBalance)
			require.NoError(t, errors.Join(err1, err2, err3))
			assert.True(t, rr.Add(vv).Add(bb).Equal(o.Amount), "%s: %s payload of %s does not add up", msg, no, ev.Type)
			assert.Equal(t, ruleRefundStatus(o.Amount, rr, vv), pl.PayRefundStatus,
				"%s: %s payload of %s breaks the rule", msg, no, ev.Type)
			if rr.Add(vv).GreaterThan(o.Amount) && (firstOver.IsZero() || ev.CreatedAt.Before(firstOver)) {
				firstOver = ev.CreatedAt
			}
		}
	}
	over = !firstOver.IsZero()
	if o.RefundedAmount.Add(o.ReservedAmount).GreaterThan(o.Amount) {
		assert.True(t, over, "%s: %s over now (R %s + V %s of %s) but no move was over", msg, no, o.RefundedAmount,
			o.ReservedAmount, o.Amount)
	}
	as, err := st.OrderAnomalies(ctx, paysync.TradePay, no)
	require.NoError(t, err)
	var a paysync.Anomaly
	for _, x := range as {
		if x.Code == paysync.AnomalyOverRefunded && x.Open() {
			a = x
		}
	}
	assert.Equal(t, over, a.Code != "", "%s: %s over_refunded open (R %s + V %s of %s; ever over: %v)", msg, no,
		o.RefundedAmount, o.ReservedAmount, o.Amount, over)
	if over && a.Code != "" {
		assert.True(t, a.FirstSeenAt.Equal(firstOver), "%s: %s over_refunded first seen %v, first over move %v", msg, no,
			a.FirstSeenAt, firstOver)
	}
	return over
}
