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
	"github.com/shopspring/decimal"
)

const settleQueryMethod = "alipay.trade.order.settle.query"

func allocationOrder() paysync.AllocationOrder {
	return paysync.AllocationOrder{AllocationNo: "A2001", BizAllocationNo: "BA2001", OrderNo: "1001",
		OutOrderNo: "202401012200140000000001001", Channel: alipay.DefaultName,
		Amount: decimal.RequireFromString("30.00"), Status: paysync.AllocProcessing}
}

// settlement is a signed settle query answer for A2001 with lines.
func settlement(lines ...map[string]any) string {
	return js(map[string]any{"code": "10000", "msg": "Success", "out_request_no": "A2001",
		"operation_dt": "2024-01-02 10:00:00", "royalty_detail_list": lines})
}

// royaltyLine writes the amount as a JSON number, as Alipay's examples do.
func royaltyLine(account string, amount float64, state string) map[string]any {
	l := map[string]any{"operation_type": "transfer", "execute_dt": "2024-01-02 10:05:00",
		"trans_out": testSellerID, "trans_out_type": "userId", "trans_in": account, "trans_in_type": "userId",
		"amount": amount, "state": state, "detail_id": "2024010210032004370215900" + account[len(account)-3:]}
	if state == "FAIL" {
		l["error_code"] = "TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH"
		l["error_desc"] = "分账余额不足"
	}
	return l
}

func TestQueryAllocationMapsEveryState(t *testing.T) {
	emu := newEmulator(t)
	cfg := emu.config(t)
	cfg.ReceiverTypes = map[string]string{"userId": "user_id"}
	c, err := alipay.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	stringAmount := royaltyLine("2088000000000103", 0, "FAIL")
	stringAmount["amount"] = "5.00"
	replenish := royaltyLine("2088000000000104", 1, "SUCCESS")
	replenish["operation_type"] = "replenish"
	emu.on(settleQueryMethod, answer{biz: settlement(
		royaltyLine("2088000000000101", 10.00, "SUCCESS"),
		royaltyLine("2088000000000102", 15.5, "PROCESSING"),
		stringAmount,
		replenish,
	)})
	rep, err := c.QueryAllocation(context.Background(), allocationOrder())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 1, 2, 2, 5, 0, 0, time.UTC)
	want := []channel.ReceiverReport{
		{ReceiverType: "user_id", Account: "2088000000000101", Amount: decimal.RequireFromString("10"),
			OutDetailID: "2024010210032004370215900101", State: channel.ReceiverSuccess, FinishedAt: at},
		{ReceiverType: "user_id", Account: "2088000000000102", Amount: decimal.RequireFromString("15.50"),
			OutDetailID: "2024010210032004370215900102", State: channel.ReceiverPending},
		{ReceiverType: "user_id", Account: "2088000000000103", Amount: decimal.RequireFromString("5.00"),
			OutDetailID: "2024010210032004370215900103", State: channel.ReceiverFail, FinishedAt: at,
			ErrorCode: "TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH", ErrorMsg: "分账余额不足"},
	}
	if len(rep.Receivers) != len(want) {
		t.Fatalf("receivers = %+v, want %d (the replenish line left out)", rep.Receivers, len(want))
	}
	for i, w := range want {
		g := rep.Receivers[i]
		if !g.Amount.Equal(w.Amount) || !g.FinishedAt.Equal(w.FinishedAt) {
			t.Errorf("receiver %d: %s at %v, want %s at %v", i, g.Amount, g.FinishedAt, w.Amount, w.FinishedAt)
		}
		g.Amount, w.Amount, g.FinishedAt, w.FinishedAt = decimal.Zero, decimal.Zero, time.Time{}, time.Time{}
		if g != w {
			t.Errorf("receiver %d = %+v, want %+v", i, g, w)
		}
	}
	calls := emu.received()
	if len(calls) != 1 || calls[0].biz["out_request_no"] != "A2001" || calls[0].biz["trade_no"] != "202401012200140000000001001" {
		t.Errorf("the query must send AllocationNo and the pay order's OutOrderNo: %+v", calls)
	}
}

func TestQueryAllocationErrors(t *testing.T) {
	notExist := `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}`
	badAmount := royaltyLine("2088000000000101", 0, "SUCCESS")
	badAmount["amount"] = "10.001"
	for _, tc := range []struct {
		name        string
		order       func(*paysync.AllocationOrder)
		answer      answer
		notAtChan   bool
		rateLimited bool
	}{
		{name: "trade not exist", answer: answer{biz: notExist}, notAtChan: true},
		{name: "trade not exist, unsigned", answer: answer{biz: notExist, unsigned: true}},
		{name: "40005", answer: answer{biz: `{"code":"40005","msg":"Call Limited"}`}, rateLimited: true},
		{name: "system error", answer: answer{biz: `{"code":"20000","msg":"Service Currently Unavailable","sub_code":"ACQ.SYSTEM_ERROR"}`}},
		{name: "garbage", answer: answer{raw: "]"}},
		{name: "tampered", answer: answer{biz: settlement(royaltyLine("2088000000000101", 10, "PROCESSING")),
			tamper: func(b string) string { return strings.Replace(b, "PROCESSING", "SUCCESS", 1) }}},
		{name: "unknown state", answer: answer{biz: settlement(royaltyLine("2088000000000101", 10, "DONE"))}},
		{name: "bad amount", answer: answer{biz: settlement(badAmount)}},
		{name: "another out_request_no", answer: answer{biz: js(map[string]any{"code": "10000", "msg": "Success", "out_request_no": "A9999"})}},
		{name: "no OutOrderNo on the order", order: func(o *paysync.AllocationOrder) { o.OutOrderNo = "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmulator(t)
			c := emu.channel(t)
			emu.on(settleQueryMethod, tc.answer)
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
