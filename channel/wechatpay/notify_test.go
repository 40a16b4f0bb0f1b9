package wechatpay_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/wechatpay"
	"github.com/shopspring/decimal"
)

// refundResource is the decrypted resource of a refund notification for
// R3001: 10.00 of a 88.88 trade.
func refundResource(status string) map[string]any {
	r := map[string]any{
		"mchid":                 testMchID,
		"out_trade_no":          "1001",
		"transaction_id":        "4200000001202401010000000001",
		"out_refund_no":         "R3001",
		"refund_id":             "50000000382019052709732678859",
		"refund_status":         status,
		"user_received_account": "招商银行信用卡0403",
		"amount":                map[string]any{"total": 8888, "refund": 1000, "payer_total": 8888, "payer_refund": 1000},
	}
	if status == "SUCCESS" {
		r["success_time"] = "2024-01-03T09:01:00+08:00"
	}
	return r
}

func TestParsePayNotification(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	resource := trade("SUCCESS")
	n, err := c.ParseNotification(context.Background(),
		notification(t, testKeys().platform, "TRANSACTION.SUCCESS", "transaction", resource))
	if err != nil {
		t.Fatal(err)
	}
	if n.Kind != wechatpay.KindPay || n.OrderNo != "1001" || n.ID == "" {
		t.Fatalf("notification = %+v", n)
	}
	if n.Pay.State != channel.PaySuccess || n.Pay.OrderNo != "1001" || n.Pay.OutOrderNo != "4200000001202401010000001001" ||
		!n.Pay.Amount.Equal(decimal.RequireFromString("88.88")) || n.Pay.Currency != "CNY" ||
		!n.Pay.PaidAt.Equal(time.Date(2024, 1, 1, 2, 34, 56, 0, time.UTC)) {
		t.Errorf("report = %+v", n.Pay)
	}
	var raw map[string]any
	if err := json.Unmarshal(n.Pay.Raw, &raw); err != nil || raw["trade_state"] != "SUCCESS" {
		t.Errorf("Raw must be the decrypted resource: %s", n.Pay.Raw)
	}
}

func TestParseRefundNotification(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	for _, tc := range []struct {
		status string
		want   channel.RefundState
	}{
		{"SUCCESS", channel.RefundSuccess},
		{"CLOSED", channel.RefundClosed},
		{"ABNORMAL", channel.RefundFailed},
	} {
		t.Run(tc.status, func(t *testing.T) {
			n, err := c.ParseNotification(context.Background(),
				notification(t, testKeys().platform, "REFUND."+tc.status, "refund", refundResource(tc.status)))
			if err != nil {
				t.Fatal(err)
			}
			if n.Kind != wechatpay.KindRefund || n.RefundNo != "R3001" || n.OrderNo != "1001" {
				t.Fatalf("notification = %+v", n)
			}
			r := n.Refund
			// amount.refund is this refund's own money; refund notices name no currency.
			if r.State != tc.want || r.RefundNo != "R3001" || r.OutRefundNo != "50000000382019052709732678859" ||
				!r.Amount.Equal(decimal.RequireFromString("10.00")) || r.Currency != "" {
				t.Errorf("report = %+v", r)
			}
			if tc.status == "SUCCESS" && !r.FinishedAt.Equal(time.Date(2024, 1, 3, 1, 1, 0, 0, time.UTC)) {
				t.Errorf("FinishedAt = %v", r.FinishedAt)
			}
		})
	}
}

func TestParseNotificationRefuses(t *testing.T) {
	good := func(t *testing.T) string {
		return notificationBody(t, testAPIv3, "TRANSACTION.SUCCESS", "transaction", trade("SUCCESS"))
	}
	signed := func(body string) map[string]string { return signHeaders(testKeys().platform, testKeyID, body) }
	for _, tc := range []struct {
		name    string
		request func(t *testing.T) (body string, headers map[string]string)
	}{
		{"signed by a stranger", func(t *testing.T) (string, map[string]string) {
			b := good(t)
			return b, signHeaders(testKeys().stranger, testKeyID, b)
		}},
		{"unsigned", func(t *testing.T) (string, map[string]string) { return good(t), nil }},
		{"body changed after signing", func(t *testing.T) (string, map[string]string) {
			b := good(t)
			h := signed(b)
			return strings.Replace(b, `"summary":"通知"`, `"summary":"改了"`, 1), h
		}},
		{"stale timestamp", func(t *testing.T) (string, map[string]string) {
			b := good(t)
			h := signed(b)
			h["Wechatpay-Timestamp"] = strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
			return b, h
		}},
		{"encrypted under another APIv3 key", func(t *testing.T) (string, map[string]string) {
			b := notificationBody(t, "ffffffffffffffffffffffffffffffff", "TRANSACTION.SUCCESS", "transaction", trade("SUCCESS"))
			return b, signed(b)
		}},
		{"unknown event type", func(t *testing.T) (string, map[string]string) {
			b := notificationBody(t, testAPIv3, "MCHTRANSFER.BILL.FINISHED", "mch_payment", trade("SUCCESS"))
			return b, signed(b)
		}},
		{"another merchant", func(t *testing.T) (string, map[string]string) {
			tx := trade("SUCCESS")
			tx["mchid"] = "1900000999"
			b := notificationBody(t, testAPIv3, "TRANSACTION.SUCCESS", "transaction", tx)
			return b, signed(b)
		}},
		{"unknown trade_state", func(t *testing.T) (string, map[string]string) {
			b := notificationBody(t, testAPIv3, "TRANSACTION.SUCCESS", "transaction", trade("PAID"))
			return b, signed(b)
		}},
		{"refund event and status disagree", func(t *testing.T) (string, map[string]string) {
			b := notificationBody(t, testAPIv3, "REFUND.SUCCESS", "refund", refundResource("CLOSED"))
			return b, signed(b)
		}},
		{"unknown refund status", func(t *testing.T) (string, map[string]string) {
			b := notificationBody(t, testAPIv3, "REFUND.DONE", "refund", refundResource("DONE"))
			return b, signed(b)
		}},
		{"refund for another merchant", func(t *testing.T) (string, map[string]string) {
			r := refundResource("SUCCESS")
			r["mchid"] = "1900000999"
			b := notificationBody(t, testAPIv3, "REFUND.SUCCESS", "refund", r)
			return b, signed(b)
		}},
		{"refund success without amount", func(t *testing.T) (string, map[string]string) {
			r := refundResource("SUCCESS")
			delete(r, "amount")
			b := notificationBody(t, testAPIv3, "REFUND.SUCCESS", "refund", r)
			return b, signed(b)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmulator(t)
			c := emu.channel(t)
			body, headers := tc.request(t)
			n, err := c.ParseNotification(context.Background(), notifyRequest(body, headers))
			if err == nil {
				t.Fatalf("accepted: %+v", n)
			}
			if n.Kind != "" || n.Pay.State != "" || n.Refund.State != "" {
				t.Errorf("a refused notification came with a report: %+v", n)
			}
		})
	}
}
