package console_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/examples/console"
	"github.com/paysync/paysync/memstore"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// t0 is the tests' now: 18:00 in Shanghai.
var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

const (
	prefix   = "/console/"
	operator = "ops-li"
	password = "s3cret"
)

// env is one test's world: a store, a fake channel named "test" on a fixed
// clock, a Syncer, and the console over them, mounted at /console/ behind
// HTTP basic auth (user name = operator, password = password).
type env struct {
	t     *testing.T
	ctx   context.Context
	clock *channeltest.Clock
	store *memstore.Store
	ch    *channeltest.Channel
	s     *syncer.Syncer
	h     http.Handler
}

func newEnv(t *testing.T, tune ...func(*console.Config)) *env {
	t.Helper()
	clock := channeltest.NewClock(t0)
	e := &env{t: t, ctx: context.Background(), clock: clock, store: memstore.New(),
		ch: channeltest.New(channeltest.Config{Clock: clock})}
	s, err := syncer.New(syncer.Config{Store: e.store, Channels: channel.NewRegistry(e.ch), Clock: clock})
	require.NoError(t, err)
	e.s = s
	cfg := console.Config{Syncer: s, Store: e.store, Prefix: prefix, Now: clock.Now,
		Authenticate: func(r *http.Request) (string, bool) {
			user, pass, ok := r.BasicAuth()
			return user, ok && pass == password
		}}
	for _, f := range tune {
		f(&cfg)
	}
	e.h, err = console.New(cfg)
	require.NoError(t, err)
	return e
}

// do serves one request as operator (as nobody when as is empty).
func (e *env) do(method, path string, form url.Values, as string) *httptest.ResponseRecorder {
	e.t.Helper()
	var r *http.Request
	if form != nil {
		r = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, path, nil)
	}
	if as != "" {
		r.SetBasicAuth(as, password)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func (e *env) get(path string) *httptest.ResponseRecorder {
	return e.do(http.MethodGet, path, nil, operator)
}

// getOK GETs path and requires a 200.
func (e *env) getOK(path string) string {
	e.t.Helper()
	w := e.get(path)
	require.Equal(e.t, http.StatusOK, w.Code, "GET %s: %s", path, w.Body.String())
	return w.Body.String()
}

// post POSTs form to path as operator, with a valid CSRF token unless the
// form carries a csrf field of its own.
func (e *env) post(path string, form url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if _, ok := f["csrf"]; !ok {
		f.Set("csrf", e.token())
	}
	return e.do(http.MethodPost, path, f, operator)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token is operator's CSRF token, as a page's form carries it: any order
// page has one (the "sync now" form), so one is made for the purpose.
func (e *env) token() string {
	e.t.Helper()
	if _, err := e.store.GetTransferOrder(e.ctx, "token-page"); err != nil {
		e.transfer("token-page", paysync.TransferSuccess)
	}
	m := csrfField.FindStringSubmatch(e.getOK(orderPath(paysync.TradeTransfer, "token-page")))
	require.NotNil(e.t, m, "an order page carries a CSRF token")
	return m[1]
}

// follow requires w to be a 303 and GETs where it points.
func (e *env) follow(w *httptest.ResponseRecorder) string {
	e.t.Helper()
	require.Equal(e.t, http.StatusSeeOther, w.Code, w.Body.String())
	return e.getOK(w.Header().Get("Location"))
}

func orderPath(k paysync.TradeType, no string) string {
	return prefix + "orders/" + string(k) + "/" + url.PathEscape(no)
}

var ten = decimal.RequireFromString("10.00")

// pay stores a pay order of 10.00 CNY on channel "test", created an hour ago.
func (e *env) pay(no string, st paysync.PayStatus, tune ...func(*paysync.PayOrder)) paysync.PayOrder {
	e.t.Helper()
	now := e.clock.Now()
	o := paysync.PayOrder{OrderNo: no, BizOrderNo: "biz-" + no, Channel: "test", Amount: ten, Currency: "CNY",
		Status: st, RefundStatus: paysync.PayRefundNone, CreatedAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour),
		ExpiredAt: now.Add(time.Hour)}
	if st == paysync.PaySuccess {
		o.PaidAt, o.OutOrderNo = now.Add(-50*time.Minute), "out-"+no
	}
	for _, f := range tune {
		f(&o)
	}
	require.NoError(e.t, e.store.CreatePayOrder(e.ctx, o))
	return e.payOrder(no)
}

func (e *env) payOrder(no string) paysync.PayOrder {
	e.t.Helper()
	o, err := e.store.GetPayOrder(e.ctx, no)
	require.NoError(e.t, err)
	return o
}

// alloc stores an allocation of 3.00 in st, of paid order P-<no>, with two
// receivers.
func (e *env) alloc(no string, st paysync.AllocationStatus) paysync.AllocationOrder {
	e.t.Helper()
	pay := e.pay("P-"+no, paysync.PaySuccess)
	now := e.clock.Now()
	a := paysync.AllocationOrder{AllocationNo: no, BizAllocationNo: "biz-" + no, OrderNo: pay.OrderNo,
		OutOrderNo: pay.OutOrderNo, Channel: "test", Amount: decimal.RequireFromString("3.00"), Currency: "CNY",
		Status: st, CreatedAt: now.Add(-30 * time.Minute), UpdatedAt: now.Add(-30 * time.Minute),
		Receivers: []paysync.AllocationReceiver{
			{ReceiverNo: no + "-1", ReceiverType: "merchant_no", Account: "1900000001", Name: "Shop A",
				Amount: decimal.RequireFromString("2.00"), Result: paysync.ReceiverPending},
			{ReceiverNo: no + "-2", ReceiverType: "merchant_no", Account: "1900000002", Name: "Shop B",
				Amount: decimal.RequireFromString("1.00"), Result: paysync.ReceiverPending},
		}}
	if st != paysync.AllocProcessing {
		a.Result = paysync.AllocAllSuccess
	}
	require.NoError(e.t, e.store.CreateAllocationOrder(e.ctx, a))
	got, err := e.store.GetAllocationOrder(e.ctx, no)
	require.NoError(e.t, err)
	return got
}

// refund stores a refund of 4.00 in st of paid order P-<no>, with the pay
// order's refund fields as the refund's status has them
// (docs/refund-sync.md): reserved while progress or fail, refunded once
// success, neither once closed.
func (e *env) refund(no string, st paysync.RefundOrderStatus) paysync.RefundOrder {
	e.t.Helper()
	pay := e.pay("P-"+no, paysync.PaySuccess)
	now := e.clock.Now()
	four := decimal.RequireFromString("4.00")
	r := paysync.RefundOrder{RefundNo: no, BizRefundNo: "biz-" + no, OrderNo: pay.OrderNo, Channel: "test",
		Amount: four, Currency: "CNY", Reason: "customer returned the goods", Status: st,
		CreatedAt: now.Add(-30 * time.Minute), UpdatedAt: now.Add(-30 * time.Minute)}
	change := repository.PayRefundChange{OrderNo: pay.OrderNo, Version: pay.Version, RefundStatus: paysync.PayRefundNone,
		UpdatedAt: now}
	switch st {
	case paysync.RefundProgress, paysync.RefundFail:
		change.ReservedAmount, change.RefundStatus = four, paysync.PayRefunding
	case paysync.RefundSuccess:
		change.RefundedAmount, change.RefundStatus = four, paysync.PayRefundPartial
	}
	require.NoError(e.t, e.store.CreateRefundOrder(e.ctx, r, change, repository.Entries{}))
	got, err := e.store.GetRefundOrder(e.ctx, no)
	require.NoError(e.t, err)
	return got
}

// transfer stores a transfer of 5.00 in st.
func (e *env) transfer(no string, st paysync.TransferStatus) paysync.TransferOrder {
	e.t.Helper()
	now := e.clock.Now()
	o := paysync.TransferOrder{TransferNo: no, BizTransferNo: "biz-" + no, Channel: "test",
		Amount: decimal.RequireFromString("5.00"), Currency: "CNY", PayeeType: "openid", PayeeAccount: "o-payee-1",
		PayeeName: "Wang Fang", Reason: "seller payout", Status: st, CreatedAt: now.Add(-30 * time.Minute),
		UpdatedAt: now.Add(-30 * time.Minute)}
	require.NoError(e.t, e.store.CreateTransferOrder(e.ctx, o))
	got, err := e.store.GetTransferOrder(e.ctx, no)
	require.NoError(e.t, err)
	return got
}

// create stores an order of kind k in status st; for a pay order to be
// closed from wait or progress, the channel agrees to close it.
func (e *env) create(k paysync.TradeType, no, st string) {
	e.t.Helper()
	switch k {
	case paysync.TradePay:
		e.pay(no, paysync.PayStatus(st))
		e.ch.SetClose(no, channeltest.CloseOK)
	case paysync.TradeAllocation:
		e.alloc(no, paysync.AllocationStatus(st))
	case paysync.TradeRefund:
		e.refund(no, paysync.RefundOrderStatus(st))
	case paysync.TradeTransfer:
		e.transfer(no, paysync.TransferStatus(st))
	}
}

// state is what a test compares to see that nothing was written: the
// order's status and Version, and every record, event and anomaly of it.
type state struct {
	Status    string
	Version   int64
	Syncs     int
	Adjusts   []paysync.AdjustRecord
	Events    int
	Anomalies []paysync.Anomaly
}

func (e *env) state(k paysync.TradeType, no string) state {
	e.t.Helper()
	var s state
	switch k {
	case paysync.TradePay:
		o := e.payOrder(no)
		s.Status, s.Version = string(o.Status), o.Version
	case paysync.TradeAllocation:
		o, err := e.store.GetAllocationOrder(e.ctx, no)
		require.NoError(e.t, err)
		s.Status, s.Version = string(o.Status), o.Version
	case paysync.TradeRefund:
		o, err := e.store.GetRefundOrder(e.ctx, no)
		require.NoError(e.t, err)
		s.Status, s.Version = string(o.Status), o.Version
	case paysync.TradeTransfer:
		o, err := e.store.GetTransferOrder(e.ctx, no)
		require.NoError(e.t, err)
		s.Status, s.Version = string(o.Status), o.Version
	}
	f := repository.RecordFilter{TradeType: k, TradeNo: no}
	syncs, err := e.store.ListSyncRecords(e.ctx, f)
	require.NoError(e.t, err)
	s.Syncs = len(syncs)
	s.Adjusts, err = e.store.ListAdjustRecords(e.ctx, f)
	require.NoError(e.t, err)
	evs, err := e.store.ListEvents(e.ctx, repository.EventFilter{TradeType: k, TradeNo: no})
	require.NoError(e.t, err)
	s.Events = len(evs)
	s.Anomalies, err = e.store.OrderAnomalies(e.ctx, k, no)
	require.NoError(e.t, err)
	return s
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// previewVersion returns the Version a preview page's confirm form carries.
func previewVersion(t *testing.T, body string) string {
	t.Helper()
	m := versionField.FindStringSubmatch(body)
	require.NotNil(t, m, "a preview carries the version it was made on")
	return m[1]
}

// contains asserts that body has every one of want.
func contains(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		assert.Contains(t, body, w)
	}
}
