package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/examples/httpapi/daxpay"
	"github.com/paysync/paysync/repository"
)

// TestPayoutRecordsAndLog drives the refund and transfer endpoints against
// the demo engine: a sync that reaches the channel writes one SyncRecord
// (with the client's IP and source api), a missing order and every refusal
// write none, and each request's log line names the number asked for.
func TestPayoutRecordsAndLog(t *testing.T) {
	for _, ep := range []struct {
		path, no, biz   string
		tt              paysync.TradeType
		known, knownBiz string // an order whose 1st sync changes it
		state           string // its channel state and status after
		missingMsg      string
	}{
		{daxpay.RefundPath, "refundNo", "bizRefundNo", paysync.TradeRefund, "3001", "R0001", "success", "退款订单不存在"},
		{daxpay.TransferPath, "transferNo", "bizTransferNo", paysync.TradeTransfer, "4002", "T0002", "failed", "转账订单不存在"},
	} {
		t.Run(string(ep.tt), func(t *testing.T) {
			var logs syncBuffer
			h := newHostLogging(t, &logs)
			nonce := 0
			// signedAt returns a signed body of fields with a fresh nonce.
			signedAt := func(reqTime time.Time, fields string) string {
				nonce++
				return h.sign(fmt.Sprintf(`{%s,"clientIp":"203.0.113.9","nonceStr":"n%d","reqTime":%d}`,
					fields, nonce, reqTime.Unix()))
			}
			body := func(fields string) string { return signedAt(time.Now(), fields) }
			records := func() []paysync.SyncRecord {
				t.Helper()
				recs, err := h.d.store.ListSyncRecords(context.Background(), repository.RecordFilter{TradeType: ep.tt, TradeNo: ep.known})
				if err != nil {
					t.Fatal(err)
				}
				return recs
			}

			// Two syncs by either number: two records, the first adjusted.
			for i, fields := range []string{fmt.Sprintf(`%q:%q`, ep.no, ep.known), fmt.Sprintf(`%q:%q`, ep.biz, ep.knownBiz)} {
				status, env := h.post(ep.path, body(fields))
				if status != http.StatusOK || env.Code != daxpay.CodeOK || env.Data == nil || env.Data.Code != daxpay.DataOK {
					t.Fatalf("sync %d: %d %+v", i+1, status, env)
				}
				recs := records()
				if len(recs) != i+1 {
					t.Fatalf("after sync %d: %d SyncRecords of %s", i+1, len(recs), ep.known)
				}
				r := recs[i]
				if r.Adjusted != (i == 0) || r.Source != paysync.SourceAPI || r.ClientIP != "203.0.113.9" ||
					r.BizNo != ep.knownBiz || r.ChannelState != ep.state || r.ErrorCode != "" {
					t.Fatalf("SyncRecord %d: %+v", i+1, r)
				}
			}
			total := h.records()
			if total != 2 {
				t.Fatalf("%d SyncRecords in the store, want 2", total)
			}

			// Written nothing: a missing order, and every refusal.
			stale := signedAt(time.Now().Add(-6*time.Minute), fmt.Sprintf(`%q:%q`, ep.no, ep.known))
			replayed := body(fmt.Sprintf(`%q:%q`, ep.biz, ep.knownBiz))
			if _, env := h.post(ep.path, replayed); env.Code != daxpay.CodeOK {
				t.Fatalf("the request to replay: %+v", env)
			}
			total = h.records()
			unsigned := strings.NewReplacer(`"sign":"`, `"sign":"0`).Replace(body(fmt.Sprintf(`%q:%q`, ep.no, ep.known)))
			for _, c := range []struct {
				name, body string
				code       int
				dataMsg    string
			}{
				{"missing order", body(fmt.Sprintf(`%q:"9999"`, ep.no)), daxpay.CodeOK, ep.missingMsg},
				{"missing merchant number", body(fmt.Sprintf(`%q:"X9999"`, ep.biz)), daxpay.CodeOK, ep.missingMsg},
				{"system number wins, names nothing", body(fmt.Sprintf(`%q:"9999",%q:%q`, ep.no, ep.biz, ep.knownBiz)), daxpay.CodeOK, ep.missingMsg},
				{"wrong sign", unsigned, daxpay.CodeSignFailed, ""},
				{"not canonical", body(fmt.Sprintf(`%q:%q,"x":"a=b"`, ep.no, ep.known)), daxpay.CodeInvalid, ""},
				{"stale reqTime", stale, daxpay.CodeInvalid, ""},
				{"replayed nonce", replayed, daxpay.CodeInvalid, ""},
				{"no number", body(`"orderNo":"1005"`), daxpay.CodeInvalid, ""},
			} {
				status, env := h.post(ep.path, c.body)
				if status != http.StatusOK || env.Code != c.code {
					t.Errorf("%s: %d %+v, want code %d", c.name, status, env, c.code)
				}
				if c.dataMsg != "" && (env.Data == nil || env.Data.Code != daxpay.DataFailed || env.Data.Msg != c.dataMsg) {
					t.Errorf("%s: data %+v, want code 1 %s", c.name, env.Data, c.dataMsg)
				}
				if got := h.records(); got != total {
					t.Errorf("%s: SyncRecords %d, want %d", c.name, got, total)
				}
			}

			// The log: one request line each, naming the numbers asked for.
			var lines []map[string]any
			for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatalf("log line %q: %v", l, err)
				}
				if m["msg"] == "request" {
					lines = append(lines, m)
				}
			}
			if len(lines) != 11 {
				t.Fatalf("%d request lines, want 11:\n%s", len(lines), logs.String())
			}
			for _, want := range []struct {
				line   int // in the order the requests were sent
				fields map[string]any
			}{
				{0, map[string]any{ep.no: ep.known, "code": 0.0, "dataCode": 0.0}},
				{1, map[string]any{ep.biz: ep.knownBiz, "code": 0.0, "dataCode": 0.0}},
				{3, map[string]any{ep.no: "9999", "dataCode": 1.0, "reason": ep.missingMsg}},
				{4, map[string]any{ep.biz: "X9999", "dataCode": 1.0, "reason": ep.missingMsg}},
				{5, map[string]any{ep.no: "9999", ep.biz: ep.knownBiz, "dataCode": 1.0}},
				{6, map[string]any{ep.no: ep.known, "code": float64(daxpay.CodeSignFailed)}},
				{8, map[string]any{ep.no: ep.known, "code": float64(daxpay.CodeInvalid)}},
			} {
				line := lines[want.line]
				if line["endpoint"] != ep.path {
					t.Errorf("line %d %v: endpoint %v", want.line, line, line["endpoint"])
				}
				for k, v := range want.fields {
					if line[k] != v {
						t.Errorf("line %d %v: %s = %v, want %v", want.line, line, k, line[k], v)
					}
				}
			}
		})
	}
}
