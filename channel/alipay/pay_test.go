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

const queryMethod = "alipay.trade.query"

func payOrder() paysync.PayOrder {
	return paysync.PayOrder{OrderNo: "1001", BizOrderNo: "P0001", Channel: alipay.DefaultName,
		Amount: decimal.RequireFromString("88.88"), Currency: "CNY", Status: paysync.PayProgress}
}

// trade is a signed query answer for order 1001, 88.88 yuan, in status.
func trade(status string) map[string]any { return tradeOf("1001", status) }

func tradeOf(orderNo, status string) map[string]any {
	t := map[string]any{
		"code": "10000", "msg": "Success",
		"trade_no":       "20240101220014000000000" + orderNo,
		"out_trade_no":   orderNo,
		"buyer_logon_id": "159****5620",
		"trade_status":   status,
		"total_amount":   "88.88",
	}
	if status != "WAIT_BUYER_PAY" {
		t["buyer_pay_amount"] = "88.00"
		t["receipt_amount"] = "88.88"
		t["send_pay_date"] = "2024-01-01 10:34:56"
	}
	return t
}

const notExist = `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在","buyer_pay_amount":"0.00","invoice_amount":"0.00","out_trade_no":"1001","point_amount":"0.00","receipt_amount":"0.00"}`

func TestQueryPayMapsEveryTradeStatus(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	closedUnpaid := trade("TRADE_CLOSED")
	delete(closedUnpaid, "send_pay_date")
	paidAt := time.Date(2024, 1, 1, 2, 34, 56, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		biz      map[string]any
		want     channel.PayState
		paidAt   time.Time
		refunded string
	}{
		{"TRADE_SUCCESS", trade("TRADE_SUCCESS"), channel.PaySuccess, paidAt, "0"},
		{"TRADE_FINISHED", trade("TRADE_FINISHED"), channel.PaySuccess, paidAt, "0"},
		{"WAIT_BUYER_PAY", trade("WAIT_BUYER_PAY"), channel.PayProgress, time.Time{}, "0"},
		{"TRADE_CLOSED without send_pay_date", closedUnpaid, channel.PayClosed, time.Time{}, "0"},
		{"TRADE_CLOSED with send_pay_date", trade("TRADE_CLOSED"), channel.PayRefunded, paidAt, "88.88"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			biz := js(tc.biz)
			emu.on(queryMethod, answer{biz: biz})
			rep, err := c.QueryPay(context.Background(), payOrder())
			if err != nil {
				t.Fatal(err)
			}
			if rep.State != tc.want || rep.OrderNo != "1001" || rep.OutOrderNo != "202401012200140000000001001" {
				t.Errorf("report = %+v", rep)
			}
			if !rep.Amount.Equal(decimal.RequireFromString("88.88")) || !rep.PaidAt.Equal(tc.paidAt) ||
				!rep.RefundedAmount.Equal(decimal.RequireFromString(tc.refunded)) {
				t.Errorf("Amount %s PaidAt %v RefundedAmount %s", rep.Amount, rep.PaidAt, rep.RefundedAmount)
			}
			if !strings.Contains(string(rep.Raw), biz) || !strings.Contains(string(rep.Raw), `"sign":`) {
				t.Errorf("Raw must be the whole signed answer: %s", rep.Raw)
			}
		})
	}
	calls := emu.received()
	if len(calls) == 0 || calls[0].biz["out_trade_no"] != "1001" {
		t.Errorf("the query must send OrderNo as out_trade_no: %+v", calls)
	}
}

func TestQueryPaySignedTradeNotExistIsNotFoundUnknown(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	emu.on(queryMethod, answer{biz: notExist})
	rep, err := c.QueryPay(context.Background(), payOrder())
	if err != nil {
		t.Fatal(err)
	}
	if rep.State != channel.PayNotFoundUnknown || !strings.Contains(string(rep.Raw), "ACQ.TRADE_NOT_EXIST") {
		t.Errorf("report = %+v", rep)
	}
}

func TestQueryPayUnknownAnswersAreErrors(t *testing.T) {
	with := func(edit func(map[string]any)) string {
		m := trade("TRADE_SUCCESS")
		edit(m)
		return js(m)
	}
	limited := `{"code":"40005","msg":"Call Limited","sub_code":"aop.ACQ.TRADE_QUERY_LIMITED","sub_msg":"调用频次超限"}`
	for _, tc := range []struct {
		name        string
		answer      answer
		rateLimited bool
	}{
		{name: "40005 signed", answer: answer{biz: limited}, rateLimited: true},
		{name: "40005 as error_response", answer: answer{raw: `{"error_response":` + limited + `}`}, rateLimited: true},
		{name: "HTTP 429", answer: answer{status: http.StatusTooManyRequests, raw: "slow down"}, rateLimited: true},
		{name: "HTTP 502", answer: answer{status: http.StatusBadGateway, raw: "<html>bad gateway</html>"}},
		{name: "HTTP 500 with a good-looking body", answer: answer{status: http.StatusInternalServerError, biz: js(trade("TRADE_SUCCESS"))}},
		{name: "system error", answer: answer{biz: `{"code":"20000","msg":"Service Currently Unavailable","sub_code":"ACQ.SYSTEM_ERROR","sub_msg":"系统错误"}`}},
		{name: "not exist, unsigned", answer: answer{biz: notExist, unsigned: true}},
		{name: "not exist, as error_response", answer: answer{raw: `{"error_response":` + notExist + `}`}},
		{name: "not exist, signed by a stranger", answer: answer{biz: notExist, signer: testKeys().stranger}},
		{name: "success, tampered", answer: answer{biz: js(trade("WAIT_BUYER_PAY")),
			tamper: func(b string) string { return strings.Replace(b, "WAIT_BUYER_PAY", "TRADE_SUCCESS", 1) }}},
		{name: "success, unsigned", answer: answer{biz: js(trade("TRADE_SUCCESS")), unsigned: true}},
		{name: "success, signed by a stranger", answer: answer{biz: js(trade("TRADE_SUCCESS")), signer: testKeys().stranger}},
		{name: "garbage", answer: answer{raw: "<html>"}},
		{name: "null answer, unsigned", answer: answer{raw: `{"alipay_trade_query_response":null}`}},
		{name: "null answer, signed", answer: answer{biz: "null"}},
		{name: "null error_response", answer: answer{raw: `{"error_response":null}`}},
		{name: "unknown trade_status", answer: answer{biz: js(trade("TRADE_PAID"))}},
		{name: "no trade_status", answer: answer{biz: with(func(m map[string]any) { delete(m, "trade_status") })}},
		{name: "success without total_amount", answer: answer{biz: with(func(m map[string]any) { delete(m, "total_amount") })}},
		{name: "success without out_trade_no", answer: answer{biz: with(func(m map[string]any) { delete(m, "out_trade_no") })}},
		{name: "amount finer than a fen", answer: answer{biz: with(func(m map[string]any) { m["total_amount"] = "88.888" })}},
		{name: "amount with an exponent", answer: answer{biz: with(func(m map[string]any) { m["total_amount"] = "8.888e1" })}},
		{name: "negative amount", answer: answer{biz: with(func(m map[string]any) { m["total_amount"] = "-88.88" })}},
		{name: "bad send_pay_date", answer: answer{biz: with(func(m map[string]any) { m["send_pay_date"] = "2024/01/01" })}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmulator(t)
			c := emu.channel(t)
			emu.on(queryMethod, tc.answer)
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
		})
	}
}

func TestQueryPayAmounts(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	for _, s := range []string{"0.01", "0.1", "1", "10.50", "99999999.99"} {
		m := trade("TRADE_SUCCESS")
		m["total_amount"] = s
		emu.on(queryMethod, answer{biz: js(m)})
		rep, err := c.QueryPay(context.Background(), payOrder())
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if !rep.Amount.Equal(decimal.RequireFromString(s)) {
			t.Errorf("%s read as %s", s, rep.Amount)
		}
	}
}

func TestQueryPayHonoursCtx(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	emu.on(queryMethod, answer{biz: js(trade("TRADE_SUCCESS"))})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.QueryPay(ctx, payOrder()); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
