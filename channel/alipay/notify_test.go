package alipay_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/alipay"
	"github.com/shopspring/decimal"
)

// payNotice is the form of a trade notice for orderNo, 88.88 yuan.
func payNotice(orderNo, status string) map[string]string {
	f := map[string]string{
		"notify_time": "2024-01-01 10:35:00", "notify_type": "trade_status_sync",
		"notify_id": "ac05099524730693a8b330c5ecf72da9786", "app_id": testAppID, "charset": "utf-8",
		"version": "1.0", "trade_no": "20240101220014000000000" + orderNo, "out_trade_no": orderNo,
		"buyer_id": "2088102122524333", "seller_id": testSellerID, "trade_status": status,
		"total_amount": "88.88", "receipt_amount": "88.88", "gmt_create": "2024-01-01 10:30:00",
		"subject": "订单",
	}
	if status != "WAIT_BUYER_PAY" && status != "TRADE_CLOSED" {
		f["gmt_payment"] = "2024-01-01 10:34:56"
	}
	return f
}

// refundNotice is the form Alipay sends when refundNo's money of trade 1001
// went back; refundFee is the trade's total refunded so far.
func refundNotice(refundNo, tradeStatus, refundFee string) map[string]string {
	f := payNotice("1001", tradeStatus)
	f["gmt_payment"] = "2024-01-01 10:34:56"
	f["out_biz_no"] = refundNo
	f["refund_fee"] = refundFee
	f["gmt_refund"] = "2024-01-03 09:01:00.123"
	return f
}

func TestParsePayNotification(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	// A paid trade closes once all of it is refunded: its notice still
	// carries gmt_payment, which stands for send_pay_date as in a query.
	closedPaid := payNotice("1001", "TRADE_CLOSED")
	closedPaid["gmt_payment"] = "2024-01-01 10:34:56"
	for _, tc := range []struct {
		name     string
		form     map[string]string
		want     channel.PayState
		refunded string
	}{
		{"TRADE_SUCCESS", payNotice("1001", "TRADE_SUCCESS"), channel.PaySuccess, "0"},
		{"TRADE_FINISHED", payNotice("1001", "TRADE_FINISHED"), channel.PaySuccess, "0"},
		{"WAIT_BUYER_PAY", payNotice("1001", "WAIT_BUYER_PAY"), channel.PayProgress, "0"},
		{"TRADE_CLOSED without gmt_payment", payNotice("1001", "TRADE_CLOSED"), channel.PayClosed, "0"},
		{"TRADE_CLOSED with gmt_payment", closedPaid, channel.PayRefunded, "88.88"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := c.ParseNotification(context.Background(), notification(testKeys().alipay, tc.form))
			if err != nil {
				t.Fatal(err)
			}
			if n.Kind != alipay.KindPay || n.OrderNo != "1001" || n.ID == "" {
				t.Fatalf("notification = %+v", n)
			}
			p := n.Pay
			if p.State != tc.want || p.OrderNo != "1001" || p.OutOrderNo != "202401012200140000000001001" ||
				!p.Amount.Equal(decimal.RequireFromString("88.88")) || !p.RefundedAmount.Equal(decimal.RequireFromString(tc.refunded)) {
				t.Errorf("report = %+v", p)
			}
			wantPaid := time.Time{}
			if tc.form["gmt_payment"] != "" {
				wantPaid = time.Date(2024, 1, 1, 2, 34, 56, 0, time.UTC)
			}
			if !p.PaidAt.Equal(wantPaid) {
				t.Errorf("PaidAt = %v, want %v", p.PaidAt, wantPaid)
			}
			if v, err := url.ParseQuery(string(p.Raw)); err != nil || v.Get("trade_status") != tc.form["trade_status"] {
				t.Errorf("Raw must be the form received: %s", p.Raw)
			}
		})
	}
}

// Every refund notice reports its refund succeeded, and never with the
// notice's refund_fee as the refund's amount: that figure is cumulative.
func TestParseRefundNotification(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	for _, tc := range []struct {
		name                       string
		refundNo, status, refunded string
	}{
		{"first partial refund", "R3001", "TRADE_SUCCESS", "10.00"},
		{"second partial refund, cumulative fee", "R3002", "TRADE_SUCCESS", "30.00"},
		{"last refund closes the trade, not the refund", "R3003", "TRADE_CLOSED", "88.88"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := c.ParseNotification(context.Background(),
				notification(testKeys().alipay, refundNotice(tc.refundNo, tc.status, tc.refunded)))
			if err != nil {
				t.Fatal(err)
			}
			if n.Kind != alipay.KindRefund || n.RefundNo != tc.refundNo || n.OrderNo != "1001" {
				t.Fatalf("notification = %+v", n)
			}
			r := n.Refund
			if r.State != channel.RefundSuccess || r.RefundNo != tc.refundNo || !r.Amount.IsZero() || r.OutRefundNo != "" ||
				!r.FinishedAt.Equal(time.Date(2024, 1, 3, 1, 1, 0, 123e6, time.UTC)) {
				t.Errorf("report = %+v", r)
			}
		})
	}
}

func TestParseNotificationRefuses(t *testing.T) {
	sign := func(f map[string]string) *http.Request { return notification(testKeys().alipay, f) }
	for _, tc := range []struct {
		name    string
		request func() *http.Request
	}{
		{"signed by a stranger", func() *http.Request { return notification(testKeys().stranger, payNotice("1001", "TRADE_SUCCESS")) }},
		{"unsigned", func() *http.Request {
			v := url.Values{}
			for k, x := range payNotice("1001", "TRADE_SUCCESS") {
				v.Set(k, x)
			}
			return notifyRequest(v)
		}},
		{"changed after signing", func() *http.Request {
			r := sign(payNotice("1001", "WAIT_BUYER_PAY"))
			_ = r.ParseForm()
			v := r.PostForm
			v.Set("trade_status", "TRADE_SUCCESS")
			return notifyRequest(v)
		}},
		{"another app", func() *http.Request {
			f := payNotice("1001", "TRADE_SUCCESS")
			f["app_id"] = "2021000000009999"
			return sign(f)
		}},
		{"another seller", func() *http.Request {
			f := payNotice("1001", "TRADE_SUCCESS")
			f["seller_id"] = "2088000000009999"
			return sign(f)
		}},
		{"unknown notify_type", func() *http.Request {
			f := payNotice("1001", "TRADE_SUCCESS")
			f["notify_type"] = "fund_auth_freeze"
			return sign(f)
		}},
		{"unknown trade_status", func() *http.Request { return sign(payNotice("1001", "TRADE_PAID")) }},
		{"success without total_amount", func() *http.Request {
			f := payNotice("1001", "TRADE_SUCCESS")
			delete(f, "total_amount")
			return sign(f)
		}},
		{"unknown refund_status", func() *http.Request {
			f := refundNotice("R3001", "TRADE_SUCCESS", "10.00")
			f["refund_status"] = "REFUND_FAIL"
			return sign(f)
		}},
		{"refund notice without gmt_refund or refund_status", func() *http.Request {
			f := refundNotice("R3001", "TRADE_SUCCESS", "10.00")
			delete(f, "gmt_refund")
			return sign(f)
		}},
		{"bad gmt_refund", func() *http.Request {
			f := refundNotice("R3001", "TRADE_SUCCESS", "10.00")
			f["gmt_refund"] = "soon"
			return sign(f)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := newEmulator(t)
			c := emu.channel(t)
			n, err := c.ParseNotification(context.Background(), tc.request())
			if err == nil {
				t.Fatalf("accepted: %+v", n)
			}
			if n.Kind != "" || n.Pay.State != "" || n.Refund.State != "" {
				t.Errorf("a refused notification came with a report: %+v", n)
			}
		})
	}
}

// The form's alipay_cert_sn is not signed; a notice must not make the
// adapter fetch a certificate it names, and is verified with the key given.
func TestParseNotificationIgnoresAlipayCertSN(t *testing.T) {
	emu := newEmulator(t)
	c := emu.channel(t)
	r := notification(testKeys().alipay, payNotice("1001", "TRADE_SUCCESS"))
	_ = r.ParseForm()
	v := r.PostForm
	v.Set("alipay_cert_sn", "0123456789abcdef0123456789abcdef")
	n, err := c.ParseNotification(context.Background(), notifyRequest(v))
	if err != nil || n.Pay.State != channel.PaySuccess {
		t.Fatalf("ParseNotification = %+v, %v", n, err)
	}
	if calls := emu.received(); len(calls) != 0 {
		t.Errorf("parsing a notice called the gateway: %+v", calls)
	}
	if strings.Contains(string(n.Pay.Raw), "alipay_cert_sn") {
		t.Errorf("Raw keeps the unsigned alipay_cert_sn: %s", n.Pay.Raw)
	}
}
