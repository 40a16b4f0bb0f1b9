package daxpay

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/syncer"
)

// Every request is logged once, with endpoint, client address, the order
// numbers asked for, outcome and duration — never the secret, the sign or
// the body.
func TestRequestLog(t *testing.T) {
	const (
		secret = "s3cr3t-never-logged"
		mark   = "BodyTextNeverLogged"
		client = "198.51.100.7:4321"
	)
	payBody := `{"orderNo":"1001","bizOrderNo":"P0001","clientIp":"10.1.2.3","mark":"` + mark + `","reqTime":1715500231}`
	tests := []struct {
		name   string
		setup  func(f *fixture) *http.Request
		level  string
		want   map[string]any // fields the line must have, JSON-decoded
		absent []string       // fields it must not have
	}{
		{name: "pay synced", level: "INFO",
			setup: func(f *fixture) *http.Request {
				f.eng.pay = syncer.PayOutcome{OrderStatus: paysync.PaySuccess}
				return httptest.NewRequest(http.MethodPost, PayPath, strings.NewReader(f.sign(payBody)))
			},
			want: map[string]any{"endpoint": PayPath, "method": "POST", "client": client, "orderNo": "1001",
				"bizOrderNo": "P0001", "status": 200.0, "code": 0.0, "dataCode": 0.0},
			absent: []string{"reason", "err"}},
		{name: "wrong sign", level: "INFO",
			setup: func(f *fixture) *http.Request {
				other := Signer{Type: HMACSHA256, Secret: "other"}
				b, _ := other.SignBody([]byte(payBody))
				return httptest.NewRequest(http.MethodPost, PayPath, bytes.NewReader(b))
			},
			want: map[string]any{"endpoint": PayPath, "client": client, "orderNo": "1001", "status": 200.0,
				"code": float64(CodeSignFailed), "reason": "验签失败"},
			absent: []string{"dataCode"}},
		{name: "malformed body", level: "INFO",
			setup: func(f *fixture) *http.Request {
				return httptest.NewRequest(http.MethodPost, PayPath, strings.NewReader(`{"orderNo":"1001","x":{"mark":"`+mark+`"}}`))
			},
			want:   map[string]any{"endpoint": PayPath, "client": client, "code": float64(CodeMalformed)},
			absent: []string{"orderNo"}},
		{name: "allocation with anomalies", level: "WARN",
			setup: func(f *fixture) *http.Request {
				f.eng.alloc = syncer.AllocationOutcome{Status: paysync.AllocEnd, Result: paysync.AllocAllSuccess,
					Anomalies: []paysync.AnomalyCode{paysync.AnomalyAmountMismatch}}
				return httptest.NewRequest(http.MethodPost, AllocationPath,
					strings.NewReader(f.sign(`{"allocNo":"2001","reqTime":1715500231}`)))
			},
			want: map[string]any{"endpoint": AllocationPath, "allocationNo": "2001", "code": 0.0, "dataCode": 0.0,
				"anomalies": []any{"amount_mismatch"}}},
		{name: "refund synced", level: "INFO",
			setup: func(f *fixture) *http.Request {
				f.eng.refund = syncer.RefundOutcome{Status: paysync.RefundSuccess, Adjusted: true}
				return httptest.NewRequest(http.MethodPost, RefundPath, strings.NewReader(
					f.sign(`{"refundNo":"3001","bizRefundNo":"R0001","mark":"`+mark+`","reqTime":1715500231}`)))
			},
			want: map[string]any{"endpoint": RefundPath, "method": "POST", "client": client, "refundNo": "3001",
				"bizRefundNo": "R0001", "status": 200.0, "code": 0.0, "dataCode": 0.0},
			absent: []string{"reason", "err", "orderNo"}},
		{name: "refund with a wrong sign", level: "INFO",
			setup: func(f *fixture) *http.Request {
				other := Signer{Type: HMACSHA256, Secret: "other"}
				b, _ := other.SignBody([]byte(`{"bizRefundNo":"R0001","reqTime":1715500231}`))
				return httptest.NewRequest(http.MethodPost, RefundPath, bytes.NewReader(b))
			},
			want: map[string]any{"endpoint": RefundPath, "bizRefundNo": "R0001", "code": float64(CodeSignFailed),
				"reason": "验签失败"},
			absent: []string{"refundNo", "dataCode"}},
		{name: "transfer not found", level: "INFO",
			setup: func(f *fixture) *http.Request {
				f.eng.transferErr = paysync.E("syncer.SyncTransfer", paysync.ErrTransferNotFound, nil)
				return httptest.NewRequest(http.MethodPost, TransferPath, strings.NewReader(
					f.sign(`{"bizTransferNo":"T9999","reqTime":1715500231}`)))
			},
			want: map[string]any{"endpoint": TransferPath, "bizTransferNo": "T9999", "code": 0.0, "dataCode": 1.0,
				"reason": "转账订单不存在"},
			absent: []string{"transferNo", "err"}},
		{name: "transfer with anomalies", level: "WARN",
			setup: func(f *fixture) *http.Request {
				f.eng.transfer = syncer.TransferOutcome{Status: paysync.TransferProgress,
					Anomalies: []paysync.AnomalyCode{paysync.AnomalyTransferNotAtChannel}}
				return httptest.NewRequest(http.MethodPost, TransferPath, strings.NewReader(
					f.sign(`{"transferNo":"4001","reqTime":1715500231}`)))
			},
			want: map[string]any{"endpoint": TransferPath, "transferNo": "4001", "code": 0.0, "dataCode": 0.0,
				"anomalies": []any{"transfer_not_at_channel"}}},
		{name: "internal error", level: "ERROR",
			setup: func(f *fixture) *http.Request {
				f.eng.payErr = errors.New("disk full")
				return httptest.NewRequest(http.MethodPost, PayPath, strings.NewReader(f.sign(payBody)))
			},
			want: map[string]any{"orderNo": "1001", "code": 0.0, "dataCode": 1.0, "reason": "internal error", "err": "disk full"}},
		{name: "unknown path", level: "INFO",
			setup: func(f *fixture) *http.Request {
				return httptest.NewRequest(http.MethodPost, "/unipay/sync/close", strings.NewReader(f.sign(payBody)))
			},
			want:   map[string]any{"endpoint": "/unipay/sync/close", "client": client, "status": 404.0},
			absent: []string{"code", "orderNo", "traceId"}},
		{name: "wrong method", level: "INFO",
			setup: func(f *fixture) *http.Request {
				return httptest.NewRequest(http.MethodGet, PayPath, nil)
			},
			want: map[string]any{"endpoint": PayPath, "method": "GET", "status": 405.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			f := newFixture(t, func(c *Config) {
				c.Secret = secret
				c.Logger = slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			})
			req := tt.setup(f)
			req.RemoteAddr = client
			sign := signOf(t, req)
			r := f.do(req)

			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if len(lines) != 1 {
				t.Fatalf("%d log lines, want 1:\n%s", len(lines), buf.String())
			}
			var line map[string]any
			if err := json.Unmarshal([]byte(lines[0]), &line); err != nil {
				t.Fatal(err)
			}
			if line["level"] != tt.level || line["msg"] != "request" {
				t.Errorf("level %v msg %v, want %s request", line["level"], line["msg"], tt.level)
			}
			for k, v := range tt.want {
				gb, _ := json.Marshal(line[k])
				wb, _ := json.Marshal(v)
				if !bytes.Equal(gb, wb) {
					t.Errorf("%s = %s, want %s", k, gb, wb)
				}
			}
			for _, k := range tt.absent {
				if _, ok := line[k]; ok {
					t.Errorf("line has %s: %s", k, lines[0])
				}
			}
			if d, ok := line["duration"].(float64); !ok || d < 0 {
				t.Errorf("duration = %v", line["duration"])
			}
			if trace := r.header.Get("X-Trace-Id"); trace != "" && line["traceId"] != trace {
				t.Errorf("traceId = %v, want %s", line["traceId"], trace)
			}
			for _, never := range []string{secret, mark, sign} {
				if never != "" && strings.Contains(buf.String(), never) {
					t.Errorf("the log holds %q:\n%s", never, buf.String())
				}
			}
		})
	}
}

// signOf returns the sign field of req's body, leaving the body readable.
func signOf(t *testing.T, req *http.Request) string {
	t.Helper()
	if req.Body == nil {
		return ""
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(req.Body); err != nil {
		t.Fatal(err)
	}
	req.Body = http.NoBody
	if b.Len() > 0 {
		req.Body = readCloser{bytes.NewReader(b.Bytes())}
	}
	o, err := DecodeObject(b.Bytes())
	if err != nil {
		return ""
	}
	sign, _ := o.Text("sign")
	return sign
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
