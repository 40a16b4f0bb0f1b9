//go:build go1.25

package syncer

import (
	"context"
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

// TestRepairUnpaidOrderClosesAtTheChannel: a person's move of an unpaid,
// sent order to close, cancel or fail closes the trade at the channel first
// — the sweep no longer watches the order, so a payer must not be able to
// pay it afterwards — and a channel that says it is paid refuses the move.
func TestRepairUnpaidOrderClosesAtTheChannel(t *testing.T) {
	for _, to := range []paysync.PayStatus{paysync.PayClose, paysync.PayCancel, paysync.PayFail} {
		t.Run(string(to), func(t *testing.T) {
			e := newEnv(t)
			o := e.pay("P1", paysync.PayProgress)
			_, err := e.s.Repair(e.ctx, RepairRequest{Kind: paysync.TradePay, TradeNo: "P1", To: string(to),
				Operator: "ops", Reason: "the customer gave up", ExpectVersion: o.Version})
			require.NoError(t, err)
			assert.Equal(t, to, e.order("P1").Status)
			assert.Equal(t, 1, e.ch.Closes("P1"), "closed at the channel first")

			e.pay("P2", paysync.PayProgress)
			e.ch.SetClose("P2", channeltest.CloseAlreadyPaid)
			_, err = e.s.Repair(e.ctx, RepairRequest{Kind: paysync.TradePay, TradeNo: "P2", To: string(to),
				Operator: "ops", Reason: "the customer gave up", ExpectVersion: 1})
			require.ErrorIs(t, err, paysync.ErrInvalidTransition)
			assert.Equal(t, paysync.PayProgress, e.order("P2").Status)
		})
	}
}

// TestRepairOrderNeverSent: a wait order with no channel was never sent:
// a person closes it without asking any channel.
func TestRepairOrderNeverSent(t *testing.T) {
	e := newEnv(t)
	o := e.pay("P1", paysync.PayWait, func(o *paysync.PayOrder) { o.Channel = "" })
	p, err := e.s.Repair(e.ctx, RepairRequest{Kind: paysync.TradePay, TradeNo: "P1", To: "close",
		Operator: "ops", Reason: "abandoned cart", ExpectVersion: o.Version})
	require.NoError(t, err)
	assert.False(t, p.Channel.Asked)
	assert.Empty(t, p.Warnings)
	assert.Equal(t, paysync.PayClose, e.order("P1").Status)
	assert.Zero(t, e.ch.Stats().Closes+e.ch.Stats().PayQueries)
}

// TestRepairAnnouncesOverRefunded: a person's refund move that takes the
// pay order past its amount opens over_refunded with a pay.anomaly event,
// as a sync's move does, so the host hears of it.
func TestRepairAnnouncesOverRefunded(t *testing.T) {
	e := newEnv(t)
	e.paid("P1")
	e.seedRefund("R1", "P1", paysync.RefundSuccess, "6.00", e.clock.Now().Add(-time.Hour))
	r := e.seedRefund("R2", "P1", paysync.RefundClose, "6.00", e.clock.Now().Add(-time.Hour))
	_, err := e.s.Repair(e.ctx, RepairRequest{Kind: paysync.TradeRefund, TradeNo: "R2", To: "success",
		Operator: "ops", Reason: "the bank paid it back after all", ExpectVersion: r.Version})
	require.NoError(t, err)
	pay := e.order("P1")
	assert.True(t, pay.RefundedAmount.Equal(decimal.RequireFromString("12")))
	assert.True(t, hasAnomaly(t, e.store, paysync.TradePay, "P1", paysync.AnomalyOverRefunded))
	assert.Contains(t, eventTypes(e.events(paysync.TradePay, "P1")), paysync.EventPayAnomaly)
}

// TestSyncPayCanceledDuringClose: the caller's ctx ends while the engine
// closes an expired trade at the channel. The first answer was in hand, so
// its SyncRecord is written; the order is unchanged and keeps its due time,
// and the caller gets ErrCanceled.
func TestSyncPayCanceledDuringClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newEnv(t)
		o := e.pay("P1", paysync.PayProgress, expired)
		e.ch.SetClose("P1", channeltest.CloseTimeout)
		ctx, cancel := context.WithTimeout(e.ctx, time.Second)
		defer cancel()
		_, err := e.s.SyncPay(ctx, PayRequest{OrderNo: "P1"})
		require.ErrorIs(t, err, paysync.ErrCanceled)
		recs := e.syncs(paysync.TradePay, "P1")
		require.Len(t, recs, 1, "the answer in hand is recorded")
		assert.Equal(t, string(channel.PayProgress), recs[0].ChannelState)
		assert.Equal(t, string(paysync.CodeCanceled), recs[0].ErrorCode)
		got := e.order("P1")
		assert.Equal(t, paysync.PayProgress, got.Status)
		assert.Equal(t, o.Schedule.NextSyncAt, got.Schedule.NextSyncAt, "an attempt its caller gave up does not count")
	})
}

// TestRefundedBeyondTheAmount: a channel reporting more refunded than was
// paid makes the order refunded (not partial) and raises over_refunded, by
// the same rule refund moves use.
func TestRefundedBeyondTheAmount(t *testing.T) {
	e := newEnv(t)
	o := e.pay("P1", paysync.PayProgress)
	rep := channeltest.Report(o, channel.PayRefunded)
	rep.RefundedAmount = decimal.RequireFromString("12.00")
	e.ch.SetPay("P1", rep)
	out, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "P1"})
	require.NoError(t, err)
	assert.Equal(t, paysync.PayRefundFull, e.order("P1").RefundStatus)
	assert.ElementsMatch(t, []paysync.AnomalyCode{paysync.AnomalyRefundAtChannel, paysync.AnomalyOverRefunded}, out.Anomalies)
}

// TestRepairBusy: a repair takes the order's lock like a sync — for a
// refund, the refund's and then its pay order's — and when one stays held
// past LockWait it is refused with ErrSyncInProgress, writing nothing
// (docs/repair.md#refusals).
func TestRepairBusy(t *testing.T) {
	cases := []struct {
		name string
		kind paysync.TradeType
		no   string
		to   string
		hold func(e *env) *keyedLock
		key  string
	}{
		{"pay order", paysync.TradePay, "P1", "close", func(e *env) *keyedLock { return e.s.payLocks }, "P1"},
		{"refund", paysync.TradeRefund, "R1", "close", func(e *env) *keyedLock { return e.s.refunds.locks }, "R1"},
		{"a refund's pay order", paysync.TradeRefund, "R1", "close", func(e *env) *keyedLock { return e.s.payLocks }, "P1"},
		{"transfer", paysync.TradeTransfer, "T1", "close", func(e *env) *keyedLock { return e.s.transfers.locks }, "T1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := newEnv(t, func(cfg *Config) { cfg.LockWait = 5 * time.Millisecond })
				e.paid("P1")
				e.seedRefund("R1", "P1", paysync.RefundProgress, "4.00", e.clock.Now().Add(-time.Hour))
				e.newTransfer("T1", paysync.TransferProgress, e.clock.Now().Add(-time.Hour))
				held, _ := c.hold(e).acquire(e.ctx, c.key, time.Second)
				require.True(t, held)
				before := []any{e.order("P1"), e.getRefund("R1"), e.getTransfer("T1")}
				var err error
				drive(e.clock, func() {
					_, err = e.s.Repair(e.ctx, RepairRequest{Kind: c.kind, TradeNo: c.no, To: c.to, Operator: "ops",
						Reason: "the bank says so", ExpectVersion: 1})
				})
				require.ErrorIs(t, err, paysync.ErrSyncInProgress)
				assert.Equal(t, before, []any{e.order("P1"), e.getRefund("R1"), e.getTransfer("T1")}, "nothing written")
				assert.Empty(t, e.adjusts("", ""))
				c.hold(e).release(c.key)
			})
		})
	}
}
