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

// refundMoney is the move table of docs/refund-sync.md: how a refund of
// amount a moving from → to changes its pay order's RefundedAmount (dR) and
// ReservedAmount (dV).
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
// 3.00 in local status l, created age ago; applies the faithful answer in
// state c, changed by change, through path; checks everything the rules say
// about the result; then applies the same answer again and checks that
// nothing more happened.
func checkRefundCell(t *testing.T, path refundPath, l refundLocal, c string, age time.Duration,
	change func(*channel.RefundReport), want payoutWant) {
	e := newEnv(t)
	e.paid("O1")
	created := e.clock.Now().Add(-age)
	r := e.seedRefund("R1", "O1", l.status, "3.00", created, func(r *paysync.RefundOrder) {
		r.Watched = l.watched
		if want.fill { // a success refund the sync must complete
			r.OutRefundNo, r.FinishedAt = "", time.Time{}
		}
	})
	payBefore := e.order("O1")
	rep := channeltest.RefundAnswer(r, channel.RefundState(c))
	if want.fill {
		rep.FinishedAt = created.Add(time.Minute) // the channel's time, to fill in
	}
	change(&rep)

	res, err := path.apply(e, "R1", rep)
	require.NoError(t, err)

	from := string(l.status)
	moved := want.to != from
	got := e.getRefund("R1")
	pay := e.order("O1")

	// The refund.
	assert.Equal(t, want.to, string(got.Status), "stored status")
	assert.Equal(t, want.to, string(res.Status), "outcome status")
	assert.Equal(t, moved, res.Adjusted, "outcome Adjusted")
	assert.Equal(t, channel.RefundState(c), res.ChannelState)
	assert.Equal(t, want.watch || l.watched && want.to == pClose, got.Watched, "Watched")
	assert.Equal(t, got.Scheduled() && !got.Schedule.Exhausted, !got.Schedule.NextSyncAt.IsZero(),
		"in the schedule exactly when Scheduled")
	if moved {
		assert.Equal(t, r.Version+1, got.Version, "one commit")
		if want.to != pProgress {
			assert.False(t, got.FinishedAt.IsZero(), "FinishedAt set on reaching %s", want.to)
		}
	}
	if want.to == pFail && moved {
		assert.Equal(t, rep.ErrorCode, got.ErrorCode)
		assert.Equal(t, rep.ErrorMsg, got.ErrorMsg)
	}
	if want.to == pSuccess && (moved || want.fill) {
		assert.Equal(t, rep.OutRefundNo, got.OutRefundNo, "OutRefundNo learned")
		assert.False(t, got.FinishedAt.IsZero(), "FinishedAt filled")
		if want.fill {
			assert.True(t, rep.FinishedAt.Equal(got.FinishedAt), "FinishedAt filled from the channel")
		}
	}
	if !moved && !want.fill && !got.Scheduled() {
		assert.Equal(t, r, got, "an order out of the schedule is not written by a no-op")
	}

	// The pay order: the move table, the RefundStatus rule, its Version.
	dR, dV := refundMoney(from, want.to, r.Amount)
	assert.True(t, payBefore.RefundedAmount.Add(dR).Equal(pay.RefundedAmount), "RefundedAmount %s, want %s",
		pay.RefundedAmount, payBefore.RefundedAmount.Add(dR))
	assert.True(t, payBefore.ReservedAmount.Add(dV).Equal(pay.ReservedAmount), "ReservedAmount %s, want %s",
		pay.ReservedAmount, payBefore.ReservedAmount.Add(dV))
	fieldsChanged := !dR.IsZero() || !dV.IsZero()
	if fieldsChanged {
		assert.Equal(t, payBefore.Version+1, pay.Version, "pay order committed once")
		assert.Equal(t, ruleRefundStatus(pay.Amount, pay.RefundedAmount, pay.ReservedAmount), pay.RefundStatus)
	} else {
		assert.Equal(t, payBefore, pay, "pay order untouched when its refund fields do not change")
	}
	assert.Equal(t, paysync.PaySuccess, pay.Status, "a refunded order stays success")
	assert.Empty(t, openAnomalies(t, e.store, paysync.TradePay, "O1"), "no over_refunded at 3.00 of 10.00")

	// The records.
	syncs := e.syncs(paysync.TradeRefund, "R1")
	require.Len(t, syncs, 1, "one SyncRecord")
	sr := syncs[0]
	assert.Equal(t, res.RecordID, sr.ID)
	assert.Equal(t, path.source, sr.Source)
	assert.Equal(t, moved, sr.Adjusted)
	assert.Equal(t, c, sr.ChannelState)
	assert.Equal(t, "O1", payBefore.OrderNo)
	if path.name == "sync" {
		assert.Equal(t, "10.0.0.9", sr.ClientIP)
	}
	adj := e.adjusts(paysync.TradeRefund, "R1")
	if moved {
		require.Len(t, adj, 1, "one AdjustRecord per move")
		assert.Equal(t, payoutWay(paysync.TradeRefund, want.to), adj[0].Way)
		assert.Equal(t, from, adj[0].Before)
		assert.Equal(t, want.to, adj[0].After)
		assert.Equal(t, paysync.TradeRefund, adj[0].TradeType)
		assert.Equal(t, path.source, adj[0].Source)
		assert.Equal(t, adj[0].AdjustNo, sr.AdjustNo)
	} else {
		assert.Empty(t, adj, "no AdjustRecord without a move")
		assert.Empty(t, sr.AdjustNo)
	}

	// The events: one status event per move, with the pay order's new
	// refund fields; one refund.anomaly per anomaly opened.
	status, anomalyEvents, rest := splitEvents(e.events(paysync.TradeRefund, "R1"), paysync.EventRefundAnomaly)
	assert.Empty(t, rest, "no other refund event")
	assert.Empty(t, e.events(paysync.TradePay, "O1"), "no pay event")
	if moved {
		require.Len(t, status, 1, "one status event")
		assert.Equal(t, payoutEvent(paysync.TradeRefund, from, want.to), status[0].Type)
		if want.afterClose {
			assert.Equal(t, paysync.EventRefundSuccessAfterClose, status[0].Type, "footnote 2")
		}
		pl := refundPayloadOf(t, status[0])
		assert.Equal(t, paysync.RefundOrderStatus(want.to), pl.Status)
		assert.Equal(t, "R1", pl.RefundNo)
		assert.Equal(t, "3.00", pl.Amount)
		assert.Equal(t, pay.RefundStatus, pl.PayRefundStatus)
		assert.Equal(t, pay.RefundedAmount.StringFixed(2), pl.RefundedAmount)
		assert.Equal(t, pay.ReservedAmount.StringFixed(2), pl.ReservedAmount)
		assert.Equal(t, pay.RefundableBalance().StringFixed(2), pl.RefundableBalance)
	} else {
		assert.Empty(t, status, "no status event without a move")
	}
	var wantAnomalies []paysync.AnomalyCode
	if want.anomaly != "" {
		wantAnomalies = []paysync.AnomalyCode{want.anomaly}
	}
	assert.ElementsMatch(t, wantAnomalies, res.Anomalies, "outcome anomalies")
	assert.ElementsMatch(t, wantAnomalies, sr.Anomalies, "SyncRecord anomalies")
	assert.ElementsMatch(t, wantAnomalies, openAnomalies(t, e.store, paysync.TradeRefund, "R1"), "open anomalies")
	require.Len(t, anomalyEvents, len(wantAnomalies), "one refund.anomaly per anomaly")
	if want.anomaly != "" {
		assert.Equal(t, want.anomaly, refundPayloadOf(t, anomalyEvents[0]).Anomaly)
	}

	// The same answer again: nothing moves, nothing opens again.
	got1, pay1 := got, pay
	res2, err := path.apply(e, "R1", rep)
	require.NoError(t, err)
	got2, pay2 := e.getRefund("R1"), e.order("O1")
	assert.False(t, res2.Adjusted, "second application adjusted")
	assert.Equal(t, got1.Status, got2.Status)
	assert.Equal(t, got1.Watched, got2.Watched)
	assert.Equal(t, pay1, pay2, "pay order changed by the second application")
	assert.Len(t, e.adjusts(paysync.TradeRefund, "R1"), len(adj), "second AdjustRecord")
	assert.Len(t, e.syncs(paysync.TradeRefund, "R1"), 2, "a SyncRecord per application")
	status2, anomalyEvents2, _ := splitEvents(e.events(paysync.TradeRefund, "R1"), paysync.EventRefundAnomaly)
	assert.Len(t, status2, len(status), "second status event")
	assert.Len(t, anomalyEvents2, len(anomalyEvents), "an anomaly announced twice")
	assert.ElementsMatch(t, wantAnomalies, res2.Anomalies, "a sighting is returned every time")
	if want.anomaly != "" {
		a, ok := e.anomaly(paysync.TradeRefund, "R1", want.anomaly)
		require.True(t, ok)
		assert.Equal(t, int64(2), int64(a.TimesSeen), "seen twice")
		assert.True(t, a.Open())
		if !got2.Scheduled() {
			assert.Equal(t, got1.Version, got2.Version, "a sighting bumped the Version")
		}
	}
}
