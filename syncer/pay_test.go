//go:build go1.25

package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// TestSyncPayTable runs every cell of docs/pay-sync.md#decision-table through the engine:
// store, fake channel and commit, and checks what was written.
func TestSyncPayTable(t *testing.T) {
	for _, tc := range payTableCells() {
		if tc.answer.closeTried || tc.answer.closeUnsupported {
			continue // close outcomes have their own test below
		}
		t.Run(tc.name(), func(t *testing.T) {
			e := newEnv(t)
			tune := []func(*paysync.PayOrder){}
			if tc.expired {
				tune = append(tune, expired)
			}
			o := e.pay("O1", tc.l, tune...)
			rep := channeltest.Report(o, tc.c)
			rep.RefundedAmount = o.Amount
			e.ch.SetPay(o.OrderNo, rep)

			res, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1", ClientIP: "10.0.0.1"})
			require.NoError(t, err)

			want := tc.want
			if want.needClose { // the fake closes a waiting trade: the table's close@gw
				want = payWant{to: tc.l}
				if tc.l == paysync.PayProgress || tc.l == paysync.PayWait {
					want = payWant{to: paysync.PayClose, way: paysync.WayPayCloseGateway, event: paysync.EventPayClosed}
				}
				assert.Equal(t, 1, e.ch.Closes("O1"), "closed at the channel once")
			} else {
				assert.Zero(t, e.ch.Closes("O1"), "no close at the channel")
			}
			got := e.order("O1")
			assert.Equal(t, want.to, got.Status)
			assert.Equal(t, want.to, res.OrderStatus)
			assert.Equal(t, tc.c, res.ChannelState)
			assert.ElementsMatch(t, want.anomalies, res.Anomalies)

			changed := want.to != tc.l
			assert.Equal(t, changed, res.Adjusted)
			adj := e.adjusts(paysync.TradePay, "O1")
			syncs := e.syncs(paysync.TradePay, "O1")
			require.Len(t, syncs, 1)
			assert.Equal(t, res.RecordID, syncs[0].ID)
			assert.Equal(t, "10.0.0.1", syncs[0].ClientIP)
			assert.Equal(t, paysync.SourceAPI, syncs[0].Source)
			assert.Equal(t, changed, syncs[0].Adjusted)
			var statusEvents, anomalyEvents []paysync.EventType
			for _, ev := range e.events(paysync.TradePay, "O1") {
				if ev.Type.IsStatus() {
					statusEvents = append(statusEvents, ev.Type)
				} else if ev.Type == paysync.EventPayAnomaly {
					anomalyEvents = append(anomalyEvents, ev.Type)
				}
			}
			assert.Len(t, anomalyEvents, len(want.anomalies), "one anomaly event per code")
			if changed {
				require.Len(t, adj, 1)
				assert.Equal(t, want.way, adj[0].Way)
				assert.Equal(t, string(tc.l), adj[0].Before)
				assert.Equal(t, string(want.to), adj[0].After)
				assert.Equal(t, adj[0].AdjustNo, syncs[0].AdjustNo)
				assert.Equal(t, []paysync.EventType{want.event}, statusEvents)
				assert.Equal(t, o.Version+1, got.Version)
			} else {
				assert.Empty(t, adj)
				assert.Empty(t, statusEvents)
			}
			if changed && want.to == paysync.PaySuccess {
				assert.False(t, got.PaidAt.IsZero(), "PaidAt set")
				assert.Equal(t, rep.OutOrderNo, got.OutOrderNo, "OutOrderNo learned from the channel")
			}
		})
	}
}

// TestSyncPayCloseOutcomes: every outcome of close@gw (docs/pay-sync.md,
// Closing) for every order the table closes at the channel — an expired
// wait or progress order, a close or cancel order the channel still has in
// progress. Closed, or not at the channel: the expired order closes
// (pay_close_gateway), a closed one stays; already paid: the sync asks
// again and applies that answer (paid after close for a closed one); any
// other answer: no change, ErrChannelUnavailable and the error on the
// SyncRecord; no PayCloser: close_unsupported, and a wait order the channel
// has in progress still moves to progress.
func TestSyncPayCloseOutcomes(t *testing.T) {
	const noCloser = channeltest.CloseOutcome(-1)
	type want struct {
		to      paysync.PayStatus
		way     paysync.AdjustWay
		event   paysync.EventType
		err     error
		anomaly paysync.AnomalyCode
	}
	for _, l := range []paysync.PayStatus{paysync.PayProgress, paysync.PayWait, paysync.PayClose, paysync.PayCancel} {
		open := l == paysync.PayProgress || l == paysync.PayWait
		stay := want{to: l}
		closed := stay
		if open {
			closed = want{to: paysync.PayClose, way: paysync.WayPayCloseGateway, event: paysync.EventPayClosed}
		}
		paid := want{to: paysync.PaySuccess, way: paysync.WayPaySuccess, event: paysync.EventPaySuccess}
		if !open {
			paid.event = paysync.EventPayPaidAfterClose
		}
		unsupported := want{to: l, anomaly: paysync.AnomalyCloseUnsupported}
		if l == paysync.PayWait {
			unsupported = want{to: paysync.PayProgress, way: paysync.WayPayProgress, event: paysync.EventPayProgress,
				anomaly: paysync.AnomalyCloseUnsupported}
		}
		outcomes := []struct {
			outcome channeltest.CloseOutcome
			want    want
		}{
			{channeltest.CloseOK, closed},
			{channeltest.CloseNotExist, closed},
			{channeltest.CloseAlreadyPaid, paid},
			{channeltest.CloseError, want{to: l, err: paysync.ErrChannelUnavailable}},
			{noCloser, unsupported},
		}
		for _, oc := range outcomes {
			name := string(l) + "/" + oc.outcome.String()
			if oc.outcome == noCloser {
				name = string(l) + "/no closer"
			}
			t.Run(name, func(t *testing.T) {
				e := newEnv(t)
				if oc.outcome == noCloser {
					e.reg = channel.NewRegistry(queryOnly{e.ch})
					e.s = e.syncer()
				}
				o := e.pay("O1", l, expired)
				e.ch.SetPay("O1", channeltest.Report(o, channel.PayProgress))
				e.ch.SetClose(o.OrderNo, oc.outcome)

				res, err := e.s.SyncPay(e.ctx, PayRequest{BizOrderNo: o.BizOrderNo})
				w := oc.want
				if w.err != nil {
					require.ErrorIs(t, err, w.err)
					assert.Equal(t, paysync.CodeUnavailable, paysync.ErrorCode(err))
				} else {
					require.NoError(t, err)
				}
				closes := 1
				if oc.outcome == noCloser {
					closes = 0
				}
				assert.Equal(t, closes, e.ch.Closes("O1"), "one close at the channel, at most")
				assert.Equal(t, w.to, e.order("O1").Status)
				assert.Equal(t, w.to, res.OrderStatus)
				adj := e.adjusts(paysync.TradePay, "O1")
				status, _, _ := splitEvents(e.events(paysync.TradePay, "O1"), paysync.EventPayAnomaly)
				if w.way == "" {
					assert.Empty(t, adj)
					assert.Empty(t, status)
				} else {
					require.Len(t, adj, 1)
					assert.Equal(t, w.way, adj[0].Way)
					require.Len(t, status, 1)
					assert.Equal(t, w.event, status[0].Type)
				}
				syncs := e.syncs(paysync.TradePay, "O1")
				require.Len(t, syncs, 1, "one SyncRecord, whatever happened")
				assert.Equal(t, res.RecordID, syncs[0].ID)
				if w.err != nil {
					assert.Equal(t, string(paysync.CodeUnavailable), syncs[0].ErrorCode)
					assert.NotEmpty(t, syncs[0].ErrorMsg)
					assert.Equal(t, string(channel.PayProgress), syncs[0].ChannelState, "the query's answer is kept")
				}
				var anomalies []paysync.AnomalyCode
				if w.anomaly != "" {
					anomalies = []paysync.AnomalyCode{w.anomaly}
				}
				assert.Equal(t, anomalies, res.Anomalies)
				assert.Equal(t, anomalies, syncs[0].Anomalies)
			})
		}
	}
}

// TestSyncPayTimes: an order moved to success takes the channel's PaidAt
// (in UTC, to the microsecond), or the sync's time when the channel reports
// none; an order moved to close takes the sync's time as ClosedAt — whatever
// the status it came from (docs/pay-sync.md, rules that apply to every
// cell).
func TestSyncPayTimes(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	paidAt := t0.Add(-5*time.Minute + 123456789*time.Nanosecond).In(shanghai)
	for _, l := range []paysync.PayStatus{paysync.PayWait, paysync.PayProgress, paysync.PayFail, paysync.PayClose,
		paysync.PayCancel} {
		for _, reported := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s→success/PaidAt reported=%v", l, reported), func(t *testing.T) {
				e := newEnv(t)
				o := e.pay("O1", l)
				rep := channeltest.Paid(o)
				want := e.clock.Now()
				if reported {
					rep.PaidAt = paidAt
					want = paidAt.UTC().Truncate(time.Microsecond)
				}
				e.ch.SetPay("O1", rep)
				_, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
				require.NoError(t, err)
				got := e.order("O1")
				require.Equal(t, paysync.PaySuccess, got.Status)
				assert.True(t, want.Equal(got.PaidAt), "PaidAt %v, want %v", got.PaidAt, want)
				assert.Equal(t, want.Format(time.RFC3339Nano), payloadTime(t, e.events(paysync.TradePay, "O1")[0], "paidAt"),
					"the event says the time as stored")
			})
		}
	}
	for _, l := range []paysync.PayStatus{paysync.PayWait, paysync.PayProgress, paysync.PayFail} {
		for _, c := range []channel.PayState{channel.PayClosed, channel.PayNotFound} {
			t.Run(fmt.Sprintf("%s→close on %s", l, c), func(t *testing.T) {
				e := newEnv(t)
				o := e.pay("O1", l)
				e.clock.Add(90 * time.Second)
				e.ch.SetPay("O1", channeltest.Report(o, c))
				_, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
				require.NoError(t, err)
				got := e.order("O1")
				require.Equal(t, paysync.PayClose, got.Status)
				assert.True(t, e.clock.Now().Equal(got.ClosedAt), "ClosedAt %v, want the sync's time %v", got.ClosedAt,
					e.clock.Now())
				assert.Equal(t, e.clock.Now().Format(time.RFC3339Nano),
					payloadTime(t, e.events(paysync.TradePay, "O1")[0], "closedAt"))
			})
		}
	}
}

// payloadTime returns the time field key of ev's payload as written.
func payloadTime(t *testing.T, ev paysync.Event, key string) string {
	var m map[string]any
	require.NoError(t, json.Unmarshal(ev.Payload, &m))
	v, _ := m[key].(string)
	return v
}

// TestSyncPayClosedReopened: a closed order the channel still shows waiting
// is closed there again; the local order stays closed.
func TestSyncPayClosedReopened(t *testing.T) {
	e := newEnv(t)
	o := e.pay("O1", paysync.PayClose)
	e.ch.SetPay(o.OrderNo, channeltest.Report(o, channel.PayProgress))
	res, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
	require.NoError(t, err)
	assert.Equal(t, paysync.PayClose, res.OrderStatus)
	assert.False(t, res.Adjusted)
	assert.Equal(t, 1, e.ch.Closes("O1"))
	truth, _ := e.ch.Truth("O1")
	assert.Equal(t, channel.PayClosed, truth.State)
}

func TestSyncPayLookupsAndErrors(t *testing.T) {
	e := newEnv(t)
	e.pay("O1", paysync.PayProgress)
	e.pay("O2", paysync.PayProgress, func(o *paysync.PayOrder) { o.BizOrderNo = "B2" })
	e.pay("W1", paysync.PayWait, func(o *paysync.PayOrder) { o.Channel = "" })
	e.pay("X1", paysync.PayProgress, func(o *paysync.PayOrder) { o.Channel = "nowhere" })

	res, err := e.s.SyncPay(e.ctx, PayRequest{BizOrderNo: "B2"})
	require.NoError(t, err)
	assert.Len(t, e.syncs(paysync.TradePay, "O2"), 1, "found by merchant number")
	assert.Equal(t, paysync.PayProgress, res.OrderStatus)

	_, err = e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1", BizOrderNo: "B2"})
	require.NoError(t, err)
	assert.Len(t, e.syncs(paysync.TradePay, "O1"), 1, "OrderNo wins when both are given")
	assert.Len(t, e.syncs(paysync.TradePay, "O2"), 1)

	tests := []struct {
		name string
		req  PayRequest
		want *paysync.Error
		code paysync.Code
	}{
		{"no number", PayRequest{}, paysync.ErrInvalidRequest, paysync.CodeInvalid},
		{"bad source", PayRequest{OrderNo: "O1", Source: "cron"}, paysync.ErrInvalidRequest, paysync.CodeInvalid},
		{"missing order", PayRequest{OrderNo: "nope"}, paysync.ErrOrderNotFound, paysync.CodeNotFound},
		{"missing biz order", PayRequest{BizOrderNo: "nope"}, paysync.ErrOrderNotFound, paysync.CodeNotFound},
		{"wait without channel", PayRequest{OrderNo: "W1"}, paysync.ErrOrderNotStarted, paysync.CodeState},
		{"unknown channel", PayRequest{OrderNo: "X1"}, paysync.ErrUnknownChannel, paysync.CodeInternal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.s.SyncPay(e.ctx, tc.req)
			require.ErrorIs(t, err, tc.want)
			assert.Equal(t, tc.code, paysync.ErrorCode(err))
		})
	}
	_, err = e.s.SyncPay(e.ctx, PayRequest{OrderNo: "nope"})
	assert.Equal(t, "支付订单不存在", paysync.ErrorMessage(err))
	assert.Empty(t, e.syncs(paysync.TradePay, "W1"))
	assert.Empty(t, e.syncs(paysync.TradePay, "X1"))
}

// TestSyncPayChannelError: an unknown answer never changes the order; the
// SyncRecord says why and the error wraps both sentinel and cause.
func TestSyncPayChannelError(t *testing.T) {
	e := newEnv(t)
	o := e.pay("O1", paysync.PayProgress, expired) // expired: the table would close it
	e.ch.FailNext("O1", 1, errors.New("HTTP 503"))
	res, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
	require.ErrorIs(t, err, paysync.ErrChannelUnavailable)
	require.ErrorIs(t, err, channeltest.ErrInjected)
	assert.Equal(t, paysync.PayProgress, res.OrderStatus)
	got := e.order("O1")
	assert.Equal(t, paysync.PayProgress, got.Status)
	assert.Equal(t, o.Schedule.Attempts+1, got.Schedule.Attempts, "a failed attempt still moves the schedule")
	assert.True(t, got.Schedule.NextSyncAt.After(e.clock.Now()))
	assert.Empty(t, e.adjusts(paysync.TradePay, "O1"))
	assert.Empty(t, e.events(paysync.TradePay, "O1"))
	syncs := e.syncs(paysync.TradePay, "O1")
	require.Len(t, syncs, 1)
	assert.Equal(t, res.RecordID, syncs[0].ID)
	assert.Contains(t, syncs[0].ErrorMsg, "HTTP 503")
	assert.Zero(t, e.ch.Closes("O1"))
}

// TestSyncPayRateLimited: a rate-limited answer is recorded but keeps the
// order's due time.
func TestSyncPayRateLimited(t *testing.T) {
	e := newEnv(t)
	o := e.pay("O1", paysync.PayProgress)
	e.ch.FailNext("O1", 1, channel.ErrRateLimited)
	_, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
	require.ErrorIs(t, err, channel.ErrRateLimited)
	got := e.order("O1")
	assert.Equal(t, o.Schedule, got.Schedule)
	assert.Equal(t, o.Version, got.Version)
	assert.Len(t, e.syncs(paysync.TradePay, "O1"), 1)
}

// TestSyncPayCancelledBeforeAnswer: no answer, nothing written, and the
// caller learns its ctx ended — not that the channel failed.
func TestSyncPayCancelledBeforeAnswer(t *testing.T) {
	synctest.Test(t, testSyncPayCancelledBeforeAnswer)
}

func testSyncPayCancelledBeforeAnswer(t *testing.T) {
	e := newEnv(t)
	o := e.pay("O1", paysync.PayProgress)
	e.ch.TimeoutNext("O1", 1)
	ctx, cancel := context.WithTimeout(e.ctx, 20*time.Millisecond)
	defer cancel()
	_, err := e.s.SyncPay(ctx, PayRequest{OrderNo: "O1"})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorIs(t, err, paysync.ErrCanceled)
	assert.Equal(t, paysync.CodeCanceled, paysync.ErrorCode(err))
	assert.Empty(t, e.syncs(paysync.TradePay, "O1"))
	assert.Equal(t, o, e.order("O1"))
}

func TestSyncPayBusy(t *testing.T) { synctest.Test(t, testSyncPayBusy) }

func testSyncPayBusy(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.LockWait = 5 * time.Millisecond })
	e.pay("O1", paysync.PayProgress)
	held, _ := e.s.payLocks.acquire(e.ctx, "O1", time.Second)
	require.True(t, held)
	var err error
	start := e.clock.Now()
	var out PayOutcome
	drive(e.clock, func() { out, err = e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"}) })
	require.ErrorIs(t, err, paysync.ErrSyncInProgress)
	assert.Equal(t, paysync.PayProgress, out.OrderStatus, "an error after the read carries the status read")
	assert.Equal(t, 5*time.Millisecond, e.clock.Now().Sub(start), "it waited LockWait on the Syncer's clock")
	assert.Equal(t, paysync.CodeBusy, paysync.ErrorCode(err))
	e.s.payLocks.release("O1")
	_, err = e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
	require.NoError(t, err)
	assert.Len(t, e.syncs(paysync.TradePay, "O1"), 1, "the busy attempt wrote nothing")
}

// TestSyncPayAnomalyAnnouncedOnce: recorded every time, announced once.
func TestSyncPayAnomalyAnnouncedOnce(t *testing.T) {
	e := newEnv(t)
	o := e.pay("O1", paysync.PaySuccess)
	e.ch.SetPay("O1", channeltest.Report(o, channel.PayClosed))
	for range 3 {
		res, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
		require.NoError(t, err)
		assert.Equal(t, paysync.PaySuccess, res.OrderStatus, "success is never downgraded")
		assert.Equal(t, []paysync.AnomalyCode{paysync.AnomalyPaidNotPaidAtChannel}, res.Anomalies)
	}
	for _, r := range e.syncs(paysync.TradePay, "O1") {
		assert.Equal(t, []paysync.AnomalyCode{paysync.AnomalyPaidNotPaidAtChannel}, r.Anomalies)
	}
	assert.Equal(t, []paysync.EventType{paysync.EventPayAnomaly}, eventTypes(e.events(paysync.TradePay, "O1")))
	assert.Equal(t, []paysync.AnomalyCode{paysync.AnomalyPaidNotPaidAtChannel}, openAnomalies(t, e.store, paysync.TradePay, "O1"))
	assert.Equal(t, int64(1), e.order("O1").Version, "a sighting never bumps the order's Version")
}

// TestSyncPayFillsMissing: a paid order learns its channel trade number
// without a status change, event or AdjustRecord.
func TestSyncPayFillsMissing(t *testing.T) {
	e := newEnv(t)
	o := e.pay("O1", paysync.PaySuccess)
	rep := channeltest.Paid(o)
	rep.PaidAt = t0.Add(-5 * time.Minute)
	e.ch.SetPay("O1", rep)
	res, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
	require.NoError(t, err)
	assert.False(t, res.Adjusted)
	got := e.order("O1")
	assert.Equal(t, rep.OutOrderNo, got.OutOrderNo)
	assert.True(t, rep.PaidAt.Equal(got.PaidAt))
	assert.Equal(t, o.Version+1, got.Version)
	assert.Empty(t, e.adjusts(paysync.TradePay, "O1"))
	assert.Empty(t, e.events(paysync.TradePay, "O1"))

	// Consistent and complete: the record alone, the order untouched.
	_, err = e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
	require.NoError(t, err)
	assert.Equal(t, got.Version, e.order("O1").Version)
	assert.Len(t, e.syncs(paysync.TradePay, "O1"), 2)
}

func TestSyncPayEventPayloads(t *testing.T) {
	e := newEnv(t)
	o := e.pay("O1", paysync.PayProgress)
	rep := channeltest.Report(o, channel.PayRefunded)
	rep.RefundedAmount = decimal.RequireFromString("4")
	e.ch.SetPay("O1", rep)
	_, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
	require.NoError(t, err)
	evs := e.events(paysync.TradePay, "O1")
	require.Equal(t, []paysync.EventType{paysync.EventPaySuccess, paysync.EventPayAnomaly}, eventTypes(evs))
	var p paysync.PayPayload
	require.NoError(t, json.Unmarshal(evs[0].Payload, &p))
	assert.Equal(t, paysync.PaySuccess, p.Status)
	assert.Equal(t, paysync.PayRefundPartial, p.RefundStatus, "a host must not ship goods for returned money")
	assert.Equal(t, "10.00", p.Amount, "money at the currency's minor-unit scale")
	assert.Equal(t, "CNY", p.Currency)
	assert.Equal(t, "4.00", p.RefundedAmount, "the channel's refunded amount is booked")
	assert.Equal(t, "6.00", p.RefundableBalance)
	assert.Empty(t, p.Anomaly)
	require.NoError(t, json.Unmarshal(evs[1].Payload, &p))
	assert.Equal(t, paysync.AnomalyRefundAtChannel, p.Anomaly)
	assert.True(t, e.order("O1").RefundedAmount.Equal(decimal.RequireFromString("4")))

	e.pay("O2", paysync.PayCancel)
	e.ch.SetPay("O2", channeltest.Paid(e.order("O2")))
	_, err = e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O2"})
	require.NoError(t, err)
	assert.Equal(t, []paysync.EventType{paysync.EventPayPaidAfterClose}, eventTypes(e.events(paysync.TradePay, "O2")))
}

func TestApplyPayNotification(t *testing.T) {
	e := newEnv(t)
	o := e.pay("O1", paysync.PayProgress)
	paid := channeltest.Paid(o)

	res, err := e.s.ApplyPayNotification(e.ctx, "O1", paid, "")
	require.NoError(t, err)
	assert.True(t, res.Adjusted)
	assert.Equal(t, paysync.PaySuccess, res.OrderStatus)
	assert.Zero(t, e.ch.Stats().PayQueries, "a callback needs no query")

	// Duplicate, then late: no second status event.
	res, err = e.s.ApplyPayNotification(e.ctx, "O1", paid, paysync.SourceCallback)
	require.NoError(t, err)
	assert.False(t, res.Adjusted)
	late := channeltest.Report(o, channel.PayProgress)
	res, err = e.s.ApplyPayNotification(e.ctx, "O1", late, paysync.SourceCallback)
	require.NoError(t, err)
	assert.Equal(t, paysync.PaySuccess, res.OrderStatus)
	assert.Equal(t, []paysync.EventType{paysync.EventPaySuccess, paysync.EventPayAnomaly},
		eventTypes(e.events(paysync.TradePay, "O1")))
	syncs := e.syncs(paysync.TradePay, "O1")
	require.Len(t, syncs, 3)
	for _, r := range syncs {
		assert.Equal(t, paysync.SourceCallback, r.Source)
	}
	adj := e.adjusts(paysync.TradePay, "O1")
	require.Len(t, adj, 1)
	assert.Equal(t, paysync.SourceCallback, adj[0].Source)

	_, err = e.s.ApplyPayNotification(e.ctx, "O1", channel.PayReport{State: "PAID"}, "")
	require.ErrorIs(t, err, paysync.ErrInvalidRequest)
	_, err = e.s.ApplyPayNotification(e.ctx, "nope", paid, "")
	require.ErrorIs(t, err, paysync.ErrOrderNotFound)
	_, err = e.s.ApplyPayNotification(e.ctx, "", paid, "")
	require.ErrorIs(t, err, paysync.ErrInvalidRequest)
}

// TestSyncPayWaitOrder: a wait order with a channel is synced like progress.
func TestSyncPayWaitOrder(t *testing.T) {
	e := newEnv(t)
	o := e.pay("O1", paysync.PayWait)
	e.ch.SetPay("O1", channeltest.Report(o, channel.PayProgress))
	res, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "O1"})
	require.NoError(t, err)
	assert.Equal(t, paysync.PayProgress, res.OrderStatus)
	assert.Equal(t, []paysync.EventType{paysync.EventPayProgress}, eventTypes(e.events(paysync.TradePay, "O1")))
}

// TestApplyPayNotificationClosesExpired: a callback that still shows an
// expired trade waiting goes through the same table: closed at the channel,
// then locally, once.
func TestApplyPayNotificationClosesExpired(t *testing.T) {
	e := newEnv(t)
	o := e.pay("O1", paysync.PayProgress, expired)
	res, err := e.s.ApplyPayNotification(e.ctx, "O1", channeltest.Report(o, channel.PayProgress), "")
	require.NoError(t, err)
	assert.Equal(t, paysync.PayClose, res.OrderStatus)
	assert.Equal(t, 1, e.ch.Closes("O1"))
	assert.Zero(t, e.ch.PayQueries("O1"), "the callback's report stands in for a query")
	adj := e.adjusts(paysync.TradePay, "O1")
	require.Len(t, adj, 1)
	assert.Equal(t, paysync.WayPayCloseGateway, adj[0].Way)
	assert.Equal(t, paysync.SourceCallback, adj[0].Source)
}
