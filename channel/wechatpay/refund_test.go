package wechatpay_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/wechatpay"
	"github.com/shopspring/decimal"
)

const refundPath = "/v3/refund/domestic/refunds/R3001"

func refundOrder() paysync.RefundOrder {
	return paysync.RefundOrder{RefundNo: "R3001", BizRefundNo: "BR3001", OrderNo: "1001",
		Channel: wechatpay.DefaultName, Amount: decimal.RequireFromString("10.00"), Currency: "CNY",
		Status: paysync.RefundProgress}
}

// refundAnswer is a refund query answer for R3001 of order 1001: 10.00 of a
// 88.88 trade.
func refundAnswer(status string) map[string]any {
	r := map[string]any{
		"refund_id":             "50000000382019052709732678859",
		"out_refund_no":         "R3001",
		"transaction_id":        "4200000001202401010000000001",
		"out_trade_no":          "1001",
		"channel":               "ORIGINAL",
		"user_received_account": "招商银行信用卡0403",
		"create_time":           "2024-01-03T09:00:00+08:00",
		"status":                status,
		"funds_account":         "AVAILABLE",
		"amount": map[string]any{"total": 8888, "refund": 1000, "payer_total": 8888, "payer_refund": 1000,
			"settlement_refund": 1000, "settlement_total": 8888, "discount_refund": 0, "currency": "CNY"},
	}
	if status == "SUCCESS" {
		r["success_time"] = "2024-01-03T09:01:00+08:00"
	}
	return r
}

func TestQueryRefundMapsEveryStatus(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	for _, tc := range []struct {
		status    string
		want      channel.RefundState
		errorCode string
	}{
		{"SUCCESS", channel.RefundSuccess, ""},
		{"PROCESSING", channel.RefundProgress, ""},
		{"CLOSED", channel.RefundClosed, ""},
		{"ABNORMAL", channel.RefundFailed, "ABNORMAL"},
	} {
		t.Run(tc.status, func(t *testing.T) {
			body := js(refundAnswer(tc.status))
			emu.on(http.MethodGet, refundPath, answer{status: http.StatusOK, body: body})
			rep, err := c.QueryRefund(context.Background(), refundOrder())
			if err != nil {
				t.Fatal(err)
			}
			if rep.State != tc.want || rep.ErrorCode != tc.errorCode {
				t.Errorf("State %q ErrorCode %q, want %q %q", rep.State, rep.ErrorCode, tc.want, tc.errorCode)
			}
			// The refund's own numbers and amount — not the payment's
			// transaction_id, not the trade's total.
			if rep.RefundNo != "R3001" || rep.OutRefundNo != "50000000382019052709732678859" {
				t.Errorf("RefundNo %q OutRefundNo %q", rep.RefundNo, rep.OutRefundNo)
			}
			if !rep.Amount.Equal(decimal.RequireFromString("10.00")) || rep.Currency != "CNY" {
				t.Errorf("Amount %s %s, want 10.00 CNY", rep.Amount, rep.Currency)
			}
			wantAt := time.Time{}
			if tc.status == "SUCCESS" {
				wantAt = time.Date(2024, 1, 3, 1, 1, 0, 0, time.UTC)
			}
			if !rep.FinishedAt.Equal(wantAt) || string(rep.Raw) != body {
				t.Errorf("FinishedAt %v (want %v), Raw %s", rep.FinishedAt, wantAt, rep.Raw)
			}
		})
	}
}

func TestQueryRefundSignedResourceNotExistsIsNotFound(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	body := `{"code":"RESOURCE_NOT_EXISTS","message":"退款单不存在"}`
	emu.on(http.MethodGet, refundPath, answer{status: http.StatusNotFound, body: body})
	rep, err := c.QueryRefund(context.Background(), refundOrder())
	if err != nil {
		t.Fatal(err)
	}
	if rep.State != channel.RefundNotFound || string(rep.Raw) != body {
		t.Errorf("report = %+v", rep)
	}
}

func TestQueryRefundUnknownAnswersAreErrors(t *testing.T) {
	notExist := `{"code":"RESOURCE_NOT_EXISTS","message":"退款单不存在"}`
	with := func(status string, edit func(map[string]any)) string {
		r := refundAnswer(status)
		edit(r)
		return js(r)
	}
	for _, tc := range []struct {
		name        string
		answer      answer
		rateLimited bool
	}{
		{name: "FREQUENCY_LIMITED", answer: answer{status: http.StatusTooManyRequests, body: `{"code":"FREQUENCY_LIMITED","message":"x"}`}, rateLimited: true},
		{name: "500", answer: answer{status: http.StatusInternalServerError, body: `{"code":"SYSTEM_ERROR","message":"x"}`}},
		{name: "not found, unsigned", answer: answer{status: http.StatusNotFound, body: notExist, unsigned: true}},
		{name: "not found, signed by a stranger", answer: answer{status: http.StatusNotFound, body: notExist, signer: testKeys().stranger}},
		{name: "garbage", answer: answer{status: http.StatusOK, body: "]"}},
		{name: "success, tampered", answer: answer{status: http.StatusOK, body: js(refundAnswer("PROCESSING")),
			tamper: func(string) string { return js(refundAnswer("SUCCESS")) }}},
		{name: "unknown status", answer: answer{status: http.StatusOK, body: js(refundAnswer("REFUNDED"))}},
		{name: "no status", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) { delete(m, "status") })}},
		{name: "another pay order", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) { m["out_trade_no"] = "1002" })}},
		{name: "success without amount", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) { delete(m, "amount") })}},
		{name: "amount in HKD", answer: answer{status: http.StatusOK, body: with("SUCCESS", func(m map[string]any) {
			m["amount"] = map[string]any{"total": 8888, "refund": 1000, "payer_total": 8888, "payer_refund": 1000, "currency": "HKD"}
		})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmulator(t)
			c := emu.channel(t)
			emu.on(http.MethodGet, refundPath, tc.answer)
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
