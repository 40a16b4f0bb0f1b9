package wechatpay_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/channel/wechatpay"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
)

// The engine, the in-memory store, this adapter and the emulator together:
// what a host running paysync against WeChat Pay gets.
type e2e struct {
	ctx   context.Context
	now   time.Time
	emu   *emulator
	wx    *wechatpay.Channel
	store *memstore.Store
	s     *syncer.Syncer
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	e := &e2e{ctx: context.Background(), now: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), emu: newEmulator(t)}
	e.wx = e.emu.channel(t)
	e.store = memstore.New()
	var err error
	e.s, err = syncer.New(syncer.Config{Store: e.store, Channels: channel.NewRegistry(e.wx),
		Clock: channeltest.NewClock(e.now)}) // the engine's clock stands still
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// order stores a progress order of 88.88 CNY on WeChat, created ten
// minutes ago, expiring at expires.
func (e *e2e) order(t *testing.T, orderNo string, expires time.Time) {
	t.Helper()
	err := e.store.CreatePayOrder(e.ctx, paysync.PayOrder{OrderNo: orderNo, BizOrderNo: "P" + orderNo,
		Channel: e.wx.Name(), Amount: decimal.RequireFromString("88.88"), Currency: "CNY",
		Status: paysync.PayProgress, RefundStatus: paysync.PayRefundNone,
		CreatedAt: e.now.Add(-10 * time.Minute), UpdatedAt: e.now.Add(-10 * time.Minute), ExpiredAt: expires})
	if err != nil {
		t.Fatal(err)
	}
}

func (e *e2e) status(t *testing.T, orderNo string) paysync.PayOrder {
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
	e.emu.on(http.MethodGet, "/v3/pay/transactions/out-trade-no/1001", answer{status: http.StatusOK, body: js(tradeOf("1001", "SUCCESS"))})

	res, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1001"})
	if err != nil {
		t.Fatal(err)
	}
	if res.OrderStatus != paysync.PaySuccess || !res.Adjusted || res.ChannelState != channel.PaySuccess {
		t.Fatalf("SyncPay = %+v", res)
	}
	o := e.status(t, "1001")
	if o.Status != paysync.PaySuccess || o.OutOrderNo != "4200000001202401010000001001" ||
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
	e.emu.on(http.MethodGet, "/v3/pay/transactions/out-trade-no/1003", answer{status: http.StatusOK,
		body:   js(tradeOf("1003", "NOTPAY")),
		tamper: func(b string) string { return strings.Replace(b, `"NOTPAY"`, `"CLOSED"`, 1) }})

	before := e.status(t, "1003")
	_, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1003"})
	if !errors.Is(err, paysync.ErrChannelUnavailable) {
		t.Fatalf("err = %v, want ErrChannelUnavailable", err)
	}
	// The engine reschedules the order (its Version moves); what the
	// order says about money must not.
	if o := e.status(t, "1003"); o.Status != before.Status || o.OutOrderNo != before.OutOrderNo ||
		!o.PaidAt.Equal(before.PaidAt) || !o.ClosedAt.Equal(before.ClosedAt) {
		t.Errorf("order after a tampered answer = %+v, want it as it was", o)
	}
	// A forged "not found" would close the order; unsigned, it is unknown.
	e.emu.on(http.MethodGet, "/v3/pay/transactions/out-trade-no/1003", answer{status: http.StatusNotFound,
		body: `{"code":"ORDER_NOT_EXIST","message":"订单不存在"}`, unsigned: true})
	if _, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1003"}); !errors.Is(err, paysync.ErrChannelUnavailable) {
		t.Fatalf("err = %v, want ErrChannelUnavailable", err)
	}
	if o := e.status(t, "1003"); o.Status != paysync.PayProgress {
		t.Errorf("an unsigned not-found closed the order: %+v", o)
	}
}

func TestEndToEndExpiredOrderIsClosedAtTheGateway(t *testing.T) {
	e := newE2E(t)
	e.order(t, "1002", e.now.Add(-time.Minute))
	e.emu.on(http.MethodGet, "/v3/pay/transactions/out-trade-no/1002", answer{status: http.StatusOK, body: js(tradeOf("1002", "NOTPAY"))})
	e.emu.on(http.MethodPost, "/v3/pay/transactions/out-trade-no/1002/close", answer{status: http.StatusNoContent})

	res, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1002"})
	if err != nil {
		t.Fatal(err)
	}
	if res.OrderStatus != paysync.PayClose || !res.Adjusted {
		t.Fatalf("SyncPay = %+v, want the order closed", res)
	}
	closed := false
	for _, c := range e.emu.received() {
		closed = closed || c.method == http.MethodPost && c.path == "/v3/pay/transactions/out-trade-no/1002/close"
	}
	if !closed {
		t.Errorf("the trade was not closed at WeChat: %+v", e.emu.received())
	}
}

// The payer paid just before the close: WeChat answers ORDERPAID, the engine
// asks again and the order becomes paid, never closed.
func TestEndToEndCloseRefusedAsPaidEndsPaid(t *testing.T) {
	e := newE2E(t)
	e.order(t, "1005", e.now.Add(-time.Minute))
	path := "/v3/pay/transactions/out-trade-no/1005"
	e.emu.on(http.MethodPost, path+"/close", answer{status: http.StatusBadRequest, body: `{"code":"ORDERPAID","message":"订单已支付"}`})
	// The engine queries, closes (refused as paid) and queries again.
	e.emu.onSequence(http.MethodGet, path,
		answer{status: http.StatusOK, body: js(tradeOf("1005", "USERPAYING"))},
		answer{status: http.StatusOK, body: js(tradeOf("1005", "SUCCESS"))})

	res, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1005"})
	if err != nil {
		t.Fatal(err)
	}
	if res.OrderStatus != paysync.PaySuccess {
		t.Fatalf("SyncPay = %+v, want success", res)
	}
	var methods []string
	for _, c := range e.emu.received() {
		methods = append(methods, c.method)
	}
	if strings.Join(methods, " ") != "GET POST GET" {
		t.Errorf("calls = %v, want query, close, query", methods)
	}
}

func TestEndToEndPaymentCallbackIsApplied(t *testing.T) {
	e := newE2E(t)
	e.order(t, "1004", e.now.Add(20*time.Minute))
	n, err := e.wx.ParseNotification(e.ctx,
		notification(t, testKeys().platform, "TRANSACTION.SUCCESS", "transaction", tradeOf("1004", "SUCCESS")))
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
		t.Errorf("applying a callback called WeChat: %+v", e.emu.received())
	}
}

// TestEndToEndRefundCallback: a refund of a paid order is recorded by
// CreateRefund (its amount reserved), its success is applied from WeChat's
// signed, encrypted notification — with refund_id as the channel's refund
// number, never the payment's transaction_id — and booked on the pay order;
// a duplicate callback and a sync that finds SUCCESS change nothing more.
func TestEndToEndRefundCallback(t *testing.T) {
	e := newE2E(t)
	e.order(t, "1001", e.now.Add(20*time.Minute))
	e.emu.on(http.MethodGet, "/v3/pay/transactions/out-trade-no/1001", answer{status: http.StatusOK, body: js(tradeOf("1001", "SUCCESS"))})
	if _, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1001"}); err != nil {
		t.Fatal(err)
	}
	ten := decimal.RequireFromString("10.00")
	if _, err := e.s.CreateRefund(e.ctx, syncer.NewRefund{RefundNo: "R3001", BizRefundNo: "BR3001", OrderNo: "1001",
		Amount: ten, Reason: "damaged"}); err != nil {
		t.Fatal(err)
	}
	if o := e.status(t, "1001"); !o.ReservedAmount.Equal(ten) || o.RefundStatus != paysync.PayRefunding {
		t.Fatalf("after CreateRefund the pay order is %+v, want 10.00 reserved and refunding", o)
	}

	n, err := e.wx.ParseNotification(e.ctx,
		notification(t, testKeys().platform, "REFUND.SUCCESS", "refund", refundResource("SUCCESS")))
	if err != nil {
		t.Fatal(err)
	}
	if n.Kind != wechatpay.KindRefund || n.RefundNo != "R3001" || n.Refund.State != channel.RefundSuccess {
		t.Fatalf("notification = %+v", n)
	}
	res, err := e.s.ApplyRefundNotification(e.ctx, n.RefundNo, n.Refund, paysync.SourceCallback)
	if err != nil || res.Status != paysync.RefundSuccess || !res.Adjusted {
		t.Fatalf("ApplyRefundNotification = %+v, %v", res, err)
	}
	r, err := e.store.GetRefundOrder(e.ctx, "R3001")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != paysync.RefundSuccess || r.OutRefundNo != "50000000382019052709732678859" {
		t.Errorf("refund = %+v, want success with refund_id as OutRefundNo", r)
	}
	o := e.status(t, "1001")
	if !o.RefundedAmount.Equal(ten) || !o.ReservedAmount.IsZero() || o.RefundStatus != paysync.PayRefundPartial {
		t.Errorf("pay order = refunded %s, reserved %s, %s; want 10.00, 0, partial_refund",
			o.RefundedAmount, o.ReservedAmount, o.RefundStatus)
	}

	if res, err := e.s.ApplyRefundNotification(e.ctx, n.RefundNo, n.Refund, paysync.SourceCallback); err != nil || res.Adjusted {
		t.Errorf("a duplicate callback = %+v, %v; want a no-op", res, err)
	}
	e.emu.on(http.MethodGet, "/v3/refund/domestic/refunds/R3001", answer{status: http.StatusOK, body: js(refundAnswer("SUCCESS"))})
	if res, err := e.s.SyncRefund(e.ctx, syncer.RefundRequest{RefundNo: "R3001"}); err != nil || res.Adjusted ||
		res.Status != paysync.RefundSuccess || res.ChannelState != channel.RefundSuccess {
		t.Errorf("SyncRefund = %+v, %v; want success, no change", res, err)
	}
	if o2 := e.status(t, "1001"); !o2.RefundedAmount.Equal(ten) || o2.Version != o.Version {
		t.Errorf("the pay order moved again: %+v", o2)
	}
}
