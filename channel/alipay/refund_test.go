package alipay_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/alipay"
	"github.com/shopspring/decimal"
)

const refundQueryMethod = "alipay.trade.fastpay.refund.query"

func refundOrder() paysync.RefundOrder {
	return paysync.RefundOrder{RefundNo: "R3001", BizRefundNo: "BR3001", OrderNo: "1001",
		Channel: alipay.DefaultName, Amount: decimal.RequireFromString("10.00"), Currency: "CNY",
		Status: paysync.RefundProgress}
}

// refundAnswer is a signed refund query answer for R3001, 10.00 of the
// 88.88 trade 1001; without refund_status when succeeded is false.
func refundAnswer(succeeded bool) map[string]any {
	r := map[string]any{
		"code": "10000", "msg": "Success",
		"trade_no":       "202401012200140000000001001",
		"out_trade_no":   "1001",
		"out_request_no": "R3001",
		"total_amount":   "88.88",
		"refund_amount":  "10.00",
	}
	if succeeded {
		r["refund_status"] = "REFUND_SUCCESS"
		r["gmt_refund_pay"] = "2024-01-03 09:01:00"
	}
	return r
}

func TestQueryRefundMapsEveryRow(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)

	emu.on(refundQueryMethod, answer{biz: js(refundAnswer(true))})
	rep, err := c.QueryRefund(context.Background(), refundOrder())
	if err != nil {
		t.Fatal(err)
	}
	// Amount is refund_amount, this refund's own money; OutRefundNo is not
	// the payment's trade_no.
	if rep.State != channel.RefundSuccess || rep.RefundNo != "R3001" || rep.OutRefundNo != "" ||
		!rep.Amount.Equal(decimal.RequireFromString("10.00")) || rep.Currency != "" ||
		!rep.FinishedAt.Equal(time.Date(2024, 1, 3, 1, 1, 0, 0, time.UTC)) || !strings.Contains(string(rep.Raw), "REFUND_SUCCESS") {
		t.Errorf("success report = %+v", rep)
	}
	calls := emu.received()
	want := map[string]any{"out_trade_no": "1001", "out_request_no": "R3001", "query_options": []any{"gmt_refund_pay"}}
	if len(calls) != 1 || js(calls[0].biz) != js(want) {
		t.Errorf("the query must send OrderNo, RefundNo and ask for gmt_refund_pay: %+v", calls)
	}

	emu.on(refundQueryMethod, answer{biz: js(refundAnswer(false))})
	rep, err = c.QueryRefund(context.Background(), refundOrder())
	if err != nil {
		t.Fatal(err)
	}
	if rep.State != channel.RefundNotFound || !rep.Amount.IsZero() || rep.Raw == nil {
		t.Errorf("an answer without refund_status = %+v, want not_found", rep)
	}
}

func TestQueryRefundUnknownAnswersAreErrors(t *testing.T) {
	with := func(edit func(map[string]any)) string {
		m := refundAnswer(true)
		edit(m)
		return js(m)
	}
	for _, tc := range []struct {
		name        string
		answer      answer
		rateLimited bool
	}{
		{name: "40005", answer: answer{biz: `{"code":"40005","msg":"Call Limited"}`}, rateLimited: true},
		{name: "HTTP 429", answer: answer{status: http.StatusTooManyRequests, raw: "x"}, rateLimited: true},
		{name: "HTTP 500", answer: answer{status: http.StatusInternalServerError, raw: "x"}},
		{name: "system error", answer: answer{biz: `{"code":"20000","msg":"Service Currently Unavailable","sub_code":"ACQ.SYSTEM_ERROR"}`}},
		{name: "trade not exist", answer: answer{biz: `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST"}`}},
		{name: "garbage", answer: answer{raw: "nope"}},
		{name: "not found, unsigned", answer: answer{biz: js(refundAnswer(false)), unsigned: true}},
		{name: "not found, signed by a stranger", answer: answer{biz: js(refundAnswer(false)), signer: testKeys().stranger}},
		{name: "success, tampered", answer: answer{biz: js(refundAnswer(true)),
			tamper: func(b string) string { return strings.Replace(b, `"10.00"`, `"88.88"`, 1) }}},
		{name: "unknown refund_status", answer: answer{biz: with(func(m map[string]any) { m["refund_status"] = "REFUND_PROCESSING" })}},
		{name: "another trade", answer: answer{biz: with(func(m map[string]any) { m["out_trade_no"] = "1002" })}},
		{name: "success without refund_amount", answer: answer{biz: with(func(m map[string]any) { delete(m, "refund_amount") })}},
		{name: "success without out_request_no", answer: answer{biz: with(func(m map[string]any) { delete(m, "out_request_no") })}},
		{name: "bad refund_amount", answer: answer{biz: with(func(m map[string]any) { m["refund_amount"] = "10.001" })}},
		{name: "bad gmt_refund_pay", answer: answer{biz: with(func(m map[string]any) { m["gmt_refund_pay"] = "yesterday" })}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmulator(t)
			c := emu.channel(t)
			emu.on(refundQueryMethod, tc.answer)
			rep, err := c.QueryRefund(context.Background(), refundOrder())
			if err == nil || rep.State != "" || rep.Raw != nil {
				t.Fatalf("QueryRefund = %+v, %v; want an error alone", rep, err)
			}
			if got := errors.Is(err, channel.ErrRateLimited); got != tc.rateLimited {
				t.Errorf("errors.Is(err, ErrRateLimited) = %v: %v", got, err)
			}
		})
	}
}
