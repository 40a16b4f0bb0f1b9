package daxpay

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/syncer"
)

// Paths served by a Handler.
const (
	PayPath        = "/unipay/sync/pay"
	AllocationPath = "/unipay/sync/allocation"
)

// Engine is what a Handler needs of the sync engine; *syncer.Syncer has it.
// Errors are paysync errors, classified with paysync.ErrorCode.
type Engine interface {
	SyncPay(ctx context.Context, req syncer.PayRequest) (syncer.PayOutcome, error)
	SyncAllocation(ctx context.Context, req syncer.AllocationRequest) (syncer.AllocationOutcome, error)
}

// Handler serves POST PayPath and POST AllocationPath; other methods get 405
// and other paths 404, from net/http. Safe for concurrent use.
type Handler struct {
	engine Engine
	cfg    Config
	signer Signer
	nonces *NonceCache
	slots  chan struct{} // one per request in flight, MaxInFlight in all
	mux    *http.ServeMux
}

// NewHandler returns a Handler over engine. It returns an ErrInvalidRequest
// error when engine is nil or cfg does not Validate.
func NewHandler(engine Engine, cfg Config) (*Handler, error) {
	if engine == nil {
		return nil, paysync.Ef("daxpay.NewHandler", paysync.ErrInvalidRequest, "engine is nil", nil)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	h := &Handler{
		engine: engine,
		cfg:    cfg,
		signer: Signer{Type: cfg.SignType, Secret: cfg.Secret},
		nonces: NewNonceCache(cfg.NonceTTL, cfg.NonceCapacity, cfg.Now),
		slots:  make(chan struct{}, cfg.MaxInFlight),
		mux:    http.NewServeMux(),
	}
	h.mux.HandleFunc("POST "+PayPath, h.SyncPay)
	h.mux.HandleFunc("POST "+AllocationPath, h.SyncAllocation)
	return h, nil
}

// ServeHTTP routes to SyncPay and SyncAllocation.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// SyncPay serves POST /unipay/sync/pay. The request passes, in order: a
// free slot (10007), body size (413, 10005), one flat JSON object (10005),
// canonical form and fields (10006), sign (20052), reqTime window (10006),
// nonce (10006; 10007 when the cache is full), then the engine; see
// replyError for how its errors are answered. Nothing before the slot reads
// the body, and nothing before the sign check digests or sorts.
func (h *Handler) SyncPay(w http.ResponseWriter, r *http.Request) {
	h.serve(w, r, func(body []byte) (Common, engineCall, error) {
		p, err := DecodePay(body, h.cfg.Location)
		return p.Common, func(ctx context.Context, trace string) (Data, error) {
			res, err := h.engine.SyncPay(ctx, syncer.PayRequest{
				OrderNo: p.OrderNo, BizOrderNo: p.BizOrderNo, ClientIP: p.ClientIP, Source: paysync.SourceAPI,
			})
			if err != nil {
				return Data{}, err
			}
			if len(res.Anomalies) > 0 {
				h.cfg.Logger.Warn("pay sync found anomalies", "traceId", trace,
					"orderNo", p.OrderNo, "bizOrderNo", p.BizOrderNo, "anomalies", res.Anomalies)
			}
			return Data{Code: DataOK, OrderStatus: string(res.OrderStatus), Adjust: &res.Adjusted}, nil
		}, err
	})
}

// SyncAllocation serves POST /unipay/sync/allocation, checked like SyncPay.
func (h *Handler) SyncAllocation(w http.ResponseWriter, r *http.Request) {
	h.serve(w, r, func(body []byte) (Common, engineCall, error) {
		p, err := DecodeAllocation(body, h.cfg.Location)
		return p.Common, func(ctx context.Context, trace string) (Data, error) {
			res, err := h.engine.SyncAllocation(ctx, syncer.AllocationRequest{
				AllocationNo: p.AllocationNo, BizAllocationNo: p.BizAllocationNo, ClientIP: p.ClientIP,
				Source: paysync.SourceAPI,
			})
			if err != nil {
				return Data{}, err
			}
			if len(res.Anomalies) > 0 {
				h.cfg.Logger.Warn("allocation sync found anomalies", "traceId", trace,
					"allocationNo", p.AllocationNo, "bizAllocationNo", p.BizAllocationNo, "anomalies", res.Anomalies)
			}
			return Data{Code: DataOK, Status: string(res.Status), Result: string(res.Result), Adjust: &res.Adjusted}, nil
		}, err
	})
}

// engineCall asks the engine for one decoded request and returns the data
// to answer with.
type engineCall func(ctx context.Context, trace string) (Data, error)

// serve is the pipeline both endpoints share: read the body, decode it
// (decode returns the common fields, the engine call, and the decoding
// error), admit it (sign, reqTime, nonce), call the engine within
// EngineTimeout, and answer.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, decode func([]byte) (Common, engineCall, error)) {
	trace := rand.Text()
	select {
	case h.slots <- struct{}{}:
		defer func() { <-h.slots }()
	default:
		h.replyError(w, r, trace, paysync.E("daxpay.Handler", ErrTooManyRequests, nil))
		return
	}
	body, ok := h.read(w, r, trace)
	if !ok {
		return
	}
	common, call, err := decode(body)
	if err == nil {
		err = h.admit(common)
	}
	if err != nil {
		h.replyError(w, r, trace, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.EngineTimeout)
	defer cancel()
	data, err := call(ctx, trace)
	if err != nil {
		h.replyError(w, r, trace, err)
		return
	}
	h.replyData(w, r, trace, data)
}

// read returns the body, or answers 413 / 10005 itself and returns false. A
// body whose Content-Length is over MaxBodyBytes is refused unread; one of
// unknown length is read up to the limit and no further.
func (h *Handler) read(w http.ResponseWriter, r *http.Request, trace string) ([]byte, bool) {
	tooBig := func() ([]byte, bool) {
		h.write(w, r, http.StatusRequestEntityTooLarge, Envelope{
			Code: CodeMalformed, Msg: "请求体超过上限", TraceID: trace})
		return nil, false
	}
	if r.ContentLength > h.cfg.MaxBodyBytes {
		return tooBig()
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes))
	if err == nil {
		return body, true
	}
	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		return tooBig()
	}
	h.write(w, r, http.StatusBadRequest, Envelope{Code: CodeMalformed, Msg: "请求体读取失败", TraceID: trace})
	return nil, false
}

// admit checks what needs the secret, the clock or memory: the sign, then
// reqTime, then the nonce — last, so that neither an unsigned request nor a
// stale one can use up a nonce. The nonce is remembered as the signature
// covers it (c.Fields), which canonical form makes the text the client sent;
// a request without one is bounded by the reqTime window alone.
func (h *Handler) admit(c Common) error {
	const op = "daxpay.Handler.admit"
	if c.Sign == "" || !h.signer.Verify(c.Fields, c.Sign) {
		return paysync.E(op, ErrSignature, nil)
	}
	if err := checkReqTime(h.cfg.Now(), c.ReqTime, h.cfg.ReqTimeWindow); err != nil {
		return err
	}
	nonce := c.Fields["nonceStr"]
	if nonce == "" { // optional in the seed
		return nil
	}
	return h.nonces.Add(nonce)
}

// replyError answers err: ErrMalformed → 10005, ErrSignature → 20052, other
// invalid → 10006, busy → 10007, all with no data; every other code
// (not_found, state, unavailable, conflict, internal) is a business failure,
// data.code 1 with the error's message, as DaxPay wraps its PayFailureException.
func (h *Handler) replyError(w http.ResponseWriter, r *http.Request, trace string, err error) {
	top := func(code int) {
		h.write(w, r, http.StatusOK, Envelope{Code: code, Msg: paysync.ErrorMessage(err), TraceID: trace})
	}
	switch {
	case errors.Is(err, ErrMalformed):
		top(CodeMalformed)
	case errors.Is(err, ErrSignature):
		top(CodeSignFailed)
	case paysync.ErrorCode(err) == paysync.CodeInvalid:
		top(CodeInvalid)
	case paysync.ErrorCode(err) == paysync.CodeBusy:
		top(CodeBusy)
	default:
		if paysync.ErrorCode(err) == paysync.CodeInternal {
			h.cfg.Logger.Error("sync failed", "traceId", trace, "path", r.URL.Path, "err", err)
		}
		h.replyData(w, r, trace, Data{Code: DataFailed, Msg: paysync.ErrorMessage(err)})
	}
}

// replyData signs d and answers it in a success envelope.
func (h *Handler) replyData(w http.ResponseWriter, r *http.Request, trace string, d Data) {
	d.ResTime = h.cfg.Now().Unix()
	d, err := h.signer.SignData(d)
	if err != nil { // unreachable: Validate checked the sign type
		h.cfg.Logger.Error("signing the answer failed", "traceId", trace, "err", err)
		h.write(w, r, http.StatusInternalServerError, Envelope{Code: 10001, Msg: "系统错误", TraceID: trace})
		return
	}
	h.write(w, r, http.StatusOK, Envelope{Code: CodeOK, Msg: "success", Data: &d, TraceID: trace})
}

func (h *Handler) write(w http.ResponseWriter, r *http.Request, status int, e Envelope) {
	b, err := marshal(e)
	if err != nil { // unreachable: an Envelope always encodes
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Trace-Id", e.TraceID)
	w.WriteHeader(status)
	if _, err := w.Write(b); err != nil {
		h.cfg.Logger.Debug("writing the answer failed", "traceId", e.TraceID, "err", err)
	}
	h.cfg.Logger.Info("answered", "traceId", e.TraceID, "path", r.URL.Path,
		"status", status, "code", e.Code, "msg", e.Msg, "data", dataCode(e.Data))
}

func dataCode(d *Data) any {
	if d == nil {
		return nil
	}
	return d.Code
}
