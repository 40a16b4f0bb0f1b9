package daxpay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/syncer"
)

const vectorPay = `{"bizOrderNo":"P0001","clientIp":"127.0.0.1","nonceStr":"abc123","reqTime":1715500231}`

func TestSyncPaySuccess(t *testing.T) {
	for _, typ := range []SignType{HMACSHA256, MD5} {
		t.Run(string(typ), func(t *testing.T) {
			f := newFixture(t, func(c *Config) { c.SignType = typ })
			f.eng.pay = syncer.PayOutcome{OrderStatus: paysync.PaySuccess, Adjusted: true, ChannelState: channel.PaySuccess}
			body := f.sign(vectorPay)
			want := map[SignType]string{HMACSHA256: vectors[0].hmac, MD5: vectors[0].md5}[typ]
			if !strings.Contains(body, `"sign":"`+want+`"`) {
				t.Fatalf("body not signed with the §9 vector: %s", body)
			}
			r := f.post(PayPath, body)
			d := f.wantData(r, DataOK, "")
			if d.OrderStatus != "success" || d.Adjust == nil || !*d.Adjust {
				t.Fatalf("data = %+v", *d)
			}
			wantReq := syncer.PayRequest{BizOrderNo: "P0001", ClientIP: "127.0.0.1", Source: paysync.SourceAPI}
			if len(f.eng.payReqs) != 1 || f.eng.payReqs[0] != wantReq {
				t.Fatalf("engine got %+v, want %+v", f.eng.payReqs, wantReq)
			}
			if f.eng.noDeadlines != 0 {
				t.Fatal("engine ctx has no deadline")
			}
		})
	}
}

// adjust=false is written, not left out: the seed marks it required.
func TestSyncPayAdjustFalse(t *testing.T) {
	f := newFixture(t, nil)
	f.eng.pay = syncer.PayOutcome{OrderStatus: paysync.PayProgress}
	r := f.post(PayPath, f.sign(`{"orderNo":"1002","reqTime":1715500231}`))
	f.wantData(r, DataOK, "")
	if !strings.Contains(string(r.raw), `"orderStatus":"progress","adjust":false`) {
		t.Fatalf("answer = %s", r.raw)
	}
	if got := f.eng.payReqs[0]; got.OrderNo != "1002" || got.ClientIP != "" {
		t.Fatalf("engine got %+v", got)
	}
}

func TestSyncAllocationSuccess(t *testing.T) {
	tests := []struct {
		name, body string
		want       syncer.AllocationRequest
	}{
		{"seed names", `{"allocationNo":"2001","bizAllocationNo":"A0001","clientIp":"::1","reqTime":1715500231}`,
			syncer.AllocationRequest{AllocationNo: "2001", BizAllocationNo: "A0001", ClientIP: "::1", Source: paysync.SourceAPI}},
		{"SDK names", `{"allocNo":"2001","bizAllocNo":"A0001","reqTime":1715500231}`,
			syncer.AllocationRequest{AllocationNo: "2001", BizAllocationNo: "A0001", Source: paysync.SourceAPI}},
		{"biz only", `{"bizAllocNo":"A0001","reqTime":"1715500231"}`,
			syncer.AllocationRequest{BizAllocationNo: "A0001", Source: paysync.SourceAPI}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.eng.alloc = syncer.AllocationOutcome{Status: paysync.AllocEnd, Result: paysync.AllocAllSuccess, Adjusted: true}
			r := f.post(AllocationPath, f.sign(tt.body))
			d := f.wantData(r, DataOK, "")
			if d.Status != "allocation_end" || d.Result != "all_success" || d.Adjust == nil || !*d.Adjust || d.OrderStatus != "" {
				t.Fatalf("data = %+v", *d)
			}
			if len(f.eng.allocReqs) != 1 || f.eng.allocReqs[0] != tt.want {
				t.Fatalf("engine got %+v, want %+v", f.eng.allocReqs, tt.want)
			}
		})
	}
}

// The §9 allocation vector, end to end.
func TestSyncAllocationVector(t *testing.T) {
	f := newFixture(t, nil)
	f.clk.Add(1718000000*time.Second - vectorTime*time.Second)
	f.eng.alloc = syncer.AllocationOutcome{Status: paysync.AllocProcessing, Result: paysync.AllocAllPending}
	body := `{"allocNo":"A2024061200001","reqTime":1718000000,"sign":"` + vectors[1].hmac + `"}`
	d := f.wantData(f.post(AllocationPath, body), DataOK, "")
	if d.Status != "allocation_processing" || d.Result != "all_pending" || *d.Adjust {
		t.Fatalf("data = %+v", *d)
	}
}

// The refund and transfer endpoints pass both numbers and the clientIp to
// the engine with source api, and answer the status after the sync as
// orderStatus with adjust (false written, not left out), signed by the
// configured rule.
func TestSyncRefundTransfer(t *testing.T) {
	tests := []struct {
		name, path, body string
		adjusted         bool
		status           string
		check            func(t *testing.T, e *fakeEngine)
	}{
		{"refund by both numbers", RefundPath, `{"refundNo":"3001","bizRefundNo":"R0002","clientIp":"127.0.0.1","nonceStr":"n1","reqTime":1715500231}`,
			true, "success", func(t *testing.T, e *fakeEngine) {
				want := syncer.RefundRequest{RefundNo: "3001", BizRefundNo: "R0002", ClientIP: "127.0.0.1", Source: paysync.SourceAPI}
				if len(e.refundReqs) != 1 || e.refundReqs[0] != want {
					t.Fatalf("engine got %+v, want %+v", e.refundReqs, want)
				}
			}},
		{"refund by merchant number", RefundPath, `{"bizRefundNo":"R0003","reqTime":"1715500231"}`,
			false, "progress", func(t *testing.T, e *fakeEngine) {
				want := syncer.RefundRequest{BizRefundNo: "R0003", Source: paysync.SourceAPI}
				if len(e.refundReqs) != 1 || e.refundReqs[0] != want {
					t.Fatalf("engine got %+v, want %+v", e.refundReqs, want)
				}
			}},
		{"transfer by both numbers", TransferPath, `{"transferNo":"4001","bizTransferNo":"T0002","clientIp":"::1","reqTime":1715500231}`,
			true, "fail", func(t *testing.T, e *fakeEngine) {
				want := syncer.TransferRequest{TransferNo: "4001", BizTransferNo: "T0002", ClientIP: "::1", Source: paysync.SourceAPI}
				if len(e.transReqs) != 1 || e.transReqs[0] != want {
					t.Fatalf("engine got %+v, want %+v", e.transReqs, want)
				}
			}},
		{"transfer by merchant number", TransferPath, `{"bizTransferNo":"T0001","reqTime":"2024-05-12 15:50:31"}`,
			false, "success", func(t *testing.T, e *fakeEngine) {
				want := syncer.TransferRequest{BizTransferNo: "T0001", Source: paysync.SourceAPI}
				if len(e.transReqs) != 1 || e.transReqs[0] != want {
					t.Fatalf("engine got %+v, want %+v", e.transReqs, want)
				}
			}},
	}
	for _, typ := range []SignType{HMACSHA256, MD5} {
		for _, tt := range tests {
			t.Run(string(typ)+"/"+tt.name, func(t *testing.T) {
				f := newFixture(t, func(c *Config) { c.SignType = typ })
				f.eng.refund = syncer.RefundOutcome{Status: paysync.RefundOrderStatus(tt.status), Adjusted: tt.adjusted}
				f.eng.transfer = syncer.TransferOutcome{Status: paysync.TransferStatus(tt.status), Adjusted: tt.adjusted}
				r := f.post(tt.path, f.sign(tt.body))
				d := f.wantData(r, DataOK, "")
				if d.OrderStatus != tt.status || d.Adjust == nil || *d.Adjust != tt.adjusted || d.Status != "" || d.Result != "" {
					t.Fatalf("data = %+v", *d)
				}
				want := fmt.Sprintf(`"orderStatus":%q,"adjust":%t`, tt.status, tt.adjusted)
				if !strings.Contains(string(r.raw), want) {
					t.Fatalf("answer %s lacks %s", r.raw, want)
				}
				tt.check(t, f.eng)
				if f.eng.calls() != 1 || f.eng.noDeadlines != 0 {
					t.Fatalf("engine calls = %d, without a deadline = %d", f.eng.calls(), f.eng.noDeadlines)
				}
			})
		}
	}
}

// Every refusal of the pay endpoint applies to the refund and transfer
// endpoints, before the engine: a sample of each kind — the sign (20052),
// canonical form (10006, or 10005 for a body that is not flat), the
// reqTime window, a replayed nonce (also one first used on another
// endpoint), a malformed and an oversized body.
func TestRefundTransferRefusals(t *testing.T) {
	const (
		expired = "请求已过期，请重新发送！"
		ahead   = "请求时间晚于服务器接收到的时间，请检查"
		replay  = "nonceStr 已使用，请勿重复请求"
	)
	md5 := Signer{Type: MD5, Secret: "123456"}
	other := Signer{Type: HMACSHA256, Secret: "654321"}
	tests := []struct {
		name string
		// body returns what is sent, given the endpoint's system and merchant
		// number fields and the fixture (to sign, or to use up a nonce). In
		// msg, refundNo and bizRefundNo stand for the endpoint's fields.
		body func(f *fixture, no, biz string) string
		code int
		msg  string // "" = any message
	}{
		{"sign missing", func(f *fixture, no, biz string) string {
			return `{"` + no + `":"1","reqTime":1715500231}`
		}, CodeSignFailed, "验签失败"},
		{"sign by another secret", func(f *fixture, no, biz string) string {
			b, _ := other.SignBody([]byte(`{"` + no + `":"1","reqTime":1715500231}`))
			return string(b)
		}, CodeSignFailed, "验签失败"},
		{"MD5 sign, HMAC server", func(f *fixture, no, biz string) string {
			b, _ := md5.SignBody([]byte(`{"` + no + `":"1","reqTime":1715500231}`))
			return string(b)
		}, CodeSignFailed, "验签失败"},
		{"number changed after signing", func(f *fixture, no, biz string) string {
			return strings.Replace(f.sign(`{"`+no+`":"1","reqTime":1715500231}`), `"1"`, `"2"`, 1)
		}, CodeSignFailed, "验签失败"},
		{"system number added after signing", func(f *fixture, no, biz string) string {
			return strings.Replace(f.sign(`{"`+biz+`":"B1","reqTime":1715500231}`), `{`, `{"`+no+`":"1",`, 1)
		}, CodeSignFailed, "验签失败"},
		{`system number renamed with a ", to sync the merchant number's order`, func(f *fixture, no, biz string) string {
			signed := f.sign(`{"` + biz + `":"B1","` + no + `":"1","reqTime":1715500231}`)
			return strings.Replace(signed, `"`+no+`"`, `"`+no[:3]+`\"`+no[3:]+`"`, 1)
		}, CodeInvalid, ""},
		{"nonce folded into the merchant number", func(f *fixture, no, biz string) string {
			return f.sign(`{"` + biz + `":"B1&nonceStr=n9","reqTime":1715500231}`)
		}, CodeInvalid, `bizRefundNo holds a character the signature cannot bind (" \ & = or a control character)`},
		{"= in the system number", func(f *fixture, no, biz string) string {
			return f.sign(`{"` + no + `":"1\u003d2","reqTime":1715500231}`)
		}, CodeInvalid, `refundNo holds a character the signature cannot bind (" \ & = or a control character)`},
		{"object value", func(f *fixture, no, biz string) string {
			return f.sign(`{"` + no + `":{"n":"1"},"reqTime":1715500231}`)
		}, CodeMalformed, ""},
		{"not JSON", func(f *fixture, no, biz string) string { return no + "=1" }, CodeMalformed, ""},
		{"reqTime 5 min 1 s old", func(f *fixture, no, biz string) string {
			return f.sign(`{"` + no + `":"1","reqTime":1715499930}`)
		}, CodeInvalid, expired},
		{"reqTime 5 min 1 s ahead", func(f *fixture, no, biz string) string {
			return f.sign(`{"` + no + `":"1","reqTime":1715500532}`)
		}, CodeInvalid, ahead},
		{"nonce used on pay", func(f *fixture, no, biz string) string {
			f.wantData(f.post(PayPath, f.sign(`{"orderNo":"1","nonceStr":"n1","reqTime":1715500231}`)), DataOK, "")
			return f.sign(`{"` + no + `":"1","nonceStr":"n1","reqTime":1715500231}`)
		}, CodeInvalid, replay},
	}
	for _, ep := range []struct{ path, no, biz string }{
		{RefundPath, "refundNo", "bizRefundNo"},
		{TransferPath, "transferNo", "bizTransferNo"},
	} {
		for _, tt := range tests {
			t.Run(ep.no+"/"+tt.name, func(t *testing.T) {
				f := newFixture(t, nil)
				body := tt.body(f, ep.no, ep.biz)
				before := f.eng.calls()
				r := f.post(ep.path, body)
				msg := strings.NewReplacer("bizRefundNo", ep.biz, "refundNo", ep.no).Replace(tt.msg)
				if tt.code == CodeMalformed {
					if r.env.Code != CodeMalformed || r.env.Data != nil || !strings.HasPrefix(r.env.Msg, "请求体无法解析") {
						t.Fatalf("got %d %s, want code %d", r.status, r.raw, CodeMalformed)
					}
				} else if msg != "" {
					f.wantTop(r, tt.code, msg)
				} else if r.status != http.StatusOK || r.env.Code != tt.code || r.env.Data != nil {
					t.Fatalf("got %d %s, want code %d", r.status, r.raw, tt.code)
				}
				if f.eng.calls() != before {
					t.Fatal("engine called")
				}
			})
		}
		t.Run(ep.no+"/replayed", func(t *testing.T) {
			f := newFixture(t, nil)
			body := f.sign(`{"` + ep.no + `":"1","nonceStr":"n1","reqTime":1715500231}`)
			f.wantData(f.post(ep.path, body), DataOK, "")
			f.wantTop(f.post(ep.path, body), CodeInvalid, replay)
			// and on pay: one cache for every endpoint
			f.wantTop(f.post(PayPath, f.sign(`{"orderNo":"1","nonceStr":"n1","reqTime":1715500231}`)), CodeInvalid, replay)
			if f.eng.calls() != 1 {
				t.Fatalf("engine calls = %d, want 1", f.eng.calls())
			}
		})
		t.Run(ep.no+"/over 64 KiB", func(t *testing.T) {
			f := newFixture(t, nil)
			r := f.post(ep.path, `{"`+ep.no+`":"1","pad":"`+strings.Repeat("x", DefaultMaxBodyBytes)+`","reqTime":1715500231}`)
			if r.status != http.StatusRequestEntityTooLarge || r.env.Code != CodeMalformed || f.eng.calls() != 0 {
				t.Fatalf("got %d %s, engine calls %d", r.status, r.raw, f.eng.calls())
			}
		})
	}
}

func TestEngineErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		top  int    // 0: a business answer
		msg  string // envelope msg when top != 0, else data.msg
	}{
		{name: "invalid", err: paysync.E("syncer.SyncPay", paysync.ErrInvalidRequest, nil), top: CodeInvalid, msg: "invalid request"},
		{name: "busy", err: paysync.E("syncer.SyncPay", paysync.ErrSyncInProgress, nil), top: CodeBusy, msg: "sync in progress"},
		{name: "pay order not found", err: paysync.E("syncer.SyncPay", paysync.ErrOrderNotFound, nil), msg: "支付订单不存在"},
		{name: "allocation not found", err: paysync.E("syncer.SyncAllocation", paysync.ErrAllocationNotFound, nil), msg: "分账单不存在"},
		{name: "refund not found", err: paysync.E("syncer.SyncRefund", paysync.ErrRefundNotFound, nil), msg: "退款订单不存在"},
		{name: "transfer not found", err: paysync.E("syncer.SyncTransfer", paysync.ErrTransferNotFound, nil), msg: "转账订单不存在"},
		{name: "refund's pay order busy", err: paysync.E("syncer.SyncRefund", paysync.ErrSyncInProgress, nil), top: CodeBusy, msg: "sync in progress"},
		{name: "state", err: paysync.E("syncer.SyncPay", paysync.ErrOrderNotStarted, nil), msg: "order not sent to a channel yet"},
		{name: "unavailable", err: paysync.E("syncer.SyncPay", paysync.ErrChannelUnavailable, context.DeadlineExceeded), msg: "channel unavailable"},
		{name: "unsupported", err: paysync.E("syncer.SyncAllocation", paysync.ErrUnsupported, nil), msg: "channel does not support this operation"},
		{name: "conflict", err: paysync.E("syncer.SyncPay", paysync.ErrVersionConflict, nil), top: CodeBusy, msg: "version conflict"},
		{name: "canceled", err: paysync.E("syncer.SyncPay", paysync.ErrCanceled, context.Canceled), msg: "canceled"},
		{name: "canceled at the deadline", err: paysync.E("syncer.SyncAllocation", paysync.ErrCanceled, context.DeadlineExceeded), msg: "canceled"},
		{name: "internal", err: paysync.E("syncer.SyncPay", paysync.ErrInternal, errors.New("disk full")), msg: "internal error"},
		{name: "not a paysync error", err: errors.New("boom"), msg: "internal error"},
		{name: "wrapped", err: fmt.Errorf("host: %w", paysync.E("syncer.SyncPay", paysync.ErrSyncInProgress, nil)), top: CodeBusy, msg: "sync in progress"},
		{name: "own message with &<> and Chinese", err: paysync.Ef("x", paysync.ErrChannelUnavailable, `渠道<a&b>"不可用"\`, nil), msg: `渠道<a&b>"不可用"\`},
	}
	for _, tt := range tests {
		for _, path := range []string{PayPath, AllocationPath, RefundPath, TransferPath} {
			t.Run(tt.name+path, func(t *testing.T) {
				f := newFixture(t, nil)
				f.eng.fail(tt.err)
				body := `{"orderNo":"1001","allocationNo":"2001","refundNo":"3001","transferNo":"4001","reqTime":1715500231}`
				r := f.post(path, f.sign(body))
				if f.eng.calls() != 1 {
					t.Fatalf("engine calls = %d", f.eng.calls())
				}
				if tt.top != 0 {
					f.wantTop(r, tt.top, tt.msg)
					return
				}
				d := f.wantData(r, DataFailed, tt.msg)
				if d.OrderStatus != "" || d.Status != "" || d.Result != "" || d.Adjust != nil {
					t.Fatalf("a failure carries results: %s", r.raw)
				}
			})
		}
	}
}

func TestSignFailures(t *testing.T) {
	f := newFixture(t, nil)
	signed := f.sign(vectorPay)
	md5 := Signer{Type: MD5, Secret: "123456"}
	md5Body, _ := md5.SignBody([]byte(vectorPay))
	other := Signer{Type: HMACSHA256, Secret: "654321"}
	otherBody, _ := other.SignBody([]byte(vectorPay))
	tests := []struct{ name, body string }{
		{"missing", vectorPay},
		{"null", strings.Replace(vectorPay, `}`, `,"sign":null}`, 1)},
		{"empty", strings.Replace(vectorPay, `}`, `,"sign":""}`, 1)},
		{"number", strings.Replace(vectorPay, `}`, `,"sign":1}`, 1)},
		{"upper-case hex", strings.Replace(signed, vectors[0].hmac, strings.ToUpper(vectors[0].hmac), 1)},
		{"field changed after signing", strings.Replace(signed, "P0001", "P0002", 1)},
		{"field added after signing", strings.Replace(signed, `{`, `{"orderNo":"1001",`, 1)},
		{"unknown field added after signing", strings.Replace(signed, `{`, `{"y":1,`, 1)},
		{"reqTime rewritten as datetime after signing", strings.Replace(signed, `1715500231`, `"2024-05-12 15:50:31"`, 1)},
		{"MD5 sign, HMAC server", string(md5Body)},
		{"other secret", string(otherBody)},
		{"sign under SIGN", strings.Replace(signed, `"sign"`, `"SIGN"`, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.wantTop(f.post(PayPath, tt.body), CodeSignFailed, "验签失败")
			if f.eng.calls() != 0 {
				t.Fatal("engine called")
			}
		})
	}
}

// A null field is not signed, so adding one does not break the sign (the
// rule drops nulls); and an unknown field is signed but otherwise ignored.
func TestNullsAndUnknownFields(t *testing.T) {
	f := newFixture(t, nil)
	signed := f.sign(vectorPay)
	r := f.post(PayPath, strings.Replace(signed, `{`, `{"orderNo":null,"extra":null,`, 1))
	f.wantData(r, DataOK, "")

	f = newFixture(t, nil)
	r = f.post(PayPath, f.sign(`{"bizOrderNo":"P0001","reqTime":1715500231,"extra":true,"n":1.50,"Foo":"bar <支付>"}`))
	f.wantData(r, DataOK, "")
	want := syncer.PayRequest{BizOrderNo: "P0001", Source: paysync.SourceAPI}
	if f.eng.payReqs[0] != want {
		t.Fatalf("engine got %+v", f.eng.payReqs[0])
	}
}

func TestReqTimeForms(t *testing.T) {
	tests := []struct {
		name, reqTime string
		loc           *time.Location
	}{
		{"number", `1715500231`, nil},
		{"digit string", `"1715500231"`, nil},
		{"datetime UTC+8", `"2024-05-12 15:50:31"`, nil},
		{"datetime configured UTC", `"2024-05-12 07:50:31"`, time.UTC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, func(c *Config) { c.Location = tt.loc })
			r := f.post(PayPath, f.sign(`{"orderNo":"1001","reqTime":`+tt.reqTime+`}`))
			f.wantData(r, DataOK, "")
		})
	}
}

func TestReqTimeWindow(t *testing.T) {
	tests := []struct {
		name    string
		shift   time.Duration // the server clock minus the vector's reqTime
		reqTime string
		msg     string // "" = accepted
	}{
		{"on time", 0, "1715500231", ""},
		{"5 min old", 5 * time.Minute, "1715500231", ""},
		{"5 min ahead", -5 * time.Minute, "1715500231", ""},
		{"5 min 1 s old", 5*time.Minute + time.Second, "1715500231", "请求已过期，请重新发送！"},
		{"5 min 1 s ahead", -5*time.Minute - time.Second, "1715500231", "请求时间晚于服务器接收到的时间，请检查"},
		{"5 min 1 s old, datetime", 5*time.Minute + time.Second, `"2024-05-12 15:50:31"`, "请求已过期，请重新发送！"},
		{"5 min 1 s ahead, datetime", -5*time.Minute - time.Second, `"2024-05-12 15:50:31"`, "请求时间晚于服务器接收到的时间，请检查"},
		{"a day old", 24 * time.Hour, "1715500231", "请求已过期，请重新发送！"},
		{"milliseconds", 0, "1715500231000", "请求时间晚于服务器接收到的时间，请检查"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.clk.Add(tt.shift)
			body := f.sign(`{"orderNo":"1001","nonceStr":"n1","reqTime":` + tt.reqTime + `}`)
			r := f.post(PayPath, body)
			if tt.msg == "" {
				f.wantData(r, DataOK, "")
				return
			}
			f.wantTop(r, CodeInvalid, tt.msg)
			if f.eng.calls() != 0 {
				t.Fatal("engine called")
			}
			// A stale request does not use up its nonce.
			f.clk.Add(-tt.shift)
			f.wantData(f.post(PayPath, f.sign(`{"orderNo":"1001","nonceStr":"n1","reqTime":1715500231}`)), DataOK, "")
		})
	}
}

func TestNonceReplay(t *testing.T) {
	f := newFixture(t, nil)
	body := f.sign(vectorPay)
	f.wantData(f.post(PayPath, body), DataOK, "")
	f.wantTop(f.post(PayPath, body), CodeInvalid, "nonceStr 已使用，请勿重复请求")

	// The same nonce in another request, or on the other endpoint, is a replay too.
	f.wantTop(f.post(AllocationPath, f.sign(`{"allocNo":"2001","nonceStr":"abc123","reqTime":1715500231}`)),
		CodeInvalid, "nonceStr 已使用，请勿重复请求")

	// After 10 minutes the nonce may be used again (with a fresh reqTime).
	f.clk.Add(10 * time.Minute)
	fresh := strings.Replace(vectorPay, "1715500231", fmt.Sprint(f.clk.Now().Unix()), 1)
	f.wantData(f.post(PayPath, f.sign(fresh)), DataOK, "")
	if f.eng.calls() != 2 {
		t.Fatalf("engine calls = %d, want 2", f.eng.calls())
	}

	// A badly signed request does not use up a nonce.
	f = newFixture(t, nil)
	f.wantTop(f.post(PayPath, strings.Replace(body, vectors[0].hmac, vectors[0].md5, 1)), CodeSignFailed, "验签失败")
	f.wantData(f.post(PayPath, body), DataOK, "")

	// Without a nonceStr (optional in the seed) there is no replay check.
	f = newFixture(t, nil)
	noNonce := f.sign(`{"orderNo":"1001","reqTime":1715500231}`)
	f.wantData(f.post(PayPath, noNonce), DataOK, "")
	f.wantData(f.post(PayPath, noNonce), DataOK, "")
}

func TestNonceCacheFullAnswersBusy(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.NonceCapacity = 1 })
	f.wantData(f.post(PayPath, f.sign(`{"orderNo":"1","nonceStr":"a","reqTime":1715500231}`)), DataOK, "")
	f.wantTop(f.post(PayPath, f.sign(`{"orderNo":"1","nonceStr":"b","reqTime":1715500231}`)), CodeBusy, "请求过多，请稍后重试")
}

func TestBodyLimit(t *testing.T) {
	// The default limit is 64 KiB: one byte more is refused with 413.
	f := newFixture(t, nil)
	pad := strings.Repeat("x", DefaultMaxBodyBytes)
	r := f.post(PayPath, `{"orderNo":"1","pad":"`+pad+`","reqTime":1715500231}`)
	if r.status != http.StatusRequestEntityTooLarge || r.env.Code != CodeMalformed || r.env.Data != nil || r.env.TraceID == "" {
		t.Fatalf("got %d %+v", r.status, r.env)
	}

	// Exactly at the limit is read.
	f = newFixture(t, nil)
	body := f.sign(`{"orderNo":"1","reqTime":1715500231}`)
	f.h.cfg.MaxBodyBytes = int64(len(body))
	f.wantData(f.post(PayPath, body), DataOK, "")
	f.h.cfg.MaxBodyBytes = int64(len(body)) - 1
	if r := f.post(PayPath, body); r.status != http.StatusRequestEntityTooLarge || r.env.Code != CodeMalformed {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
}

func TestMalformedBodies(t *testing.T) {
	for _, body := range []string{"", "{", "[]", "orderNo=1", `{"orderNo":"1","reqTime":1}{}`,
		`{"orderNo":"1","orderNo":"2","reqTime":1}`, "{\"orderNo\":\"\xff\",\"reqTime\":1}"} {
		f := newFixture(t, nil)
		r := f.post(PayPath, body)
		if r.env.Code != CodeMalformed || r.status != http.StatusOK || r.env.Data != nil ||
			!strings.HasPrefix(r.env.Msg, "请求体无法解析") {
			t.Errorf("body %q: got %d %s", body, r.status, r.raw)
		}
	}
}

func TestInvalidFields(t *testing.T) {
	tests := []struct{ name, path, body, msg string }{
		{"clientIp", PayPath, `{"orderNo":"1","clientIp":"256.0.0.1","reqTime":1715500231}`, "clientIp is not an IPv4 or IPv6 address"},
		{"orderNo", PayPath, `{"orderNo":"` + strings.Repeat("1", 33) + `","reqTime":1715500231}`, "orderNo is longer than 32 characters"},
		{"bizOrderNo", PayPath, `{"bizOrderNo":"` + strings.Repeat("支", 101) + `","reqTime":1715500231}`, "bizOrderNo is longer than 100 characters"},
		{"nonceStr", PayPath, `{"orderNo":"1","nonceStr":"` + strings.Repeat("n", 33) + `","reqTime":1715500231}`, "nonceStr is longer than 32 characters"},
		{"appId", PayPath, `{"orderNo":"1","appId":"` + strings.Repeat("a", 33) + `","reqTime":1715500231}`, "appId is longer than 32 characters"},
		{"no pay numbers", PayPath, `{"reqTime":1715500231}`, "orderNo and bizOrderNo cannot both be empty"},
		{"allocationNo", AllocationPath, `{"allocationNo":"` + strings.Repeat("1", 33) + `","reqTime":1715500231}`, "allocationNo is longer than 32 characters"},
		{"bizAllocNo", AllocationPath, `{"bizAllocNo":"` + strings.Repeat("1", 101) + `","reqTime":1715500231}`, "bizAllocNo is longer than 100 characters"},
		{"aliases differ", AllocationPath, `{"allocationNo":"1","allocNo":"2","reqTime":1715500231}`, "allocationNo and allocNo differ"},
		{"refundNo", RefundPath, `{"refundNo":"` + strings.Repeat("1", 101) + `","reqTime":1715500231}`, "refundNo is longer than 100 characters"},
		{"bizRefundNo", RefundPath, `{"bizRefundNo":"` + strings.Repeat("退", 101) + `","reqTime":1715500231}`, "bizRefundNo is longer than 100 characters"},
		{"no refund numbers", RefundPath, `{"refundNo":"","orderNo":"1005","reqTime":1715500231}`, "refundNo and bizRefundNo cannot both be empty"},
		{"refundNo a number", RefundPath, `{"refundNo":3001,"reqTime":1715500231}`, "refundNo must be a string"},
		{"transferNo", TransferPath, `{"transferNo":"` + strings.Repeat("1", 101) + `","reqTime":1715500231}`, "transferNo is longer than 100 characters"},
		{"bizTransferNo", TransferPath, `{"bizTransferNo":"` + strings.Repeat("转", 101) + `","reqTime":1715500231}`, "bizTransferNo is longer than 100 characters"},
		{"no transfer numbers", TransferPath, `{"bizTransferNo":null,"reqTime":1715500231}`, "transferNo and bizTransferNo cannot both be empty"},
		{"transfer clientIp", TransferPath, `{"transferNo":"4001","clientIp":"1.2.3","reqTime":1715500231}`, "clientIp is not an IPv4 or IPv6 address"},
		{"no reqTime", PayPath, `{"orderNo":"1"}`, "reqTime is required"},
		{"refund without reqTime", RefundPath, `{"refundNo":"3001"}`, "reqTime is required"},
		{"bad reqTime", PayPath, `{"orderNo":"1","reqTime":"yesterday"}`, "reqTime must be epoch seconds or yyyy-MM-dd HH:mm:ss"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.wantTop(f.post(tt.path, f.sign(tt.body)), CodeInvalid, tt.msg)
			if f.eng.calls() != 0 {
				t.Fatal("engine called")
			}
		})
	}
}

// Signed values with <> and Chinese, sent raw or \u-escaped: the sign is
// over the decoded text, and the engine gets that text.
func TestSpecialCharacters(t *testing.T) {
	const want = `P<>支付 %+'`
	for _, body := range []string{
		`{"bizOrderNo":"P<>支付 %+'","reqTime":1715500231}`,
		`{"bizOrderNo":"P\u003c\u003e\u652f\u4ed8\u0020%+'","reqTime":1715500231}`,
	} {
		f := newFixture(t, nil)
		fields := Fields{"bizOrderNo": want, "reqTime": "1715500231"}
		sign, _ := f.signer.Sign(fields)
		signed := strings.TrimSuffix(body, "}") + `,"sign":"` + sign + `"}`
		f.wantData(f.post(PayPath, signed), DataOK, "")
		if got := f.eng.payReqs[0].BizOrderNo; got != want {
			t.Fatalf("engine got %q, want %q", got, want)
		}
	}
}

// A body not in canonical form is refused before the sign is checked: a
// correctly signed one with " \ & = or a control character in a value, a
// name outside [A-Za-z][A-Za-z0-9_]{0,63}, or 33 fields gets 10006; one with
// an object or array value 10005. The engine is not called.
func TestNotCanonical(t *testing.T) {
	many := strings.TrimSuffix(fieldsBody(31), "}") + `,"orderNo":"1","reqTime":1715500231}`
	tests := []struct {
		name, body string
		code       int
	}{
		{"& in a value", `{"bizOrderNo":"P&1","reqTime":1715500231}`, CodeInvalid},
		{"escaped = in a value", `{"bizOrderNo":"P\u003d1","reqTime":1715500231}`, CodeInvalid},
		{`" in a value`, `{"bizOrderNo":"P\"1","reqTime":1715500231}`, CodeInvalid},
		{`\ in a value`, `{"bizOrderNo":"P\\1","reqTime":1715500231}`, CodeInvalid},
		{"newline in a value", `{"bizOrderNo":"P\n1","reqTime":1715500231}`, CodeInvalid},
		{"name with a dash", `{"bizOrderNo":"P1","x-y":"1","reqTime":1715500231}`, CodeInvalid},
		{"33 fields", many, CodeInvalid},
		{"object value", `{"bizOrderNo":"P1","extra":{"a":1},"reqTime":1715500231}`, CodeMalformed},
		{"array value", `{"bizOrderNo":"P1","extra":[1],"reqTime":1715500231}`, CodeMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			// SignBody signs any object: the client side does not police.
			r := f.post(PayPath, f.sign(tt.body))
			if r.status != http.StatusOK || r.env.Code != tt.code || r.env.Data != nil {
				t.Fatalf("got %d %s, want code %d", r.status, r.raw, tt.code)
			}
			if f.eng.calls() != 0 {
				t.Fatal("engine called")
			}
		})
	}
}

// The answer is written without HTML escaping. A client that decodes the JSON
// verifies either way, but one that builds the string from the raw text
// (stripping quotes, as the rule's deletion invites) only verifies unescaped
// output: json.Marshal's \u003c would lose its backslash and leave "u003c".
func TestAnswerNotHTMLEscaped(t *testing.T) {
	const msg = "渠道<a&b>不可用"
	f := newFixture(t, nil)
	f.eng.payErr = paysync.Ef("x", paysync.ErrChannelUnavailable, msg, nil)
	r := f.post(PayPath, f.sign(vectorPay))
	f.wantData(r, DataFailed, msg)
	if !strings.Contains(string(r.raw), `"msg":"`+msg+`"`) {
		t.Fatalf("msg escaped: %s", r.raw)
	}
	rawText := func(b []byte) string { // the msg value as raw JSON text, quotes dropped
		var env struct {
			Data map[string]json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(b, &env); err != nil {
			t.Fatal(err)
		}
		return strings.Trim(string(env.Data["msg"]), `"`)
	}
	if got := rawText(r.raw); got != msg {
		t.Fatalf("raw text = %q, want %q", got, msg)
	}
	escaped, err := json.Marshal(r.env) // what a default encoder would send
	if err != nil {
		t.Fatal(err)
	}
	if got := rawText(escaped); got == msg {
		t.Fatalf("json.Marshal did not escape %q; the test shows nothing", got)
	}
}

func TestRoutes(t *testing.T) {
	f := newFixture(t, nil)
	for _, path := range []string{PayPath, AllocationPath, RefundPath, TransferPath} {
		for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut} {
			r := f.do(httptest.NewRequest(method, path, nil))
			if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != http.MethodPost {
				t.Fatalf("%s %s: %d, Allow %q", method, path, r.status, r.header.Get("Allow"))
			}
		}
	}
	for _, path := range []string{"/unipay/sync/close", "//unipay/sync/pay", PayPath + "/", "/",
		"//unipay/sync/refund", RefundPath + "/", "/unipay/sync/Refund", "/unipay/sync/transfer/x"} {
		if r := f.post(path, f.sign(vectorPay)); r.status != http.StatusNotFound {
			t.Fatalf("%s: %d", path, r.status)
		}
	}
	if f.eng.calls() != 0 {
		t.Fatal("engine called")
	}
}

func TestTraceIDsDiffer(t *testing.T) {
	f := newFixture(t, nil)
	seen := map[string]bool{}
	for range 3 {
		r := f.post(PayPath, "{")
		if r.env.TraceID == "" || seen[r.env.TraceID] {
			t.Fatalf("traceId %q repeated or empty", r.env.TraceID)
		}
		seen[r.env.TraceID] = true
	}
}

func BenchmarkSyncPay(b *testing.B) {
	f := newFixture(b, nil)
	f.eng.pay = syncer.PayOutcome{OrderStatus: paysync.PaySuccess}
	body := f.sign(`{"bizOrderNo":"P0001","clientIp":"127.0.0.1","reqTime":1715500231}`)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, PayPath, strings.NewReader(body))
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
		f.eng.payReqs = f.eng.payReqs[:0]
	}
}

// The seed's failure example, reproduced to the byte of its sign.
func TestSeedFailureAnswer(t *testing.T) {
	f := newFixture(t, nil)
	f.clk.Add(1715499295*time.Second - vectorTime*time.Second)
	f.eng.payErr = paysync.E("syncer.SyncPay", paysync.ErrOrderNotFound, nil)
	r := f.post(PayPath, f.sign(`{"bizOrderNo":"SDK_1715341621498","reqTime":1715499295}`))
	d := f.wantData(r, DataFailed, "支付订单不存在")
	if d.Sign != "48145bb659db3a337ecbba4e46d3b57b5da6ef8006c1342ebbc9320d619bbad4" {
		t.Fatalf("sign = %s, want the seed's", d.Sign)
	}
	want := `"data":{"code":1,"msg":"支付订单不存在","resTime":1715499295,"sign":"48145bb659db3a337ecbba4e46d3b57b5da6ef8006c1342ebbc9320d619bbad4"}`
	if !strings.Contains(string(r.raw), want) {
		t.Fatalf("answer = %s", r.raw)
	}
}

// Past MaxInFlight requests being served, one more is answered 10007 at
// once, its body unread and the engine not called; a freed slot serves again.
func TestMaxInFlight(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxInFlight = 1 })
	f.eng.gate, f.eng.entered = make(chan struct{}), make(chan struct{}, 2)
	first := make(chan response, 1)
	go func() { first <- f.post(PayPath, f.sign(`{"orderNo":"1","nonceStr":"a","reqTime":1715500231}`)) }()
	<-f.eng.entered // the first request holds the only slot

	body := &countingReader{r: strings.NewReader(f.sign(`{"orderNo":"2","nonceStr":"b","reqTime":1715500231}`))}
	f.wantTop(f.do(httptest.NewRequest(http.MethodPost, PayPath, body)), CodeBusy, "请求过多，请稍后重试")
	if body.n != 0 || f.eng.calls() != 1 {
		t.Fatalf("the refused request: %d bytes read, engine calls = %d", body.n, f.eng.calls())
	}

	close(f.eng.gate)
	f.wantData(<-first, DataOK, "")
	f.wantData(f.post(PayPath, f.sign(`{"orderNo":"2","nonceStr":"b","reqTime":1715500231}`)), DataOK, "")
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// A body whose Content-Length is over the limit is refused unread.
func TestBodyLimitByContentLength(t *testing.T) {
	f := newFixture(t, nil)
	body := &countingReader{r: strings.NewReader(f.sign(`{"orderNo":"1","reqTime":1715500231}`))}
	req := httptest.NewRequest(http.MethodPost, PayPath, body)
	req.ContentLength = DefaultMaxBodyBytes + 1
	r := f.do(req)
	if r.status != http.StatusRequestEntityTooLarge || r.env.Code != CodeMalformed || r.env.Msg != "请求体超过上限" {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	if body.n != 0 || f.eng.calls() != 0 {
		t.Fatalf("%d bytes read, engine calls = %d", body.n, f.eng.calls())
	}
}
