package wechatpay_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/wechatpay"
	"github.com/shopspring/decimal"
)

const payPath = "/v3/pay/transactions/out-trade-no/1001"

func payOrder() paysync.PayOrder {
	return paysync.PayOrder{OrderNo: "1001", BizOrderNo: "P0001", Channel: wechatpay.DefaultName,
		Amount: decimal.RequireFromString("88.88"), Currency: "CNY", Status: paysync.PayProgress}
}

// trade is a query answer for order 1001 in state, as WeChat writes it.
func trade(state string) map[string]any { return tradeOf("1001", state) }

// tradeOf is a query answer for orderNo in state: 88.88 yuan.
func tradeOf(orderNo, state string) map[string]any {
	t := map[string]any{
		"appid":            testAppID,
		"mchid":            testMchID,
		"out_trade_no":     orderNo,
		"transaction_id":   "420000000120240101000000" + orderNo,
		"trade_type":       "NATIVE",
		"trade_state":      state,
		"trade_state_desc": "desc",
		"amount":           map[string]any{"total": 8888, "currency": "CNY"},
	}
	if state == "SUCCESS" || state == "REFUND" {
		t["success_time"] = "2024-01-01T10:34:56+08:00"
		t["amount"] = map[string]any{"total": 8888, "payer_total": 8800, "currency": "CNY", "payer_currency": "CNY"}
	}
	return t
}

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestQueryPayMapsEveryTradeState(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	for _, tc := range []struct {
		tradeState string
		want       channel.PayState
	}{
		{"SUCCESS", channel.PaySuccess},
		{"NOTPAY", channel.PayProgress},
		{"USERPAYING", channel.PayProgress},
		{"ACCEPT", channel.PayProgress},
		{"CLOSED", channel.PayClosed},
		{"REVOKED", channel.PayCancelled},
		{"PAYERROR", channel.PayFailed},
		{"REFUND", channel.PayRefunded},
	} {
		t.Run(tc.tradeState, func(t *testing.T) {
			body := js(trade(tc.tradeState))
			emu.on(http.MethodGet, payPath, answer{status: http.StatusOK, body: body})
			rep, err := c.QueryPay(context.Background(), payOrder())
			if err != nil {
				t.Fatal(err)
			}
			if rep.State != tc.want {
				t.Errorf("State = %q, want %q", rep.State, tc.want)
			}
			if rep.OrderNo != "1001" || rep.OutOrderNo != "4200000001202401010000001001" {
				t.Errorf("OrderNo %q OutOrderNo %q", rep.OrderNo, rep.OutOrderNo)
			}
			// amount.total, never payer_total (what the payer paid after discounts).
			if !rep.Amount.Equal(decimal.RequireFromString("88.88")) || rep.Currency != "CNY" {
				t.Errorf("Amount %s %s, want 88.88 CNY", rep.Amount, rep.Currency)
			}
			// WeChat's trade says nothing of how much was refunded, REFUND
			// included (docs/channel.md): a guess here would be booked.
			if !rep.RefundedAmount.IsZero() {
				t.Errorf("RefundedAmount = %s, want zero (not reported)", rep.RefundedAmount)
			}
			if string(rep.Raw) != body {
				t.Errorf("Raw = %s, want the body WeChat sent", rep.Raw)
			}
			wantPaid := time.Time{}
			if tc.tradeState == "SUCCESS" || tc.tradeState == "REFUND" {
				wantPaid = time.Date(2024, 1, 1, 2, 34, 56, 0, time.UTC)
			}
			if !rep.PaidAt.Equal(wantPaid) {
				t.Errorf("PaidAt = %v, want %v", rep.PaidAt, wantPaid)
			}
		})
	}
	calls := emu.received()
	if len(calls) == 0 || calls[0].query.Get("mchid") != testMchID {
		t.Errorf("the query must name the merchant: %+v", calls)
	}
}

func TestQueryPaySignedOrderNotExistIsNotFound(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	body := `{"code":"ORDER_NOT_EXIST","message":"订单不存在"}`
	emu.on(http.MethodGet, payPath, answer{status: http.StatusNotFound, body: body})
	rep, err := c.QueryPay(context.Background(), payOrder())
	if err != nil {
		t.Fatal(err)
	}
	if rep.State != channel.PayNotFound || string(rep.Raw) != body || rep.OrderNo != "" {
		t.Errorf("report = %+v, want not_found with the body as Raw and no OrderNo", rep)
	}
}

func TestQueryPayConvertsFenExactly(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	for _, tc := range []struct {
		fen  int64
		want string
	}{{1, "0.01"}, {10, "0.10"}, {100, "1.00"}, {199, "1.99"}, {12345678901, "123456789.01"}} {
		tx := trade("SUCCESS")
		tx["amount"] = map[string]any{"total": tc.fen, "currency": "CNY"}
		emu.on(http.MethodGet, payPath, answer{status: http.StatusOK, body: js(tx)})
		rep, err := c.QueryPay(context.Background(), payOrder())
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Amount.Equal(decimal.RequireFromString(tc.want)) || rep.Amount.StringFixed(2) != tc.want {
			t.Errorf("%d fen = %s, want %s", tc.fen, rep.Amount, tc.want)
		}
	}
}

// Every answer that is not a signed, well-formed, mapped one is unknown: an
// error and an empty report, never a state.
func TestQueryPayUnknownAnswersAreErrors(t *testing.T) {
	with := func(state string, edit func(map[string]any)) string {
		tx := trade(state)
		edit(tx)
		return js(tx)
	}
	notExist := `{"code":"ORDER_NOT_EXIST","message":"订单不存在"}`
	for _, tc := range []struct {
		name        string
		answer      answer
		rateLimited bool
		gateway     string // when set, the code of the *GatewayError the error wraps
	}{
		{name: "FREQUENCY_LIMITED", answer: answer{status: http.StatusTooManyRequests, body: `{"code":"FREQUENCY_LIMITED","message":"频率超限"}`}, rateLimited: true, gateway: "FREQUENCY_LIMITED"},
		{name: "FREQUENCY_LIMITED with 403", answer: answer{status: http.StatusForbidden, body: `{"code":"FREQUENCY_LIMITED","message":"频率超限"}`}, rateLimited: true, gateway: "FREQUENCY_LIMITED"},
		{name: "HTTP 429 without a body", answer: answer{status: http.StatusTooManyRequests, body: ""}, rateLimited: true},
		{name: "500 SYSTEM_ERROR", answer: answer{status: http.StatusInternalServerError, body: `{"code":"SYSTEM_ERROR","message":"系统错误"}`}, gateway: "SYSTEM_ERROR"},
		{name: "502 from a proxy", answer: answer{status: http.StatusBadGateway, body: "<html>bad gateway</html>", unsigned: true}},
		{name: "400 PARAM_ERROR", answer: answer{status: http.StatusBadRequest, body: `{"code":"PARAM_ERROR","message":"参数错误"}`}, gateway: "PARAM_ERROR"},
		{name: "not found, unsigned", answer: answer{status: http.StatusNotFound, body: notExist, unsigned: true}, gateway: "ORDER_NOT_EXIST"},
		{name: "not found, signed by a stranger", answer: answer{status: http.StatusNotFound, body: notExist, signer: testKeys().stranger}, gateway: "ORDER_NOT_EXIST"},
		{name: "not found, tampered", answer: answer{status: http.StatusNotFound, body: `{"code":"SYSTEM_ERROR","message":"x"}`,
			tamper: func(string) string { return notExist }}, gateway: "ORDER_NOT_EXIST"},
		{name: "garbage body, signed", answer: answer{status: http.StatusOK, body: "not json"}},
		{name: "success, tampered", answer: answer{status: http.StatusOK, body: js(trade("NOTPAY")),
			tamper: func(b string) string { return strings.Replace(b, "NOTPAY", "SUCCESS", 1) }}},
		{name: "success, unsigned", answer: answer{status: http.StatusOK, body: js(trade("SUCCESS")), unsigned: true}},
		{name: "success, signed by a stranger", answer: answer{status: http.StatusOK, body: js(trade("SUCCESS")), signer: testKeys().stranger}},
		{name: "unknown trade_state", answer: answer{status: http.StatusOK, body: js(trade("WEIRD"))}},
		{name: "no trade_state", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) { delete(m, "trade_state") })}},
		{name: "another merchant", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) { m["mchid"] = "1900000999" })}},
		{name: "another app", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) { m["appid"] = "wx0000000000000000" })}},
		{name: "success without amount", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) { delete(m, "amount") })}},
		{name: "success without out_trade_no", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) { delete(m, "out_trade_no") })}},
		{name: "amount in USD", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) { m["amount"] = map[string]any{"total": 8888, "currency": "USD"} })}},
		{name: "negative amount", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) { m["amount"] = map[string]any{"total": -1, "currency": "CNY"} })}},
		{name: "bad success_time", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) { m["success_time"] = "yesterday" })}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmulator(t)
			c := emu.channel(t)
			emu.on(http.MethodGet, payPath, tc.answer)
			rep, err := c.QueryPay(context.Background(), payOrder())
			if err == nil {
				t.Fatalf("no error; report %+v", rep)
			}
			if rep.State != "" || rep.Raw != nil {
				t.Errorf("an error came with a report: %+v", rep)
			}
			if got := errors.Is(err, channel.ErrRateLimited); got != tc.rateLimited {
				t.Errorf("errors.Is(err, ErrRateLimited) = %v, want %v: %v", got, tc.rateLimited, err)
			}
			var ge *wechatpay.GatewayError
			if tc.gateway != "" && (!errors.As(err, &ge) || ge.Code != tc.gateway) {
				t.Errorf("want a *GatewayError with code %q: %v", tc.gateway, err)
			}
		})
	}
}

func TestQueryPayHonoursCtx(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	emu.on(http.MethodGet, payPath, answer{status: http.StatusOK, body: js(trade("SUCCESS"))})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.QueryPay(ctx, payOrder())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
