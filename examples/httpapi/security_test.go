package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync/examples/httpapi/daxpay"
	"github.com/paysync/paysync/repository"
)

// The attacks of issue 12 §1, each against the demo engine behind the real
// handler. Every one must be refused with its documented code and leave the
// store without a new SyncRecord: a refusal that still synced would be no
// refusal.

// host is the demo engine behind a daxpay Handler, called in-process.
type host struct {
	t      *testing.T
	h      http.Handler
	d      *demo
	signer daxpay.Signer
}

func newHost(t *testing.T) *host {
	t.Helper()
	return newHostLogging(t, io.Discard)
}

// newHostLogging is newHost with the handler's and engine's log lines, as
// JSON, written to w.
func newHostLogging(t *testing.T, w io.Writer) *host {
	t.Helper()
	logger := slog.New(slog.NewJSONHandler(w, nil))
	d, err := newDemo(context.Background(), logger)
	if err != nil {
		t.Fatal(err)
	}
	h, err := daxpay.NewHandler(d.engine, daxpay.Config{Secret: "123456", Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	return &host{t: t, h: h, d: d, signer: daxpay.Signer{Type: daxpay.HMACSHA256, Secret: "123456"}}
}

// sign returns body with a correct sign field; "%d" in body is now's reqTime.
func (h *host) sign(body string) string {
	h.t.Helper()
	if strings.Contains(body, "%d") {
		body = fmt.Sprintf(body, time.Now().Unix())
	}
	b, err := h.signer.SignBody([]byte(body))
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

func (h *host) post(path, body string) (int, daxpay.Envelope) {
	h.t.Helper()
	return h.do(httptest.NewRequest(http.MethodPost, path, strings.NewReader(body)))
}

func (h *host) do(req *http.Request) (int, daxpay.Envelope) {
	h.t.Helper()
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	var env daxpay.Envelope
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		h.t.Fatalf("answer is not an envelope: %v\n%s", err, rec.Body.Bytes())
	}
	return rec.Code, env
}

// records returns how many SyncRecords the demo store holds.
func (h *host) records() int {
	h.t.Helper()
	recs, err := h.d.store.ListSyncRecords(context.Background(), repository.RecordFilter{})
	if err != nil {
		h.t.Fatal(err)
	}
	return len(recs)
}

// signedString returns what the DaxPay rule digests for body, read by the
// plain decoder (no canonical-form rules), without the secret.
func signedString(t *testing.T, body string) string {
	t.Helper()
	o, err := daxpay.DecodeObject([]byte(body))
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	return daxpay.Canonical(o.Fields(), "")
}

// TestSignedStringAttacks: a forged body that shares its signed string with
// a request the client really signed is refused with 10006 before the
// engine runs.
func TestSignedStringAttacks(t *testing.T) {
	tests := []struct {
		name  string
		path  string
		body  string                     // what the client signed; %d is reqTime
		sent  bool                       // the client's own request went first, and synced
		forge func(signed string) string // the attacker's body, from the captured one
	}{
		{name: `replay with nonceStr renamed nonce"Str`, path: daxpay.PayPath, sent: true,
			body:  `{"bizOrderNo":"P0002","nonceStr":"abc123","reqTime":%d}`,
			forge: replace(`"nonceStr"`, `"nonce\"Str"`)},
		{name: `replay with nonceStr renamed nonceStr\`, path: daxpay.PayPath, sent: true,
			body:  `{"bizOrderNo":"P0002","nonceStr":"abc123","reqTime":%d}`,
			forge: replace(`"nonceStr"`, `"nonceStr\\"`)},
		{name: `replay with a " added to the nonce`, path: daxpay.PayPath, sent: true,
			body:  `{"bizOrderNo":"P0002","nonceStr":"abc123","reqTime":%d}`,
			forge: replace(`"abc123"`, `"abc\"123"`)},
		{name: `replay with a \ added to the nonce`, path: daxpay.PayPath, sent: true,
			body:  `{"bizOrderNo":"P0002","nonceStr":"abc123","reqTime":%d}`,
			forge: replace(`"abc123"`, `"abc123\\"`)},
		{name: `replay on the allocation endpoint with nonceStr renamed`, path: daxpay.AllocationPath, sent: true,
			body:  `{"allocationNo":"2001","nonceStr":"abc123","reqTime":%d}`,
			forge: replace(`"nonceStr"`, `"nonce\"Str"`)},
		{name: `orderNo renamed order"No, to sync the bizOrderNo order instead`, path: daxpay.PayPath,
			body:  `{"bizOrderNo":"P0001","orderNo":"1002","reqTime":%d}`,
			forge: replace(`"orderNo"`, `"order\"No"`)},
		{name: `allocationNo renamed, to sync the bizAllocationNo order instead`, path: daxpay.AllocationPath,
			body:  `{"allocationNo":"2999","bizAllocationNo":"A0001","reqTime":%d}`,
			forge: replace(`"allocationNo"`, `"allocation\\No"`)},
		{name: `nonce folded into bizOrderNo`, path: daxpay.PayPath, sent: true,
			body: `{"bizOrderNo":"P0001","nonceStr":"abc123","reqTime":%d}`,
			forge: func(s string) string {
				return replace(`"nonceStr":"abc123",`, ``)(replace(`"P0001"`, `"P0001&nonceStr=abc123"`)(s))
			}},
		{name: `replay on the refund endpoint with nonceStr renamed nonce"Str`, path: daxpay.RefundPath, sent: true,
			body:  `{"refundNo":"3003","nonceStr":"abc123","reqTime":%d}`,
			forge: replace(`"nonceStr"`, `"nonce\"Str"`)},
		{name: `replay on the transfer endpoint with a \ added to the nonce`, path: daxpay.TransferPath, sent: true,
			body:  `{"transferNo":"4001","nonceStr":"abc123","reqTime":%d}`,
			forge: replace(`"abc123"`, `"abc123\\"`)},
		{name: `refundNo renamed refund"No, to sync the bizRefundNo refund instead`, path: daxpay.RefundPath,
			body:  `{"bizRefundNo":"R0001","refundNo":"3003","reqTime":%d}`,
			forge: replace(`"refundNo"`, `"refund\"No"`)},
		{name: `transferNo renamed, to sync the bizTransferNo transfer instead`, path: daxpay.TransferPath,
			body:  `{"bizTransferNo":"T0001","transferNo":"4002","reqTime":%d}`,
			forge: replace(`"transferNo"`, `"transfer\\No"`)},
		{name: `nonce folded into bizTransferNo`, path: daxpay.TransferPath, sent: true,
			body: `{"bizTransferNo":"T0002","nonceStr":"abc123","reqTime":%d}`,
			forge: func(s string) string {
				return replace(`"nonceStr":"abc123",`, ``)(replace(`"T0002"`, `"T0002&nonceStr=abc123"`)(s))
			}},
		{name: `nonce folded into an unknown field`, path: daxpay.PayPath, sent: true,
			body: `{"bizOrderNo":"P0002","mchNo":"M1","nonceStr":"abc123","reqTime":%d}`,
			forge: func(s string) string {
				return replace(`"nonceStr":"abc123",`, ``)(replace(`"M1"`, `"M1&nonceStr=abc123"`)(s))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHost(t)
			signed := h.sign(tt.body)
			forged := tt.forge(signed)
			if forged == signed || signedString(t, forged) != signedString(t, signed) {
				t.Fatalf("the forgery does not keep the signed string:\n%s\n%s", signed, forged)
			}
			want := 0
			if tt.sent {
				status, env := h.post(tt.path, signed)
				if status != http.StatusOK || env.Code != daxpay.CodeOK || env.Data == nil || env.Data.Code != daxpay.DataOK {
					t.Fatalf("the client's own request: %d %+v", status, env)
				}
				want = 1
			}
			if got := h.records(); got != want {
				t.Fatalf("SyncRecords before the attack = %d, want %d", got, want)
			}
			status, env := h.post(tt.path, forged)
			if status != http.StatusOK || env.Code != daxpay.CodeInvalid || env.Data != nil {
				t.Errorf("forged body answered %d %+v, want code %d and no data", status, env, daxpay.CodeInvalid)
			}
			if got := h.records(); got != want {
				t.Errorf("SyncRecords after the attack = %d, want %d: the forged body was synced", got, want)
			}
		})
	}
}

// replace returns a forgery that replaces the first old with new.
func replace(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}

// TestReqTimeFarFuture: a reqTime near or past 2^63 seconds is in the
// future, and is refused as such — not as expired, which is what a wrapped
// time.Unix made of it.
func TestReqTimeFarFuture(t *testing.T) {
	const ahead = "请求时间晚于服务器接收到的时间，请检查"
	tests := []struct{ reqTime, msg string }{
		{`9223372036854775807`, ahead},
		{`9223372036854775000`, ahead},
		{`9223372036000000000`, ahead},
		{`"9223372036854775807"`, ahead},
		{`99999999999999999999`, ahead},
		{`-9223372036854775808`, "请求已过期，请重新发送！"},
	}
	for _, tt := range tests {
		t.Run(tt.reqTime, func(t *testing.T) {
			h := newHost(t)
			status, env := h.post(daxpay.PayPath, h.sign(`{"orderNo":"1001","reqTime":`+tt.reqTime+`}`))
			if status != http.StatusOK || env.Code != daxpay.CodeInvalid || env.Msg != tt.msg || env.Data != nil {
				t.Errorf("got %d %+v, want code %d %q", status, env, daxpay.CodeInvalid, tt.msg)
			}
			if got := h.records(); got != 0 {
				t.Errorf("SyncRecords = %d, want 0", got)
			}
		})
	}
}

// countingReader counts the bytes a handler read from a body.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// manyKeys returns an unsigned JSON object of about size bytes made of
// short distinct keys: the body that cost the old host ~26 MB to refuse.
func manyKeys(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"orderNo":"1001","reqTime":1`)
	for i := 0; b.Len() < size-16; i++ {
		fmt.Fprintf(&b, `,"k%d":0`, i)
	}
	b.WriteByte('}')
	return []byte(b.String())
}

// TestLargeUnsignedBody: a ~1 MiB unsigned body of ~90k keys is refused
// with HTTP 413 / 10005, and the handler reads no more than the 64 KiB cap
// (none at all when Content-Length already says it is too big).
func TestLargeUnsignedBody(t *testing.T) {
	body := manyKeys(1<<20 - 64)
	if n := strings.Count(string(body), `":`); n < 80_000 {
		t.Fatalf("the body has only %d keys", n)
	}
	for _, tt := range []struct {
		name     string
		length   int64 // Content-Length; -1 = unknown (chunked)
		maxRead  int64
		wantRead string
	}{
		{"with Content-Length", int64(len(body)), 0, "nothing"},
		{"chunked", -1, 64<<10 + 4<<10, "at most the cap and a buffer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHost(t)
			cr := &countingReader{r: strings.NewReader(string(body))}
			req := httptest.NewRequest(http.MethodPost, daxpay.PayPath, cr)
			req.ContentLength = tt.length
			status, env := h.do(req)
			if status != http.StatusRequestEntityTooLarge || env.Code != daxpay.CodeMalformed || env.Data != nil {
				t.Errorf("got %d %+v, want 413 and code %d", status, env, daxpay.CodeMalformed)
			}
			if cr.n > tt.maxRead {
				t.Errorf("the handler read %d bytes, want %s (≤ %d)", cr.n, tt.wantRead, tt.maxRead)
			}
			if got := h.records(); got != 0 {
				t.Errorf("SyncRecords = %d, want 0", got)
			}
		})
	}
}
