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

const allocationPath = "/v3/profitsharing/orders/A2001"

func allocationOrder() paysync.AllocationOrder {
	return paysync.AllocationOrder{AllocationNo: "A2001", BizAllocationNo: "BA2001", OrderNo: "1001",
		OutOrderNo: "4200000001202401010000000001", Channel: wechatpay.DefaultName,
		Amount: decimal.RequireFromString("30.00"), Status: paysync.AllocProcessing}
}

// sharingOrder is a profit-sharing query answer for A2001 with receivers.
func sharingOrder(receivers ...map[string]any) map[string]any {
	return map[string]any{
		"transaction_id": "4200000001202401010000000001",
		"out_order_no":   "A2001",
		"order_id":       "3008450740201411110007820472",
		"state":          "PROCESSING",
		"receivers":      receivers,
	}
}

func receiverLine(typ, account string, fen int64, result string) map[string]any {
	r := map[string]any{
		"type": typ, "account": account, "amount": fen, "result": result,
		"description": "分给商户", "detail_id": "36011111111111111111111" + account[len(account)-1:],
		"create_time": "2024-01-02T10:00:00+08:00", "finish_time": "2024-01-02T10:05:00+08:00",
	}
	if result == "CLOSED" {
		r["fail_reason"] = "NO_RELATION"
	}
	return r
}

func TestQueryAllocationMapsEveryResult(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	body := js(sharingOrder(
		receiverLine("MERCHANT_ID", "1900000001", 1000, "SUCCESS"),
		receiverLine("PERSONAL_OPENID", "oUpF8uMuAJO_M2pxb1Q9zNjWeS62", 1500, "PENDING"),
		receiverLine("MERCHANT_ID", "1900000003", 500, "CLOSED"),
	))
	emu.on(http.MethodGet, allocationPath, answer{status: http.StatusOK, body: body})
	rep, err := c.QueryAllocation(context.Background(), allocationOrder())
	if err != nil {
		t.Fatal(err)
	}
	finished := time.Date(2024, 1, 2, 2, 5, 0, 0, time.UTC)
	want := []channel.ReceiverReport{
		{ReceiverType: "MERCHANT_ID", Account: "1900000001", Amount: decimal.RequireFromString("10.00"),
			OutDetailID: "360111111111111111111111", State: channel.ReceiverSuccess, FinishedAt: finished},
		{ReceiverType: "PERSONAL_OPENID", Account: "oUpF8uMuAJO_M2pxb1Q9zNjWeS62", Amount: decimal.RequireFromString("15.00"),
			OutDetailID: "360111111111111111111112", State: channel.ReceiverPending},
		{ReceiverType: "MERCHANT_ID", Account: "1900000003", Amount: decimal.RequireFromString("5.00"),
			OutDetailID: "360111111111111111111113", State: channel.ReceiverFail, FinishedAt: finished,
			ErrorCode: "NO_RELATION", ErrorMsg: "分账关系已解除"},
	}
	assertReceivers(t, rep.Receivers, want)
	if string(rep.Raw) != body {
		t.Errorf("Raw = %s", rep.Raw)
	}
	calls := emu.received()
	if len(calls) != 1 || calls[0].query.Get("transaction_id") != "4200000001202401010000000001" {
		t.Errorf("the query must send the pay order's OutOrderNo as transaction_id: %+v", calls)
	}
}

func assertReceivers(t *testing.T, got, want []channel.ReceiverReport) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d receivers, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if !g.Amount.Equal(w.Amount) || !g.FinishedAt.Equal(w.FinishedAt) {
			t.Errorf("receiver %d: amount %s at %v, want %s at %v", i, g.Amount, g.FinishedAt, w.Amount, w.FinishedAt)
		}
		g.Amount, w.Amount, g.FinishedAt, w.FinishedAt = decimal.Zero, decimal.Zero, time.Time{}, time.Time{}
		if g != w {
			t.Errorf("receiver %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestQueryAllocationLeavesOutTheUnfreezeLineAndMapsTypes(t *testing.T) {
	emu := newEmulator(t)
	cfg := emu.config()
	cfg.ReceiverTypes = map[string]string{"MERCHANT_ID": "merchant_no", "PERSONAL_OPENID": "openid"}
	c, err := wechatpay.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	unfreeze := receiverLine("MERCHANT_ID", testMchID, 7000, "SUCCESS")
	unfreeze["description"] = "解冻给分账方"
	emu.on(http.MethodGet, allocationPath, answer{status: http.StatusOK, body: js(sharingOrder(
		receiverLine("MERCHANT_ID", "1900000001", 1000, "SUCCESS"),
		unfreeze,
		receiverLine("PERSONAL_OPENID", "oUpF8uMuAJO_M2pxb1Q9zNjWeS62", 1500, "PENDING"),
	))})
	rep, err := c.QueryAllocation(context.Background(), allocationOrder())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Receivers) != 2 || rep.Receivers[0].ReceiverType != "merchant_no" || rep.Receivers[1].ReceiverType != "openid" {
		t.Errorf("receivers = %+v, want two, typed merchant_no and openid", rep.Receivers)
	}
}

func TestQueryAllocationErrors(t *testing.T) {
	notExist := `{"code":"RESOURCE_NOT_EXISTS","message":"记录不存在"}`
	for _, tc := range []struct {
		name        string
		order       func(*paysync.AllocationOrder)
		answer      answer
		notAtChan   bool
		rateLimited bool
	}{
		{name: "RESOURCE_NOT_EXISTS", answer: answer{status: http.StatusNotFound, body: notExist}, notAtChan: true},
		{name: "RESOURCE_NOT_EXISTS unsigned", answer: answer{status: http.StatusNotFound, body: notExist, unsigned: true}},
		{name: "RATELIMIT_EXCEED", answer: answer{status: http.StatusTooManyRequests, body: `{"code":"RATELIMIT_EXCEED","message":"x"}`}, rateLimited: true},
		{name: "500", answer: answer{status: http.StatusInternalServerError, body: `{"code":"SYSTEM_ERROR","message":"x"}`}},
		{name: "garbage", answer: answer{status: http.StatusOK, body: "{"}},
		{name: "tampered", answer: answer{status: http.StatusOK, body: js(sharingOrder(receiverLine("MERCHANT_ID", "1900000001", 1000, "PENDING"))),
			tamper: func(b string) string { return b[:len(b)-1] + " }" }}},
		{name: "unknown result", answer: answer{status: http.StatusOK, body: js(sharingOrder(receiverLine("MERCHANT_ID", "1900000001", 1000, "DONE")))}},
		{name: "no amount", answer: answer{status: http.StatusOK, body: js(sharingOrder(map[string]any{"type": "MERCHANT_ID", "account": "1900000001", "result": "SUCCESS"}))}},
		{name: "another out_order_no", answer: answer{status: http.StatusOK, body: js(func() map[string]any {
			o := sharingOrder()
			o["out_order_no"] = "A9999"
			return o
		}())}},
		{name: "another transaction", answer: answer{status: http.StatusOK, body: js(func() map[string]any {
			o := sharingOrder()
			o["transaction_id"] = "4200000001202401019999999999"
			return o
		}())}},
		{name: "no OutOrderNo on the order", order: func(o *paysync.AllocationOrder) { o.OutOrderNo = "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmulator(t)
			c := emu.channel(t)
			emu.on(http.MethodGet, allocationPath, tc.answer)
			o := allocationOrder()
			if tc.order != nil {
				tc.order(&o)
			}
			rep, err := c.QueryAllocation(context.Background(), o)
			if err == nil || rep.Receivers != nil || rep.Raw != nil {
				t.Fatalf("QueryAllocation = %+v, %v; want an error alone", rep, err)
			}
			if got := errors.Is(err, channel.ErrAllocationNotAtChannel); got != tc.notAtChan {
				t.Errorf("errors.Is(err, ErrAllocationNotAtChannel) = %v: %v", got, err)
			}
			if got := errors.Is(err, channel.ErrRateLimited); got != tc.rateLimited {
				t.Errorf("errors.Is(err, ErrRateLimited) = %v: %v", got, err)
			}
		})
	}
}
