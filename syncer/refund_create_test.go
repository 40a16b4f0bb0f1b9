package syncer

import (
	"fmt"
	"sync"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// createSnapshot is everything CreateRefund may write.
type createSnapshot struct {
	pay     paysync.PayOrder
	refunds []paysync.RefundOrder
	events  []paysync.Event
	adjusts []paysync.AdjustRecord
	syncs   []paysync.SyncRecord
}

func (e *env) createSnapshot(orderNo string) createSnapshot {
	var s createSnapshot
	if o, err := e.store.GetPayOrder(e.ctx, orderNo); err == nil {
		s.pay = o
	}
	var err error
	s.refunds, err = e.store.ListRefundOrders(e.ctx, orderNo)
	require.NoError(e.t, err)
	s.events, err = e.store.ListEvents(e.ctx, repository.EventFilter{})
	require.NoError(e.t, err)
	s.adjusts, err = e.store.ListAdjustRecords(e.ctx, repository.RecordFilter{})
	require.NoError(e.t, err)
	s.syncs, err = e.store.ListSyncRecords(e.ctx, repository.RecordFilter{})
	require.NoError(e.t, err)
	return s
}

// TestCreateRefundRefusals: every refusal of docs/refund-sync.md, each
// with its error, writing nothing.
func TestCreateRefundRefusals(t *testing.T) {
	req := func(tune func(*NewRefund)) NewRefund {
		r := NewRefund{RefundNo: "R9", BizRefundNo: "biz-R9", OrderNo: "O1", Amount: dec("1.00"), Reason: "r"}
		tune(&r)
		return r
	}
	type tc struct {
		name    string
		setup   func(e *env) // after O1 (10.00 CNY, paid) exists
		req     NewRefund
		wantErr error
	}
	tests := []tc{
		{"empty RefundNo", nil, req(func(r *NewRefund) { r.RefundNo = "" }), paysync.ErrInvalidRequest},
		{"empty BizRefundNo", nil, req(func(r *NewRefund) { r.BizRefundNo = "" }), paysync.ErrInvalidRequest},
		{"empty OrderNo", nil, req(func(r *NewRefund) { r.OrderNo = "" }), paysync.ErrInvalidRequest},
		{"zero amount", nil, req(func(r *NewRefund) { r.Amount = decimal.Decimal{} }), paysync.ErrInvalidRequest},
		{"negative amount", nil, req(func(r *NewRefund) { r.Amount = dec("-1.00") }), paysync.ErrInvalidRequest},
		{"finer than a fen", nil, req(func(r *NewRefund) { r.Amount = dec("1.001") }), paysync.ErrInvalidRequest},
		{"a tenth of a fen only", nil, req(func(r *NewRefund) { r.Amount = dec("0.001") }), paysync.ErrInvalidRequest},
		{"JPY: a fraction of a yen", func(e *env) {
			e.paid("J1", func(o *paysync.PayOrder) { o.Amount, o.Currency = dec("1000"), "JPY" })
		}, req(func(r *NewRefund) { r.OrderNo, r.Amount = "J1", dec("100.5") }), paysync.ErrInvalidRequest},
		{"JPY: sen", func(e *env) {
			e.paid("J1", func(o *paysync.PayOrder) { o.Amount, o.Currency = dec("1000"), "JPY" })
		}, req(func(r *NewRefund) { r.OrderNo, r.Amount = "J1", dec("0.01") }), paysync.ErrInvalidRequest},
		{"pay order missing", nil, req(func(r *NewRefund) { r.OrderNo = "O-missing" }), paysync.ErrOrderNotFound},
		{"over the balance", nil, req(func(r *NewRefund) { r.Amount = dec("10.01") }), paysync.ErrInsufficientBalance},
		{"over the balance others reserved", func(e *env) {
			e.createRefund("R1", "O1", "6.00")
			e.createRefund("R2", "O1", "1.50")
		}, req(func(r *NewRefund) { r.Amount = dec("2.51") }), paysync.ErrInsufficientBalance},
		{"over the balance others refunded", func(e *env) {
			e.createRefund("R1", "O1", "6.00")
			e.syncRefundTo("R1", channel.RefundSuccess)
		}, req(func(r *NewRefund) { r.Amount = dec("4.01") }), paysync.ErrInsufficientBalance},
		{"over the balance a fail refund holds", func(e *env) {
			e.createRefund("R1", "O1", "9.00")
			e.syncRefundTo("R1", channel.RefundFailed)
		}, req(func(r *NewRefund) { r.Amount = dec("1.01") }), paysync.ErrInsufficientBalance},
		{"open refund_at_channel", func(e *env) {
			o := e.pay("P1", paysync.PayProgress)
			rep := channeltest.Report(o, channel.PayRefunded)
			rep.RefundedAmount = dec("3.00") // part of it: the balance alone would allow 1.00
			e.ch.SetPay("P1", rep)
			_, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "P1"})
			require.NoError(e.t, err)
			require.True(e.t, hasAnomaly(e.t, e.store, paysync.TradePay, "P1", paysync.AnomalyRefundAtChannel))
			require.Equal(e.t, paysync.PaySuccess, e.order("P1").Status)
		}, req(func(r *NewRefund) { r.OrderNo = "P1" }), paysync.ErrOpenAnomaly},
		// The order of the checks (the doc's table, top to bottom) decides
		// which refusal a request that fails several gets.
		{"finer than a fen, on a missing order", nil,
			req(func(r *NewRefund) { r.OrderNo, r.Amount = "O-missing", dec("1.001") }), paysync.ErrOrderNotFound},
		{"finer than a fen, on an unpaid order", func(e *env) { e.pay("P1", paysync.PayProgress) },
			req(func(r *NewRefund) { r.OrderNo, r.Amount = "P1", dec("1.001") }), paysync.ErrInvalidRequest},
		{"more than paid, on an unpaid order", func(e *env) { e.pay("P1", paysync.PayProgress) },
			req(func(r *NewRefund) { r.OrderNo, r.Amount = "P1", dec("20") }), paysync.ErrInvalidTransition},
		{"more than the balance, open refund_at_channel", func(e *env) {
			o := e.pay("P1", paysync.PayProgress)
			rep := channeltest.Report(o, channel.PayRefunded)
			rep.RefundedAmount = dec("3.00")
			e.ch.SetPay("P1", rep)
			_, err := e.s.SyncPay(e.ctx, PayRequest{OrderNo: "P1"})
			require.NoError(e.t, err)
		}, req(func(r *NewRefund) { r.OrderNo, r.Amount = "P1", dec("9.00") }), paysync.ErrOpenAnomaly},
		{"taken RefundNo, another amount", func(e *env) { e.createRefund("R9", "O1", "2.00") },
			req(func(*NewRefund) {}), paysync.ErrDuplicate},
		{"taken RefundNo, another BizRefundNo", func(e *env) { e.createRefund("R9", "O1", "1.00") },
			req(func(r *NewRefund) { r.BizRefundNo = "biz-other" }), paysync.ErrDuplicate},
		{"taken RefundNo, another order", func(e *env) {
			e.paid("O2")
			e.createRefund("R9", "O2", "1.00")
		}, req(func(*NewRefund) {}), paysync.ErrDuplicate},
		{"taken BizRefundNo, another RefundNo", func(e *env) {
			e.createRefund("R8", "O1", "1.00")
		}, req(func(r *NewRefund) { r.BizRefundNo = "biz-R8" }), paysync.ErrDuplicate},
		{"taken BizRefundNo, another everything", func(e *env) {
			e.paid("O2")
			e.createRefund("R8", "O2", "2.00")
		}, req(func(r *NewRefund) { r.BizRefundNo = "biz-R8" }), paysync.ErrDuplicate},
	}
	for _, st := range []paysync.PayStatus{paysync.PayWait, paysync.PayProgress, paysync.PayClose, paysync.PayCancel,
		paysync.PayFail} {
		tests = append(tests, tc{"pay order " + string(st), func(e *env) { e.pay("P1", st) },
			req(func(r *NewRefund) { r.OrderNo = "P1" }), paysync.ErrInvalidTransition})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.paid("O1")
			if tc.setup != nil {
				tc.setup(e)
			}
			before := e.createSnapshot(tc.req.OrderNo)
			beforeO1 := e.createSnapshot("O1")
			var stored paysync.RefundOrder
			if r, err := e.store.GetRefundOrder(e.ctx, tc.req.RefundNo); err == nil {
				stored = r
			}

			got, err := e.s.CreateRefund(e.ctx, tc.req)
			require.ErrorIs(t, err, tc.wantErr)
			assert.Zero(t, got, "no refund returned with an error")
			assert.Equal(t, before, e.createSnapshot(tc.req.OrderNo), "a refusal wrote something")
			assert.Equal(t, beforeO1, e.createSnapshot("O1"), "a refusal wrote something on O1")
			if stored.RefundNo == "" && tc.req.RefundNo != "" {
				_, err := e.store.GetRefundOrder(e.ctx, tc.req.RefundNo)
				assert.ErrorIs(t, err, paysync.ErrRefundNotFound, "no refund stored")
			} else if stored.RefundNo != "" {
				assert.Equal(t, stored, e.getRefund(tc.req.RefundNo), "the taken refund is untouched")
			}
		})
	}
}

// TestCreateRefundAmounts: amounts at the minor unit, written at any scale,
// and exactly the balance, are accepted.
func TestCreateRefundAmounts(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	e.paid("J1", func(o *paysync.PayOrder) { o.Amount, o.Currency = dec("1000"), "JPY" })
	for i, a := range []string{"0.01", "0.1", "1", "2.50", "1.000"} {
		no := fmt.Sprintf("R%d", i)
		r := e.createRefund(no, "O1", a)
		assert.True(t, dec(a).Equal(r.Amount), "%s kept by value", a)
	}
	checkMoney(t, e, "O1", payMoney{"0", "4.61", paysync.PayRefunding}, "five refunds")
	e.createRefund("R-rest", "O1", "5.39") // exactly the balance
	checkMoney(t, e, "O1", payMoney{"0", "10.00", paysync.PayRefunding}, "all reserved")
	e.createRefund("J-1", "J1", "1")
	e.createRefund("J-999", "J1", "999")
	o := e.order("J1")
	assert.True(t, o.RefundableBalance().IsZero())
}

// TestCreateRefundIdenticalRetry: the same RefundNo, BizRefundNo, OrderNo
// and Amount returns the stored refund and writes nothing — also when the
// first call took the whole balance, when Reason differs, and after the
// refund moved on.
func TestCreateRefundIdenticalRetry(t *testing.T) {
	e := newEnv(t)
	e.paid("O1")
	first, err := e.s.CreateRefund(e.ctx, NewRefund{RefundNo: "R1", BizRefundNo: "B1", OrderNo: "O1",
		Amount: dec("10.00"), Reason: "broken"})
	require.NoError(t, err)
	snap := e.createSnapshot("O1")
	require.Len(t, snap.events, 1, "one refund.created")

	for _, req := range []NewRefund{
		{RefundNo: "R1", BizRefundNo: "B1", OrderNo: "O1", Amount: dec("10.00"), Reason: "broken"},
		{RefundNo: "R1", BizRefundNo: "B1", OrderNo: "O1", Amount: dec("10"), Reason: "another reason"},
		{RefundNo: "R1", BizRefundNo: "B1", OrderNo: "O1", Amount: dec("10.000")},
	} {
		again, err := e.s.CreateRefund(e.ctx, req)
		require.NoError(t, err, "an identical retry is not ErrInsufficientBalance")
		assert.Equal(t, first, again, "the stored refund")
		assert.Equal(t, snap, e.createSnapshot("O1"), "an identical retry wrote something")
	}

	// After it succeeded: still the stored refund, now as stored.
	e.syncRefundTo("R1", channel.RefundSuccess)
	stored := e.getRefund("R1")
	snap = e.createSnapshot("O1")
	again, err := e.s.CreateRefund(e.ctx, NewRefund{RefundNo: "R1", BizRefundNo: "B1", OrderNo: "O1", Amount: dec("10")})
	require.NoError(t, err)
	assert.Equal(t, stored, again)
	assert.Equal(t, snap, e.createSnapshot("O1"))
}

// TestCreateRefundConcurrent: refunds created at once on one order by
// three Syncers never promise the same money twice, and no reservation is
// lost: whatever the interleaving, exactly the refunds that fit are stored
// and ReservedAmount is their sum. (A writer loses a race only to another's
// successful commit, and at most six commit, so ten retries never run out
// whatever the machine's speed.)
func TestCreateRefundConcurrent(t *testing.T) {
	retries := func(c *Config) { c.ConflictRetries = 10 }
	for round := range 20 {
		e := newEnv(t, retries)
		e.paid("O1")
		hosts := []*Syncer{e.s, e.syncer(retries), e.syncer(retries)}
		const each = 3
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, len(hosts)*each)
		for h, s := range hosts {
			for i := range each {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					n := h*each + i
					_, errs[n] = s.CreateRefund(e.ctx, NewRefund{RefundNo: fmt.Sprintf("R%d", n),
						BizRefundNo: fmt.Sprintf("B%d", n), OrderNo: "O1", Amount: dec("1.50")})
				}()
			}
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else {
				require.ErrorIs(t, err, paysync.ErrInsufficientBalance, "round %d", round)
			}
		}
		assert.Equal(t, 6, ok, "round %d: 6 of 9 refunds of 1.50 fit in 10.00", round)
		refunds, err := e.store.ListRefundOrders(e.ctx, "O1")
		require.NoError(t, err)
		assert.Len(t, refunds, ok, "round %d", round)
		checkMoney(t, e, "O1", payMoney{"0", "9.00", paysync.PayRefunding}, fmt.Sprintf("round %d", round))
		evs, err := e.store.ListEvents(e.ctx, repository.EventFilter{TradeType: paysync.TradeRefund})
		require.NoError(t, err)
		assert.Len(t, evs, ok, "round %d: one refund.created per refund", round)
	}
}
