package paysync_test

import (
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func TestClosedSets(t *testing.T) {
	for _, s := range paysync.PayStatuses() {
		assert.True(t, s.Valid(), s)
	}
	for _, s := range paysync.AllocationStatuses() {
		assert.True(t, s.Valid(), s)
	}
	for _, c := range paysync.AnomalyCodes() {
		assert.True(t, c.Valid(), c)
	}
	assert.Len(t, paysync.AnomalyCodes(), 14)
	assert.False(t, paysync.PayStatus("paid").Valid())
	assert.False(t, paysync.AllocationStatus("end").Valid())
	assert.False(t, paysync.AnomalyCode("oops").Valid())
	assert.False(t, paysync.PayRefundStatus("").Valid())
	assert.True(t, paysync.PayRefundPartial.Valid())
	assert.True(t, paysync.AllocPartSuccess.Valid())
	assert.False(t, paysync.AllocationResult("some").Valid())
	assert.True(t, paysync.ReceiverIgnore.Valid())
	assert.False(t, paysync.ReceiverResult("done").Valid())
	assert.True(t, paysync.SourceSweep.Valid())
	assert.True(t, paysync.SourceManual.Valid())
	assert.False(t, paysync.Source("cron").Valid())
	for _, s := range paysync.RefundOrderStatuses() {
		assert.True(t, s.Valid(), s)
	}
	assert.False(t, paysync.RefundOrderStatus("refunded").Valid())
	for _, s := range paysync.TransferStatuses() {
		assert.True(t, s.Valid(), s)
	}
	assert.False(t, paysync.TransferStatus("cancel").Valid())
	for _, tt := range paysync.TradeTypes() {
		assert.True(t, tt.Valid(), tt)
	}
	assert.False(t, paysync.TradeType("payout").Valid())

	status := 0
	for _, e := range paysync.EventTypes() {
		assert.True(t, e.Valid(), e)
		if e.IsStatus() {
			status++
		}
	}
	assert.Equal(t, len(paysync.StatusEventTypes()), status)
	assert.False(t, paysync.EventPayAnomaly.IsStatus())
	assert.False(t, paysync.EventSyncExhausted.IsStatus())
	assert.False(t, paysync.EventRefundCreated.IsStatus())
	assert.False(t, paysync.EventAnomalyResolved.IsStatus())
	assert.True(t, paysync.EventTransferSuccessAfterClose.IsStatus())
	assert.Len(t, paysync.StatusEventTypes(), 19)
	assert.Len(t, paysync.EventTypes(), 26)
	assert.True(t, paysync.EventPayPaidAfterClose.IsStatus())
	assert.False(t, paysync.EventType("pay.refunded").Valid())
	assert.False(t, paysync.EventType("pay.refunded").IsStatus())
}

func TestReceiverFinal(t *testing.T) {
	assert.True(t, paysync.ReceiverSuccess.Final())
	assert.True(t, paysync.ReceiverFail.Final())
	assert.False(t, paysync.ReceiverPending.Final())
	assert.False(t, paysync.ReceiverIgnore.Final())
}

func TestPayOrderSchedulingAndExpiry(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		status  paysync.PayStatus
		channel string
		want    bool
	}{
		{paysync.PayWait, "", false},
		{paysync.PayWait, "wechat", true},
		{paysync.PayProgress, "wechat", true},
		{paysync.PayFail, "wechat", false},
		{paysync.PaySuccess, "wechat", false},
		{paysync.PayClose, "wechat", false},
		{paysync.PayCancel, "wechat", false},
	}
	for _, tc := range tests {
		o := paysync.PayOrder{Status: tc.status, Channel: tc.channel}
		assert.Equal(t, tc.want, o.Scheduled(), "%s/%q", tc.status, tc.channel)
	}
	o := paysync.PayOrder{}
	assert.False(t, o.Expired(now), "no expiry never expires")
	o.ExpiredAt = now
	assert.True(t, o.Expired(now), "expired at the instant")
	assert.False(t, o.Expired(now.Add(-time.Nanosecond)))
	assert.Equal(t, "CNY", o.CurrencyOrDefault())
	o.Currency = "USD"
	assert.Equal(t, "USD", o.CurrencyOrDefault())

	for _, st := range paysync.AllocationStatuses() {
		a := paysync.AllocationOrder{Status: st}
		assert.Equal(t, st == paysync.AllocProcessing || st == paysync.AllocFailed, a.Scheduled(), st)
	}
}

func TestCloneSharesNothing(t *testing.T) {
	a := paysync.AllocationOrder{Receivers: []paysync.AllocationReceiver{{ReceiverNo: "r1"}}}
	ac := a.Clone()
	ac.Receivers[0].ReceiverNo = "x"
	assert.Equal(t, "r1", a.Receivers[0].ReceiverNo)
}

func TestRefundableBalance(t *testing.T) {
	d := decimal.RequireFromString
	o := paysync.PayOrder{Amount: d("10.00"), RefundedAmount: d("4.00"), ReservedAmount: d("3.50")}
	assert.True(t, o.RefundableBalance().Equal(d("2.50")), o.RefundableBalance())
	o.ReservedAmount = d("7.00")
	assert.True(t, o.RefundableBalance().Equal(d("-1.00")), "over-refunded money shows as a negative balance")
	assert.True(t, paysync.PayOrder{Amount: d("10")}.RefundableBalance().Equal(d("10")), "a new order has both amounts at zero")
}

func TestAnomalyOpen(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.True(t, paysync.Anomaly{FirstSeenAt: now, OpenedAt: now}.Open())
	assert.False(t, paysync.Anomaly{ResolvedAt: now, ResolvedBy: "ops"}.Open())
	assert.Equal(t, "CNY", paysync.AllocationOrder{}.CurrencyOrDefault())
}

func TestScheduleLeased(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.False(t, paysync.Schedule{}.Leased(now))
	assert.True(t, paysync.Schedule{LeaseOwner: "a", LeaseUntil: now.Add(time.Second)}.Leased(now))
	assert.False(t, paysync.Schedule{LeaseOwner: "a", LeaseUntil: now}.Leased(now), "a lease ends at LeaseUntil")
	assert.False(t, paysync.Schedule{LeaseUntil: now.Add(time.Hour)}.Leased(now), "no owner, no lease")
}

func TestRefundAndTransferScheduling(t *testing.T) {
	for _, st := range paysync.RefundOrderStatuses() {
		for _, watched := range []bool{false, true} {
			o := paysync.RefundOrder{Status: st, Watched: watched}
			want := st == paysync.RefundProgress || st == paysync.RefundClose && watched
			assert.Equal(t, want, o.Scheduled(), "%s watched=%v", st, watched)
		}
	}
	for _, st := range paysync.TransferStatuses() {
		assert.Equal(t, st == paysync.TransferProgress, paysync.TransferOrder{Status: st}.Scheduled(), st)
	}
	assert.Equal(t, "CNY", paysync.RefundOrder{}.CurrencyOrDefault())
	assert.Equal(t, "JPY", paysync.TransferOrder{Currency: "JPY"}.CurrencyOrDefault())
}
