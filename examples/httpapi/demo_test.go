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
	"testing"
	"time"

	"github.com/paysync/paysync/examples/httpapi/daxpay"
)

// TestDemoWalkthrough drives the demo data of README.md through the real
// engine over HTTP, both sign types, and checks every answer README shows.
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
			call := func(path, field, no string) daxpay.Data {
				t.Helper()
				nonce++
				body := fmt.Sprintf(`{%q:%q,"clientIp":"127.0.0.1","nonceStr":"n%d","reqTime":%d}`,
					field, no, nonce, time.Now().Unix())
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
		})
	}
}

func fmtBool(b *bool) string {
	if b == nil {
		return "<nil>"
	}
	return strconv.FormatBool(*b)
}
