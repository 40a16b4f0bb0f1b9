package daxpay

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/paysync/paysync/syncer"
)

// fakeEngine answers with what a test set and remembers what it was asked.
type fakeEngine struct {
	mu          sync.Mutex
	pay         syncer.PayOutcome
	payErr      error
	alloc       syncer.AllocationOutcome
	allocErr    error
	refund      syncer.RefundOutcome
	refundErr   error
	transfer    syncer.TransferOutcome
	transferErr error
	payReqs     []syncer.PayRequest
	allocReqs   []syncer.AllocationRequest
	refundReqs  []syncer.RefundRequest
	transReqs   []syncer.TransferRequest
	noDeadlines int // calls whose ctx had no deadline

	// With gate set, SyncPay tells entered that it was called, then waits
	// for gate to close: a request held in flight.
	gate    chan struct{}
	entered chan struct{}
}

func (e *fakeEngine) SyncPay(ctx context.Context, req syncer.PayRequest) (syncer.PayOutcome, error) {
	e.mu.Lock()
	e.payReqs = append(e.payReqs, req)
	if _, ok := ctx.Deadline(); !ok {
		e.noDeadlines++
	}
	gate, entered := e.gate, e.entered
	e.mu.Unlock()
	if gate != nil {
		entered <- struct{}{}
		<-gate
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.pay, e.payErr
}

func (e *fakeEngine) SyncAllocation(ctx context.Context, req syncer.AllocationRequest) (syncer.AllocationOutcome, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.allocReqs = append(e.allocReqs, req)
	if _, ok := ctx.Deadline(); !ok {
		e.noDeadlines++
	}
	return e.alloc, e.allocErr
}

func (e *fakeEngine) SyncRefund(ctx context.Context, req syncer.RefundRequest) (syncer.RefundOutcome, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.refundReqs = append(e.refundReqs, req)
	if _, ok := ctx.Deadline(); !ok {
		e.noDeadlines++
	}
	return e.refund, e.refundErr
}

func (e *fakeEngine) SyncTransfer(ctx context.Context, req syncer.TransferRequest) (syncer.TransferOutcome, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.transReqs = append(e.transReqs, req)
	if _, ok := ctx.Deadline(); !ok {
		e.noDeadlines++
	}
	return e.transfer, e.transferErr
}

// fail makes every engine call return err.
func (e *fakeEngine) fail(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.payErr, e.allocErr, e.refundErr, e.transferErr = err, err, err, err
}

func (e *fakeEngine) calls() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.payReqs) + len(e.allocReqs) + len(e.refundReqs) + len(e.transReqs)
}

// fixture is a Handler over a fakeEngine with its clock at the pay vector's
// reqTime, secret 123456, HMAC-SHA256 unless changed.
type fixture struct {
	t      testing.TB
	h      *Handler
	eng    *fakeEngine
	clk    *clock
	signer Signer
}

func newFixture(t testing.TB, change func(*Config)) *fixture {
	t.Helper()
	clk := newClock(time.Unix(vectorTime, 0))
	cfg := Config{Secret: "123456", SignType: HMACSHA256, Now: clk.Now}
	if change != nil {
		change(&cfg)
	}
	eng := &fakeEngine{}
	h, err := NewHandler(eng, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, h: h, eng: eng, clk: clk, signer: Signer{Type: h.cfg.SignType, Secret: cfg.Secret}}
}

// sign returns body with a correct sign field.
func (f *fixture) sign(body string) string {
	f.t.Helper()
	b, err := f.signer.SignBody([]byte(body))
	if err != nil {
		f.t.Fatal(err)
	}
	return string(b)
}

type response struct {
	status int
	header http.Header
	raw    []byte
	env    Envelope
}

func (f *fixture) post(path, body string) response {
	f.t.Helper()
	return f.do(httptest.NewRequest(http.MethodPost, path, bytes.NewBufferString(body)))
}

func (f *fixture) do(req *http.Request) response {
	f.t.Helper()
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	r := response{status: rec.Code, header: rec.Header(), raw: rec.Body.Bytes()}
	if ct := rec.Header().Get("Content-Type"); ct == "application/json; charset=utf-8" {
		if err := json.Unmarshal(r.raw, &r.env); err != nil {
			f.t.Fatalf("answer is not an envelope: %v\n%s", err, r.raw)
		}
	}
	return r
}

// verifyData checks the answer's data signature the way a client would:
// from the raw answer, by the request rule, with the fixture's signer.
func (f *fixture) verifyData(r response) {
	f.t.Helper()
	env, err := DecodeObject(r.raw)
	if err != nil {
		f.t.Fatal(err)
	}
	raw, ok := env.Raw("data")
	if !ok {
		f.t.Fatalf("no data in %s", r.raw)
	}
	data, err := DecodeObject(raw)
	if err != nil {
		f.t.Fatal(err)
	}
	sign, _ := data.Text("sign")
	if !f.signer.Verify(data.Fields(), sign) {
		f.t.Fatalf("data sign does not verify: %s", raw)
	}
}

// wantTop checks a top-level error answer: HTTP 200, code, msg, no data.
func (f *fixture) wantTop(r response, code int, msg string) {
	f.t.Helper()
	if r.status != http.StatusOK || r.env.Code != code || r.env.Msg != msg || r.env.Data != nil {
		f.t.Fatalf("got %d %s, want 200 code %d msg %q and no data", r.status, r.raw, code, msg)
	}
	if bytes.Contains(r.raw, []byte(`"data"`)) {
		f.t.Fatalf("top-level error carries data: %s", r.raw)
	}
	if r.env.TraceID == "" || r.header.Get("X-Trace-Id") != r.env.TraceID {
		f.t.Fatalf("traceId %q, header %q", r.env.TraceID, r.header.Get("X-Trace-Id"))
	}
}

// wantData checks a business answer: envelope code 0 / success, data.code,
// data.msg, a resTime of now, and a data sign that verifies.
func (f *fixture) wantData(r response, code int, msg string) *Data {
	f.t.Helper()
	if r.status != http.StatusOK || r.env.Code != CodeOK || r.env.Msg != "success" || r.env.Data == nil {
		f.t.Fatalf("got %d %s, want a success envelope with data", r.status, r.raw)
	}
	d := r.env.Data
	if d.Code != code || d.Msg != msg || d.ResTime != f.clk.Now().Unix() || d.Sign == "" {
		f.t.Fatalf("data = %+v, want code %d msg %q resTime %d and a sign", *d, code, msg, f.clk.Now().Unix())
	}
	f.verifyData(r)
	return d
}
