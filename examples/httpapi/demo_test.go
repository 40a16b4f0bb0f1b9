package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/examples/httpapi/daxpay"
	"github.com/shopspring/decimal"
)

// TestDemoWalkthrough drives the demo data of README.md through the real
// engine over HTTP, both sign types, and checks every answer README shows:
// each order's 1st and 2nd sync, which number wins, the not-found answers.
func TestDemoWalkthrough(t *testing.T) {
	for _, st := range []daxpay.SignType{daxpay.HMACSHA256, daxpay.MD5} {
		t.Run(string(st), func(t *testing.T) {
			logger := slog.New(slog.NewTextHandler(io.Discard, nil))
			d, err := newDemo(context.Background(), logger)
			if err != nil {
				t.Fatal(err)
			}
			signer := daxpay.Signer{Type: st, Secret: "123456"}
			h, err := daxpay.NewHandler(d.engine, daxpay.Config{Secret: "123456", SignType: st})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			nonce := 0
			// call syncs the order named by numbers, pairs of field and value.
			call := func(path string, numbers ...string) daxpay.Data {
				t.Helper()
				nonce++
				var fields strings.Builder
				for i := 0; i < len(numbers); i += 2 {
					fmt.Fprintf(&fields, "%q:%q,", numbers[i], numbers[i+1])
				}
				no := strings.Join(numbers, "=")
				body := fmt.Sprintf(`{%s"clientIp":"127.0.0.1","nonceStr":"n%d","reqTime":%d}`,
					fields.String(), nonce, time.Now().Unix())
				signed, err := signer.SignBody([]byte(body))
				if err != nil {
					t.Fatal(err)
				}
				resp, err := http.Post(srv.URL+path, "application/json", bytes.NewReader(signed))
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var env daxpay.Envelope
				if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
					t.Fatal(err)
				}
				if env.Code != 0 || env.Data == nil {
					t.Fatalf("%s %s: envelope %+v", path, no, env)
				}
				resign, err := signer.SignData(*env.Data)
				if err != nil || resign.Sign != env.Data.Sign {
					t.Fatalf("%s %s: response sign %q does not verify (%v)", path, no, env.Data.Sign, err)
				}
				return *env.Data
			}
			pay := func(field, no, wantStatus string, wantAdjust bool) {
				t.Helper()
				data := call("/unipay/sync/pay", field, no)
				if data.Code != 0 || data.OrderStatus != wantStatus || data.Adjust == nil || *data.Adjust != wantAdjust {
					t.Fatalf("pay %s=%s: got code %d status %q adjust %v; want %s %v", field, no, data.Code,
						data.OrderStatus, fmtBool(data.Adjust), wantStatus, wantAdjust)
				}
			}
			pay("orderNo", "1001", "success", true)
			pay("bizOrderNo", "P0001", "success", false)
			pay("orderNo", "1002", "progress", false)
			pay("bizOrderNo", "P0003", "close", true)
			pay("orderNo", "1003", "close", false)
			pay("orderNo", "1004", "success", false)

			data := call("/unipay/sync/pay", "orderNo", "9999")
			if data.Code != 1 || data.Msg != "支付订单不存在" {
				t.Fatalf("missing order: %+v", data)
			}
			data = call("/unipay/sync/allocation", "allocationNo", "2001")
			if data.Code != 0 || data.Status != "allocation_end" || data.Result != "all_success" || !*data.Adjust {
				t.Fatalf("allocation: %+v", data)
			}
			data = call("/unipay/sync/allocation", "bizAllocNo", "A0001")
			if data.Code != 0 || data.Status != "allocation_end" || *data.Adjust {
				t.Fatalf("allocation again: %+v", data)
			}
			data = call("/unipay/sync/allocation", "bizAllocationNo", "A9999")
			if data.Code != 1 || data.Msg != "分账单不存在" {
				t.Fatalf("missing allocation: %+v", data)
			}

			// Refunds and transfers: orderStatus is the refund's or the
			// transfer's status after the sync, adjust whether it changed.
			// numbers are pairs of field and value, the first number wins.
			payout := func(path, wantStatus string, wantAdjust bool, numbers ...string) {
				t.Helper()
				data := call(path, numbers...)
				if data.Code != 0 || data.Msg != "" || data.OrderStatus != wantStatus || data.Adjust == nil ||
					*data.Adjust != wantAdjust || data.Status != "" || data.Result != "" {
					t.Fatalf("%s %v: got %+v adjust %s; want %s %v", path, numbers, data, fmtBool(data.Adjust),
						wantStatus, wantAdjust)
				}
			}
			missing := func(path, msg string, numbers ...string) {
				t.Helper()
				data := call(path, numbers...)
				if data.Code != 1 || data.Msg != msg || data.OrderStatus != "" || data.Adjust != nil {
					t.Fatalf("%s %v: got %+v, want data.code 1 %s", path, numbers, data, msg)
				}
			}
			const refund, transfer = "/unipay/sync/refund", "/unipay/sync/transfer"
			payout(refund, "success", true, "refundNo", "3001")
			payout(refund, "success", false, "bizRefundNo", "R0001")
			payout(refund, "close", true, "refundNo", "3002", "bizRefundNo", "R0003") // refundNo wins
			payout(refund, "close", false, "bizRefundNo", "R0002")
			payout(refund, "progress", false, "bizRefundNo", "R0003")
			payout(refund, "progress", false, "refundNo", "3003")
			missing(refund, "退款订单不存在", "refundNo", "3999")
			missing(refund, "退款订单不存在", "bizRefundNo", "R9999")
			missing(refund, "退款订单不存在", "refundNo", "3999", "bizRefundNo", "R0001") // wins, names nothing
			missing(refund, "退款订单不存在", "refundNo", "R0001")                        // a merchant number is not a system one

			payout(transfer, "success", true, "transferNo", "4001")
			payout(transfer, "success", false, "bizTransferNo", "T0001")
			payout(transfer, "fail", true, "transferNo", "4002", "bizTransferNo", "T0001") // transferNo wins
			payout(transfer, "fail", false, "bizTransferNo", "T0002")
			missing(transfer, "转账订单不存在", "transferNo", "4999")
			missing(transfer, "转账订单不存在", "bizTransferNo", "T9999")
			missing(transfer, "转账订单不存在", "transferNo", "4999", "bizTransferNo", "T0001")

			// Refund sync keeps the pay order's books; pay sync leaves an
			// order with refunds alone.
			pay("orderNo", "1005", "success", false)
			p, err := d.store.GetPayOrder(context.Background(), "1005")
			if err != nil {
				t.Fatal(err)
			}
			if !p.RefundedAmount.Equal(decimal.RequireFromString("4.00")) || !p.ReservedAmount.Equal(decimal.RequireFromString("2.00")) ||
				p.RefundStatus != paysync.PayRefunding {
				t.Fatalf("pay order 1005 after the refund syncs: refunded %s reserved %s %s", p.RefundedAmount,
					p.ReservedAmount, p.RefundStatus)
			}
		})
	}
}

// The demo's seeding: pay order 1005 holds its three refunds' 9.00 in
// reserve, the refunds are created by the engine just before now (so no
// not-found grace has passed), and the transfers are in progress.
func TestDemoSeed(t *testing.T) {
	before := time.Now()
	d, err := newDemo(context.Background(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := d.store.GetPayOrder(ctx, "1005")
	if err != nil {
		t.Fatal(err)
	}
	if p.BizOrderNo != "P0005" || p.Status != paysync.PaySuccess || !p.Amount.Equal(decimal.RequireFromString("10.00")) ||
		!p.ReservedAmount.Equal(decimal.RequireFromString("9.00")) || !p.RefundedAmount.IsZero() ||
		p.RefundStatus != paysync.PayRefunding {
		t.Fatalf("pay order 1005: %+v", p)
	}
	for no, want := range map[string]string{"3001": "4.00", "3002": "3.00", "3003": "2.00"} {
		r, err := d.store.GetRefundOrder(ctx, no)
		if err != nil {
			t.Fatal(err)
		}
		if r.OrderNo != "1005" || r.Status != paysync.RefundProgress || !r.Amount.Equal(decimal.RequireFromString(want)) ||
			r.CreatedAt.Before(before) || time.Since(r.CreatedAt) > time.Minute {
			t.Fatalf("refund %s: %+v", no, r)
		}
	}
	for no, want := range map[string]string{"4001": "5.00", "4002": "6.00"} {
		tr, err := d.store.GetTransferOrder(ctx, no)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Status != paysync.TransferProgress || !tr.Amount.Equal(decimal.RequireFromString(want)) ||
			tr.Channel != "demo" || time.Since(tr.CreatedAt) > time.Minute {
			t.Fatalf("transfer %s: %+v", no, tr)
		}
	}
}

func fmtBool(b *bool) string {
	if b == nil {
		return "<nil>"
	}
	return strconv.FormatBool(*b)
}
