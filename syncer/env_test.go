package syncer

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// env is one test's world: a store, a fake channel named "test", a clock and
// a Syncer over them.
type env struct {
	t     testing.TB
	ctx   context.Context
	clock *channeltest.Clock
	store *memstore.Store
	ch    *channeltest.Channel
	reg   *channel.Registry
	s     *Syncer
}

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func newEnv(t testing.TB, tune ...func(*Config)) *env {
	clock := channeltest.NewClock(t0)
	e := &env{t: t, ctx: context.Background(), clock: clock, store: memstore.New(),
		ch: channeltest.New(channeltest.Config{Clock: clock})}
	e.reg = channel.NewRegistry(e.ch)
	e.s = e.syncer(tune...)
	return e
}

// syncer returns another Syncer (another host) on the same store and channel.
func (e *env) syncer(tune ...func(*Config)) *Syncer {
	cfg := Config{Store: e.store, Channels: e.reg, Clock: e.clock}
	for _, f := range tune {
		f(&cfg)
	}
	s, err := New(cfg)
	require.NoError(e.t, err)
	return s
}

// pay creates a pay order in the store: 10.00 CNY on channel "test",
// created an hour before the clock, expiring an hour after it, due now.
func (e *env) pay(no string, st paysync.PayStatus, tune ...func(*paysync.PayOrder)) paysync.PayOrder {
	now := e.clock.Now()
	o := paysync.PayOrder{OrderNo: no, BizOrderNo: "biz-" + no, Channel: "test", Amount: decimal.RequireFromString("10.00"),
		Currency: "CNY", Status: st, RefundStatus: paysync.PayRefundNone, CreatedAt: now.Add(-time.Hour),
		UpdatedAt: now.Add(-time.Hour), ExpiredAt: now.Add(time.Hour)}
	o.Schedule.NextSyncAt = now
	for _, f := range tune {
		f(&o)
	}
	require.NoError(e.t, e.store.CreatePayOrder(e.ctx, o))
	got, err := e.store.GetPayOrder(e.ctx, no)
	require.NoError(e.t, err)
	return got
}

func expired(o *paysync.PayOrder) { o.ExpiredAt = o.CreatedAt.Add(30 * time.Minute) }

func (e *env) order(no string) paysync.PayOrder {
	o, err := e.store.GetPayOrder(e.ctx, no)
	require.NoError(e.t, err)
	return o
}

func (e *env) syncs(trade paysync.TradeType, no string) []paysync.SyncRecord {
	rs, err := e.store.ListSyncRecords(e.ctx, repository.RecordFilter{TradeType: trade, TradeNo: no})
	require.NoError(e.t, err)
	return rs
}

func (e *env) adjusts(trade paysync.TradeType, no string) []paysync.AdjustRecord {
	rs, err := e.store.ListAdjustRecords(e.ctx, repository.RecordFilter{TradeType: trade, TradeNo: no})
	require.NoError(e.t, err)
	return rs
}

func (e *env) events(trade paysync.TradeType, no string) []paysync.Event {
	evs, err := e.store.ListEvents(e.ctx, repository.EventFilter{TradeType: trade, TradeNo: no})
	require.NoError(e.t, err)
	return evs
}

func eventTypes(evs []paysync.Event) []paysync.EventType {
	out := make([]paysync.EventType, len(evs))
	for i, ev := range evs {
		out[i] = ev.Type
	}
	return out
}

// queryOnly hides the fake's PayCloser: a channel that cannot close trades.
type queryOnly struct{ ch *channeltest.Channel }

func (q queryOnly) Name() string { return q.ch.Name() }

func (q queryOnly) QueryPay(ctx context.Context, o paysync.PayOrder) (channel.PayReport, error) {
	return q.ch.QueryPay(ctx, o)
}

// openAnomalies returns the codes of the open anomalies of order no of kind
// tt in st, in code order.
func openAnomalies(t testing.TB, st repository.Anomalies, tt paysync.TradeType, no string) []paysync.AnomalyCode {
	t.Helper()
	as, err := st.OrderAnomalies(context.Background(), tt, no)
	require.NoError(t, err)
	var out []paysync.AnomalyCode
	for _, a := range as {
		if a.Open() {
			out = append(out, a.Code)
		}
	}
	return out
}

// hasAnomaly reports whether order no of kind tt has code open in st.
func hasAnomaly(t testing.TB, st repository.Anomalies, tt paysync.TradeType, no string, code paysync.AnomalyCode) bool {
	return slices.Contains(openAnomalies(t, st, tt, no), code)
}

// paid creates a pay order in success, ready for refunds: e.pay's 10.00 CNY
// with its channel number and PaidAt.
func (e *env) paid(no string, tune ...func(*paysync.PayOrder)) paysync.PayOrder {
	return e.pay(no, paysync.PaySuccess, append([]func(*paysync.PayOrder){func(o *paysync.PayOrder) {
		o.OutOrderNo, o.PaidAt = "out-"+no, o.CreatedAt.Add(time.Minute)
	}}, tune...)...)
}

// ruleRefundStatus is the RefundStatus rule of docs/refund-sync.md, written
// from the rule and not from the engine: refunding while reserved > 0, else
// refunded when refunded >= amount, else partial_refund when refunded > 0,
// else no_refund.
func ruleRefundStatus(amount, refunded, reserved decimal.Decimal) paysync.PayRefundStatus {
	switch {
	case reserved.IsPositive():
		return paysync.PayRefunding
	case refunded.GreaterThanOrEqual(amount):
		return paysync.PayRefundFull
	case refunded.IsPositive():
		return paysync.PayRefundPartial
	}
	return paysync.PayRefundNone
}

// seedRefund stores refund no of amount on pay order orderNo in status st,
// created at created, straight through the store (not through CreateRefund),
// with the pay order's refund fields as the move table says a refund in st
// holds them: progress and fail reserve its amount, success has refunded it,
// close holds nothing. It is how a table test puts a refund in any cell.
func (e *env) seedRefund(no, orderNo string, st paysync.RefundOrderStatus, amount string, created time.Time,
	tune ...func(*paysync.RefundOrder)) paysync.RefundOrder {
	pay := e.order(orderNo)
	a := decimal.RequireFromString(amount)
	r := paysync.RefundOrder{RefundNo: no, BizRefundNo: "biz-" + no, OrderNo: orderNo, Channel: pay.Channel,
		Amount: a, Currency: pay.Currency, Reason: "seeded", Status: st, CreatedAt: created, UpdatedAt: created}
	if st != paysync.RefundProgress {
		r.FinishedAt = created.Add(time.Second)
	}
	if st == paysync.RefundSuccess {
		r.OutRefundNo = "out-" + no
	}
	for _, f := range tune {
		f(&r)
	}
	refunded, reserved := pay.RefundedAmount, pay.ReservedAmount
	switch st {
	case paysync.RefundProgress, paysync.RefundFail:
		reserved = reserved.Add(a)
	case paysync.RefundSuccess:
		refunded = refunded.Add(a)
	}
	change := repository.PayRefundChange{OrderNo: orderNo, Version: pay.Version, RefundedAmount: refunded,
		ReservedAmount: reserved, RefundStatus: ruleRefundStatus(pay.Amount, refunded, reserved), UpdatedAt: created}
	require.NoError(e.t, e.store.CreateRefundOrder(e.ctx, r, change, repository.Entries{}))
	return e.getRefund(no)
}

func (e *env) getRefund(no string) paysync.RefundOrder {
	r, err := e.store.GetRefundOrder(e.ctx, no)
	require.NoError(e.t, err)
	return r
}

// newTransfer stores transfer no: 5.00 CNY on channel "test" to openid
// "payee-1", in status st, created at created, due at once.
func (e *env) newTransfer(no string, st paysync.TransferStatus, created time.Time,
	tune ...func(*paysync.TransferOrder)) paysync.TransferOrder {
	t := paysync.TransferOrder{TransferNo: no, BizTransferNo: "biz-" + no, Channel: "test",
		Amount: decimal.RequireFromString("5.00"), Currency: "CNY", PayeeType: "openid", PayeeAccount: "payee-1",
		PayeeName: "Zhang San", Reason: "payout", Status: st, CreatedAt: created, UpdatedAt: created}
	if st != paysync.TransferProgress {
		t.FinishedAt = created.Add(time.Second)
	}
	if st == paysync.TransferSuccess {
		t.OutTransferNo = "out-" + no
	}
	for _, f := range tune {
		f(&t)
	}
	require.NoError(e.t, e.store.CreateTransferOrder(e.ctx, t))
	return e.getTransfer(no)
}

func (e *env) getTransfer(no string) paysync.TransferOrder {
	t, err := e.store.GetTransferOrder(e.ctx, no)
	require.NoError(e.t, err)
	return t
}

// anomaly returns the stored anomaly code of order no of kind tt, and
// whether there is one.
func (e *env) anomaly(tt paysync.TradeType, no string, code paysync.AnomalyCode) (paysync.Anomaly, bool) {
	as, err := e.store.OrderAnomalies(e.ctx, tt, no)
	require.NoError(e.t, err)
	for _, a := range as {
		if a.Code == code {
			return a, true
		}
	}
	return paysync.Anomaly{}, false
}
