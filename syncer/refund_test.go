package syncer

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refundLocal is a refund's local status as a table test seeds it: the four
// statuses, and close once more with Watched set (closed on not_found).
type refundLocal struct {
	status  paysync.RefundOrderStatus
	watched bool
}

func (l refundLocal) String() string {
	if l.watched {
		return string(l.status) + "(watched)"
	}
	return string(l.status)
}

var refundLocals = []refundLocal{
	{status: paysync.RefundProgress}, {status: paysync.RefundFail}, {status: paysync.RefundClose},
	{status: paysync.RefundClose, watched: true}, {status: paysync.RefundSuccess},
}

// refundMoney is the move table of docs/refund-sync.md, a person's success
// → close included: how a refund of amount a moving from → to changes its
// pay order's RefundedAmount (dR) and ReservedAmount (dV).
func refundMoney(from, to string, a decimal.Decimal) (dR, dV decimal.Decimal) {
	zero := decimal.Decimal{}
	if from == to {
		return zero, zero
	}
	switch {
	case to == pSuccess && (from == pProgress || from == pFail):
		return a, a.Neg()
	case to == pSuccess && from == pClose:
		return a, zero
	case to == pClose && (from == pProgress || from == pFail):
		return zero, a.Neg()
	case to == pProgress && from == pClose:
		return zero, a
	case to == pClose && from == pSuccess: // a person's move (docs/repair.md#manual-moves)
		return a.Neg(), zero
	}
	return zero, zero // progress ↔ fail
}

// refundPath applies a channel answer to refund R1: by SyncRefund (the fake
// channel answers rep) or by ApplyRefundNotification (the callback is rep).
type refundPath struct {
	name   string
	source paysync.Source
	apply  func(e *env, no string, rep channel.RefundReport) (RefundOutcome, error)
}

var refundPaths = []refundPath{
	{"sync", paysync.SourceAPI, func(e *env, no string, rep channel.RefundReport) (RefundOutcome, error) {
		e.ch.SetRefund(no, rep)
		return e.s.SyncRefund(e.ctx, RefundRequest{RefundNo: no, ClientIP: "10.0.0.9"})
	}},
	{"callback", paysync.SourceCallback, func(e *env, no string, rep channel.RefundReport) (RefundOutcome, error) {
		// The channel agrees with its callback, should the engine ask
		// (TestLateCallbackDeniesNothing: one it does not agree with).
		e.ch.SetRefund(no, rep)
		return e.s.ApplyRefundNotification(e.ctx, no, rep, paysync.SourceCallback)
	}},
}

// splitEvents parts an order's events into status events and anomaly events
// (of type anomalyType), and returns any other type in rest.
func splitEvents(evs []paysync.Event, anomalyType paysync.EventType) (status, anomalies, rest []paysync.Event) {
	for _, ev := range evs {
		switch {
		case ev.Type.IsStatus():
			status = append(status, ev)
		case ev.Type == anomalyType:
			anomalies = append(anomalies, ev)
		default:
			rest = append(rest, ev)
		}
	}
	return status, anomalies, rest
}

func refundPayloadOf(t testing.TB, ev paysync.Event) paysync.RefundPayload {
	var pl paysync.RefundPayload
	require.NoError(t, json.Unmarshal(ev.Payload, &pl), "payload of %s", ev.Type)
	return pl
}

// TestSyncRefundTable runs every cell of the refund table end to end —
// store, fake channel (or callback), commit — at the not_found age
// boundary, by both paths, and then applies the same answer again: the
// second is a no-op that opens nothing a second time.
func TestSyncRefundTable(t *testing.T) {
	for _, path := range refundPaths {
		for _, l := range refundLocals {
			for _, c := range payoutStates {
				ages := []time.Duration{2 * time.Hour}
				if c == cNotFound {
					ages = []time.Duration{10 * time.Minute, 10*time.Minute + time.Microsecond}
				}
				for _, age := range ages {
					name := fmt.Sprintf("%s/%s×%s/age=%s", path.name, l, c, age)
					t.Run(name, func(t *testing.T) {
						old := age > 10*time.Minute
						want := payoutCell(paysync.TradeRefund, string(l.status), c, old)
						checkRefundCell(t, path, l, c, age, func(*channel.RefundReport) {}, want)
					})
				}
			}
		}
	}
}

// TestSyncRefundAnswerForAnotherRefund: in every cell, an answer naming
// another refund number changes nothing and raises trade_mismatch, once.
func TestSyncRefundAnswerForAnotherRefund(t *testing.T) {
	for _, path := range refundPaths {
		for _, l := range refundLocals {
			for _, c := range payoutStates {
				t.Run(fmt.Sprintf("%s/%s×%s", path.name, l, c), func(t *testing.T) {
					want := payoutWant{to: string(l.status), anomaly: paysync.AnomalyTradeMismatch}
					checkRefundCell(t, path, l, c, time.Hour, func(r *channel.RefundReport) { r.RefundNo = "R-OTHER" }, want)
				})
			}
		}
	}
}

// TestSyncRefundFootnote1: a move to success is made only when the channel's
// amount and currency equal the refund's, each when reported; a zero amount
// or empty currency is "not reported" and passes.
func TestSyncRefundFootnote1(t *testing.T) {
	variants := []struct {
		name   string
		change func(r *channel.RefundReport)
		code   paysync.AnomalyCode // "" → the move is made
	}{
		{"another amount", func(r *channel.RefundReport) { r.Amount = dec("3.01") }, paysync.AnomalyAmountMismatch},
		{"another currency", func(r *channel.RefundReport) { r.Currency = "USD" }, paysync.AnomalyCurrencyMismatch},
		{"amount not reported", func(r *channel.RefundReport) { r.Amount = decimal.Decimal{} }, ""},
		{"currency not reported", func(r *channel.RefundReport) { r.Currency = "" }, ""},
		{"number not reported", func(r *channel.RefundReport) { r.RefundNo = "" }, ""},
		{"same amount at another scale", func(r *channel.RefundReport) { r.Amount = dec("3.0") }, ""},
		{"finish time not reported", func(r *channel.RefundReport) { r.FinishedAt = time.Time{} }, ""},
	}
	for _, path := range refundPaths {
		for _, l := range refundLocals {
			if l.status == paysync.RefundSuccess {
				continue // no move: footnote 1 guards moves to success
			}
			for _, v := range variants {
				t.Run(fmt.Sprintf("%s/%s×success/%s", path.name, l, v.name), func(t *testing.T) {
					want := payoutCell(paysync.TradeRefund, string(l.status), cSuccess, true)
					if v.code != "" {
						want = payoutWant{to: string(l.status), anomaly: v.code}
					}
					checkRefundCell(t, path, l, cSuccess, time.Hour, v.change, want)
				})
			}
		}
	}
}

// checkRefundCell seeds pay order O1 (10.00 CNY, paid) with refund R1 of
// 3.00 in local status l, created age ago (a fail one with the error it
// failed with); applies the faithful answer in state c, finished a minute
// after creation at the channel, changed by change, through path; checks
// what the rules say about the refund, its records and its pay order; then
// applies the same answer again and checks that nothing more happened.
func checkRefundCell(t *testing.T, path refundPath, l refundLocal, c string, age time.Duration,
	change func(*channel.RefundReport), want payoutWant) {
	e := newEnv(t)
	e.paid("O1")
	created := e.clock.Now().Add(-age)
	r := e.seedRefund("R1", "O1", l.status, "3.00", created, func(r *paysync.RefundOrder) {
		r.Watched = l.watched
		if l.status == paysync.RefundFail {
			r.ErrorCode, r.ErrorMsg = "OLD_FAIL", "failed before"
		}
		if want.fill { // a success refund the sync must complete
			r.OutRefundNo, r.FinishedAt = "", time.Time{}
		}
	})
	payBefore := e.order("O1")
	rep := channeltest.RefundAnswer(r, channel.RefundState(c))
	rep.FinishedAt = created.Add(time.Minute) // the channel's own time
	change(&rep)

	res, err := path.apply(e, "R1", rep)
	require.NoError(t, err)

	from := string(l.status)
	moved := want.to != from
	got := e.getRefund("R1")
	pay := e.order("O1")
	checkCellWrites(t, refundFields(r), refundFields(got),
		cellFields{finishedAt: rep.FinishedAt, errorCode: rep.ErrorCode, errorMsg: rep.ErrorMsg, outNo: rep.OutRefundNo},
		want, e.clock.Now())
	assert.Equal(t, want.watch || l.watched && want.to == pClose, got.Watched, "Watched")
	assert.Equal(t, got.Scheduled() && !got.Schedule.Exhausted, !got.Schedule.NextSyncAt.IsZero(),
		"in the schedule exactly when Scheduled")
	if !moved && !want.fill && !got.Scheduled() {
		assert.Equal(t, r, got, "an order out of the schedule is not written by a no-op")
	}

	// The pay order: the move table, the RefundStatus rule, its Version.
	dR, dV := refundMoney(from, want.to, r.Amount)
	assert.True(t, payBefore.RefundedAmount.Add(dR).Equal(pay.RefundedAmount), "RefundedAmount %s, want %s",
		pay.RefundedAmount, payBefore.RefundedAmount.Add(dR))
	assert.True(t, payBefore.ReservedAmount.Add(dV).Equal(pay.ReservedAmount), "ReservedAmount %s, want %s",
		pay.ReservedAmount, payBefore.ReservedAmount.Add(dV))
	if !dR.IsZero() || !dV.IsZero() {
		assert.Equal(t, payBefore.Version+1, pay.Version, "pay order committed once")
		assert.Equal(t, ruleRefundStatus(pay.Amount, pay.RefundedAmount, pay.ReservedAmount), pay.RefundStatus)
	} else {
		assert.Equal(t, payBefore, pay, "pay order untouched when its refund fields do not change")
	}
	assert.Equal(t, paysync.PaySuccess, pay.Status, "a refunded order stays success")
	assert.Empty(t, openAnomalies(t, e.store, paysync.TradePay, "O1"), "no over_refunded at 3.00 of 10.00")
	assert.Empty(t, e.events(paysync.TradePay, "O1"), "no pay event")

	// The records and events; a status event carries the pay order's new
	// refund fields.
	status, _ := checkCellTrail(t, e, paysync.TradeRefund, "R1", from, c, path.source, want, refundCellOutcome(res))
	if path.name == "sync" {
		assert.Equal(t, "10.0.0.9", e.syncs(paysync.TradeRefund, "R1")[0].ClientIP)
	}
	if moved {
		if want.afterClose {
			assert.Equal(t, paysync.EventRefundSuccessAfterClose, status[0].Type, "footnote 2")
		}
		pl := refundPayloadOf(t, status[0])
		assert.Equal(t, "R1", pl.RefundNo)
		assert.Equal(t, "3.00", pl.Amount)
		assert.Equal(t, pay.RefundStatus, pl.PayRefundStatus)
		assert.Equal(t, pay.RefundedAmount.StringFixed(2), pl.RefundedAmount)
		assert.Equal(t, pay.ReservedAmount.StringFixed(2), pl.ReservedAmount)
		assert.Equal(t, pay.RefundableBalance().StringFixed(2), pl.RefundableBalance)
	}

	// The same answer again: nothing moves, nothing opens again.
	first := loadTrail(t, e.store, paysync.TradeRefund, "R1")
	res2, err := path.apply(e, "R1", rep)
	require.NoError(t, err)
	got2 := e.getRefund("R1")
	checkCellAgain(t, e, paysync.TradeRefund, "R1", want, first, refundFields(got), refundFields(got2), got2.Scheduled(),
		refundCellOutcome(res2))
	assert.Equal(t, got.Watched, got2.Watched)
	assert.Equal(t, pay, e.order("O1"), "pay order changed by the second application")
}
