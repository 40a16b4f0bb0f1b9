package alipay_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/alipay"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
)

// The engine, the in-memory store, this adapter and the emulator together:
// what a host running paysync against Alipay gets.
type e2e struct {
	ctx   context.Context
	now   time.Time
	emu   *emulator
	ali   *alipay.Channel
	store *memstore.Store
	s     *syncer.Syncer
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	e := &e2e{ctx: context.Background(), now: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), emu: newEmulator(t)}
	e.ali = e.emu.channel(t)
	e.store = memstore.New()
	var err error
	e.s, err = syncer.New(syncer.Config{Store: e.store, Channels: channel.NewRegistry(e.ali),
		Clock: channeltest.NewClock(e.now)}) // the engine's clock stands still
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// order stores a progress order of 88.88 CNY on Alipay, created ten minutes
// ago, expiring at expires.
func (e *e2e) order(t *testing.T, orderNo string, expires time.Time) {
	t.Helper()
	err := e.store.CreatePayOrder(e.ctx, paysync.PayOrder{OrderNo: orderNo, BizOrderNo: "P" + orderNo,
		Channel: e.ali.Name(), Amount: decimal.RequireFromString("88.88"), Currency: "CNY",
		Status: paysync.PayProgress, RefundStatus: paysync.PayRefundNone,
		CreatedAt: e.now.Add(-10 * time.Minute), UpdatedAt: e.now.Add(-10 * time.Minute), ExpiredAt: expires})
	if err != nil {
		t.Fatal(err)
	}
}

func (e *e2e) get(t *testing.T, orderNo string) paysync.PayOrder {
	t.Helper()
	o, err := e.store.GetPayOrder(e.ctx, orderNo)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestEndToEndLostCallbackIsRepairedBySync(t *testing.T) {
	e := newE2E(t)
	e.order(t, "1001", e.now.Add(20*time.Minute))
	e.emu.on(queryMethod, answer{biz: js(tradeOf("1001", "TRADE_SUCCESS"))})

	res, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1001"})
	if err != nil {
		t.Fatal(err)
	}
	if res.OrderStatus != paysync.PaySuccess || !res.Adjusted || res.ChannelState != channel.PaySuccess {
		t.Fatalf("SyncPay = %+v", res)
	}
	o := e.get(t, "1001")
	if o.Status != paysync.PaySuccess || o.OutOrderNo != "202401012200140000000001001" ||
		!o.PaidAt.Equal(time.Date(2024, 1, 1, 2, 34, 56, 0, time.UTC)) {
		t.Errorf("stored order = %+v", o)
	}
	res, err = e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1001"})
	if err != nil || res.Adjusted || res.OrderStatus != paysync.PaySuccess {
		t.Errorf("second sync = %+v, %v; want a no-op", res, err)
	}
}

func TestEndToEndTamperedAnswerChangesNothing(t *testing.T) {
	e := newE2E(t)
	e.order(t, "1003", e.now.Add(20*time.Minute))
	before := e.get(t, "1003")
	e.emu.on(queryMethod, answer{biz: js(tradeOf("1003", "WAIT_BUYER_PAY")),
		tamper: func(b string) string { return strings.Replace(b, "WAIT_BUYER_PAY", "TRADE_SUCCESS", 1) }})
	if _, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1003"}); !errors.Is(err, paysync.ErrChannelUnavailable) {
		t.Fatalf("err = %v, want ErrChannelUnavailable", err)
	}
	// An unsigned "closed" would close the order; it is unknown instead.
	closed := tradeOf("1003", "TRADE_CLOSED")
	delete(closed, "send_pay_date")
	e.emu.on(queryMethod, answer{biz: js(closed), unsigned: true})
	if _, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1003"}); !errors.Is(err, paysync.ErrChannelUnavailable) {
		t.Fatalf("err = %v, want ErrChannelUnavailable", err)
	}
	// The engine reschedules the order (its Version moves); what the order
	// says about money must not.
	if o := e.get(t, "1003"); o.Status != before.Status || o.OutOrderNo != before.OutOrderNo ||
		!o.PaidAt.Equal(before.PaidAt) || !o.ClosedAt.Equal(before.ClosedAt) {
		t.Errorf("order after unverified answers = %+v, want it as it was", o)
	}
}

func TestEndToEndExpiredOrderIsClosedAtTheGateway(t *testing.T) {
	e := newE2E(t)
	e.order(t, "1002", e.now.Add(-time.Minute))
	// The payer never scanned: Alipay has no trade yet.
	e.emu.on(queryMethod, answer{biz: strings.Replace(notExist, `"1001"`, `"1002"`, 1)})
	e.emu.on(closeMethod, answer{biz: `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}`})

	res, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1002"})
	if err != nil {
		t.Fatal(err)
	}
	if res.OrderStatus != paysync.PayClose || !res.Adjusted || res.ChannelState != channel.PayNotFoundUnknown {
		t.Fatalf("SyncPay = %+v, want the order closed", res)
	}
	var methods []string
	for _, c := range e.emu.received() {
		methods = append(methods, c.method)
		if c.biz["out_trade_no"] != "1002" {
			t.Errorf("%s sent out_trade_no %v", c.method, c.biz["out_trade_no"])
		}
	}
	if strings.Join(methods, " ") != queryMethod+" "+closeMethod {
		t.Errorf("calls = %v, want a query then a close", methods)
	}
}

// The payer paid just before the close: Alipay refuses it, the engine asks
// again and the order becomes paid, never closed.
func TestEndToEndCloseRefusedAsPaidEndsPaid(t *testing.T) {
	e := newE2E(t)
	e.order(t, "1005", e.now.Add(-time.Minute))
	e.emu.on(queryMethod, answer{biz: js(tradeOf("1005", "WAIT_BUYER_PAY"))}, answer{biz: js(tradeOf("1005", "TRADE_SUCCESS"))})
	e.emu.on(closeMethod, answer{biz: `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_STATUS_ERROR","sub_msg":"交易状态不合法"}`})
	res, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1005"})
	if err != nil {
		t.Fatal(err)
	}
	if res.OrderStatus != paysync.PaySuccess {
		t.Fatalf("SyncPay = %+v, want success", res)
	}
}

func TestEndToEndPaymentCallbackIsApplied(t *testing.T) {
	e := newE2E(t)
	e.order(t, "1004", e.now.Add(20*time.Minute))
	n, err := e.ali.ParseNotification(e.ctx, notification(testKeys().alipay, payNotice("1004", "TRADE_SUCCESS")))
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.s.ApplyPayNotification(e.ctx, n.OrderNo, n.Pay, paysync.SourceCallback)
	if err != nil || res.OrderStatus != paysync.PaySuccess || !res.Adjusted {
		t.Fatalf("ApplyPayNotification = %+v, %v", res, err)
	}
	res, err = e.s.ApplyPayNotification(e.ctx, n.OrderNo, n.Pay, paysync.SourceCallback)
	if err != nil || res.Adjusted {
		t.Errorf("a duplicate callback = %+v, %v; want a no-op", res, err)
	}
	if len(e.emu.received()) != 0 {
		t.Errorf("applying a callback called Alipay: %+v", e.emu.received())
	}
}

// TestEndToEndRefundCallback: refunds of a paid order are recorded by
// CreateRefund and their successes applied from Alipay's RSA2-signed
// notices. A notice's refund_fee is the trade's total refunded so far, so
// the adapter reports no amount and the engine books each refund's own:
// after R3001 (10.00) and R3002 (20.00, its notice saying 30.00) the pay
// order has refunded 30.00, never 10 + 30. A sync that finds
// REFUND_SUCCESS changes nothing more.
func TestEndToEndRefundCallback(t *testing.T) {
	e := newE2E(t)
	e.order(t, "1001", e.now.Add(20*time.Minute))
	e.emu.on(queryMethod, answer{biz: js(tradeOf("1001", "TRADE_SUCCESS"))})
	if _, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1001"}); err != nil {
		t.Fatal(err)
	}
	d := decimal.RequireFromString
	for _, r := range []syncer.NewRefund{
		{RefundNo: "R3001", BizRefundNo: "BR3001", OrderNo: "1001", Amount: d("10.00")},
		{RefundNo: "R3002", BizRefundNo: "BR3002", OrderNo: "1001", Amount: d("20.00")},
	} {
		if _, err := e.s.CreateRefund(e.ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, notice := range []struct{ no, fee string }{{"R3001", "10.00"}, {"R3002", "30.00"}} {
		n, err := e.ali.ParseNotification(e.ctx, notification(testKeys().alipay, refundNotice(notice.no, "TRADE_SUCCESS", notice.fee)))
		if err != nil {
			t.Fatal(err)
		}
		if n.Kind != alipay.KindRefund || n.RefundNo != notice.no || n.Refund.State != channel.RefundSuccess || !n.Refund.Amount.IsZero() {
			t.Fatalf("notification = %+v", n)
		}
		res, err := e.s.ApplyRefundNotification(e.ctx, n.RefundNo, n.Refund, paysync.SourceCallback)
		if err != nil || res.Status != paysync.RefundSuccess || !res.Adjusted || len(res.Anomalies) > 0 {
			t.Fatalf("ApplyRefundNotification(%s) = %+v, %v", notice.no, res, err)
		}
	}
	o := e.get(t, "1001")
	if !o.RefundedAmount.Equal(d("30.00")) || !o.ReservedAmount.IsZero() || o.RefundStatus != paysync.PayRefundPartial {
		t.Errorf("pay order = refunded %s, reserved %s, %s; want 30.00, 0, partial_refund",
			o.RefundedAmount, o.ReservedAmount, o.RefundStatus)
	}
	e.emu.on(refundQueryMethod, answer{biz: js(refundAnswer(true))})
	if res, err := e.s.SyncRefund(e.ctx, syncer.RefundRequest{RefundNo: "R3001"}); err != nil || res.Adjusted ||
		res.Status != paysync.RefundSuccess {
		t.Errorf("SyncRefund = %+v, %v; want success, no change", res, err)
	}
	if o2 := e.get(t, "1001"); o2.Version != o.Version {
		t.Errorf("the pay order moved again: %+v", o2)
	}
}
