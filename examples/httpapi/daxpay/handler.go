package daxpay

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/syncer"
)

// Paths served by a Handler.
const (
	PayPath        = "/unipay/sync/pay"
	AllocationPath = "/unipay/sync/allocation"
	RefundPath     = "/unipay/sync/refund"
	TransferPath   = "/unipay/sync/transfer"
)

// Engine is what a Handler needs of the sync engine; *syncer.Syncer has it.
// Errors are paysync errors, classified with paysync.ErrorCode.
type Engine interface {
	SyncPay(ctx context.Context, req syncer.PayRequest) (syncer.PayOutcome, error)
	SyncAllocation(ctx context.Context, req syncer.AllocationRequest) (syncer.AllocationOutcome, error)
	SyncRefund(ctx context.Context, req syncer.RefundRequest) (syncer.RefundOutcome, error)
	SyncTransfer(ctx context.Context, req syncer.TransferRequest) (syncer.TransferOutcome, error)
}

// Handler serves POST on PayPath, AllocationPath, RefundPath and
// TransferPath; another method on one of them gets 405, any other path 404.
// Every request is logged once (see exchange). Safe for concurrent use.
type Handler struct {
	engine Engine
	cfg    Config
	signer Signer
	nonces *NonceCache
	slots  chan struct{} // one per request in flight, MaxInFlight in all
	routes map[string]func(*exchange, *http.Request)
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
	}
	h.routes = map[string]func(*exchange, *http.Request){
		PayPath:        h.syncPay,
		AllocationPath: h.syncAllocation,
		RefundPath:     h.syncRefund,
		TransferPath:   h.syncTransfer,
	}
	return h, nil
}

// ServeHTTP routes to the endpoints and logs the request once it is
// answered. Paths are matched exactly, without net/http's cleaning
// redirects, so that every request is answered, and logged, here.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{ResponseWriter: w, start: time.Now()}
	defer h.log(r, x)
	endpoint, ok := h.routes[r.URL.Path]
	switch {
	case !ok:
		http.NotFound(x, r)
	case r.Method != http.MethodPost:
		x.Header().Set("Allow", http.MethodPost)
		http.Error(x, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	default:
		endpoint(x, r)
	}
}

// syncPay serves POST /unipay/sync/pay through serve.
func (h *Handler) syncPay(x *exchange, r *http.Request) {
	h.serve(x, r, func(body []byte) (request, error) {
		p, err := DecodePay(body, h.cfg.Location)
		if err != nil {
			return request{}, err
		}
		return request{Common: p.Common, numbers: numbers("orderNo", p.OrderNo, "bizOrderNo", p.BizOrderNo),
			sync: func(ctx context.Context) (Data, []paysync.AnomalyCode, error) {
				res, err := h.engine.SyncPay(ctx, syncer.PayRequest{
					OrderNo: p.OrderNo, BizOrderNo: p.BizOrderNo, ClientIP: p.ClientIP, Source: paysync.SourceAPI,
				})
				if err != nil {
					return Data{}, nil, err
				}
				return Data{Code: DataOK, OrderStatus: string(res.OrderStatus), Adjust: &res.Adjusted}, res.Anomalies, nil
			}}, nil
	})
}

// syncAllocation serves POST /unipay/sync/allocation through serve.
func (h *Handler) syncAllocation(x *exchange, r *http.Request) {
	h.serve(x, r, func(body []byte) (request, error) {
		p, err := DecodeAllocation(body, h.cfg.Location)
		if err != nil {
			return request{}, err
		}
		return request{Common: p.Common,
			numbers: numbers("allocationNo", p.AllocationNo, "bizAllocationNo", p.BizAllocationNo),
			sync: func(ctx context.Context) (Data, []paysync.AnomalyCode, error) {
				res, err := h.engine.SyncAllocation(ctx, syncer.AllocationRequest{
					AllocationNo: p.AllocationNo, BizAllocationNo: p.BizAllocationNo, ClientIP: p.ClientIP,
					Source: paysync.SourceAPI,
				})
				if err != nil {
					return Data{}, nil, err
				}
				return Data{Code: DataOK, Status: string(res.Status), Result: string(res.Result), Adjust: &res.Adjusted},
					res.Anomalies, nil
			}}, nil
	})
}

// syncRefund serves POST /unipay/sync/refund through serve. Both numbers go
// to the engine, which syncs the refund refundNo names when it is given.
// orderStatus is the refund's status after the sync, as DaxPay 3 names the
// field; adjust is true when this sync changed it (DaxPay 3 sends the
// inverse; this host does not copy that).
func (h *Handler) syncRefund(x *exchange, r *http.Request) {
	h.serve(x, r, func(body []byte) (request, error) {
		p, err := DecodeRefund(body, h.cfg.Location)
		if err != nil {
			return request{}, err
		}
		return request{Common: p.Common, numbers: numbers("refundNo", p.RefundNo, "bizRefundNo", p.BizRefundNo),
			sync: func(ctx context.Context) (Data, []paysync.AnomalyCode, error) {
				res, err := h.engine.SyncRefund(ctx, syncer.RefundRequest{
					RefundNo: p.RefundNo, BizRefundNo: p.BizRefundNo, ClientIP: p.ClientIP, Source: paysync.SourceAPI,
				})
				if err != nil {
					return Data{}, nil, err
				}
				return Data{Code: DataOK, OrderStatus: string(res.Status), Adjust: &res.Adjusted}, res.Anomalies, nil
			}}, nil
	})
}

// syncTransfer serves POST /unipay/sync/transfer through serve, as
// syncRefund serves refunds: orderStatus is the transfer's status after the
// sync, adjust whether this sync changed it.
func (h *Handler) syncTransfer(x *exchange, r *http.Request) {
	h.serve(x, r, func(body []byte) (request, error) {
		p, err := DecodeTransfer(body, h.cfg.Location)
		if err != nil {
			return request{}, err
		}
		return request{Common: p.Common,
			numbers: numbers("transferNo", p.TransferNo, "bizTransferNo", p.BizTransferNo),
			sync: func(ctx context.Context) (Data, []paysync.AnomalyCode, error) {
				res, err := h.engine.SyncTransfer(ctx, syncer.TransferRequest{
					TransferNo: p.TransferNo, BizTransferNo: p.BizTransferNo, ClientIP: p.ClientIP,
					Source: paysync.SourceAPI,
				})
				if err != nil {
					return Data{}, nil, err
				}
				return Data{Code: DataOK, OrderStatus: string(res.Status), Adjust: &res.Adjusted}, res.Anomalies, nil
			}}, nil
	})
}

// request is a decoded body: its common fields, the order numbers it asks
// for (slog attributes, for the log line), and the engine call serving it.
type request struct {
	Common
	numbers []slog.Attr
	sync    func(ctx context.Context) (Data, []paysync.AnomalyCode, error)
}

// numbers returns the non-empty numbers of a request as slog attributes.
func numbers(name, no, bizName, bizNo string) []slog.Attr {
	var a []slog.Attr
	if no != "" {
		a = append(a, slog.String(name, no))
	}
	if bizNo != "" {
		a = append(a, slog.String(bizName, bizNo))
	}
	return a
}

// serve is the pipeline every endpoint shares. A request passes, in order: a
// free slot (10007), the body size (413, 10005), decoding — one flat JSON
// object (10005) in canonical form with valid fields (10006) — the sign
// (20052), the reqTime window (10006), the nonce (10006; 10007 when the
// cache is full); then the engine, within EngineTimeout, whose errors
// replyError maps. Nothing before the sign check digests or sorts, and
// nothing before the slot reads the body.
func (h *Handler) serve(x *exchange, r *http.Request, decode func([]byte) (request, error)) {
	x.trace = rand.Text()
	select {
	case h.slots <- struct{}{}:
		defer func() { <-h.slots }()
	default:
		h.replyError(x, paysync.E("daxpay.Handler", ErrTooManyRequests, nil))
		return
	}
	body, ok := h.read(x, r)
	if !ok {
		return
	}
	req, err := decode(body)
	if err == nil {
		x.numbers = req.numbers
		err = h.admit(req.Common)
	}
	if err != nil {
		h.replyError(x, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.EngineTimeout)
	defer cancel()
	data, anomalies, err := req.sync(ctx)
	x.anomalies = anomalies
	if err != nil {
		h.replyError(x, err)
		return
	}
	h.replyData(x, data)
}

// read returns the body, or answers 413 / 10005 itself and returns false. A
// body whose Content-Length is over MaxBodyBytes is refused unread; one of
// unknown length is read up to the limit and no further.
func (h *Handler) read(x *exchange, r *http.Request) ([]byte, bool) {
	tooBig := func() ([]byte, bool) {
		h.write(x, http.StatusRequestEntityTooLarge, Envelope{Code: CodeMalformed, Msg: "请求体超过上限"})
		return nil, false
	}
	if r.ContentLength > h.cfg.MaxBodyBytes {
		return tooBig()
	}
	// The server's own writer, so that it learns to close the connection.
	body, err := io.ReadAll(http.MaxBytesReader(x.ResponseWriter, r.Body, h.cfg.MaxBodyBytes))
	if err == nil {
		return body, true
	}
	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		return tooBig()
	}
	h.write(x, http.StatusBadRequest, Envelope{Code: CodeMalformed, Msg: "请求体读取失败"})
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
// invalid → 10006, busy and conflict → 10007, all with no data; not_found,
// state, unavailable, canceled and internal (also any error that is not
// paysync's) are business failures, data.code 1 with the error's message, as
// DaxPay wraps its PayFailureException. An internal error is kept for the
// log line.
func (h *Handler) replyError(x *exchange, err error) {
	top := func(code int) {
		h.write(x, http.StatusOK, Envelope{Code: code, Msg: paysync.ErrorMessage(err)})
	}
	switch code := paysync.ErrorCode(err); {
	case errors.Is(err, ErrMalformed):
		top(CodeMalformed)
	case errors.Is(err, ErrSignature):
		top(CodeSignFailed)
	case code == paysync.CodeInvalid:
		top(CodeInvalid)
	case code == paysync.CodeBusy, code == paysync.CodeConflict:
		top(CodeBusy)
	default:
		if code != paysync.CodeNotFound && code != paysync.CodeState &&
			code != paysync.CodeUnavailable && code != paysync.CodeCanceled {
			x.err = err
		}
		h.replyData(x, Data{Code: DataFailed, Msg: paysync.ErrorMessage(err)})
	}
}

// replyData signs d and answers it in a success envelope.
func (h *Handler) replyData(x *exchange, d Data) {
	d.ResTime = h.cfg.Now().Unix()
	d, err := h.signer.SignData(d)
	if err != nil { // unreachable: Validate checked the sign type
		x.err = err
		h.write(x, http.StatusInternalServerError, Envelope{Code: 10001, Msg: "系统错误"})
		return
	}
	h.write(x, http.StatusOK, Envelope{Code: CodeOK, Msg: "success", Data: &d})
}

// write answers e, with the request's trace id, and notes it for the log.
func (h *Handler) write(x *exchange, status int, e Envelope) {
	e.TraceID = x.trace
	x.envelope = &e
	b, err := marshal(e)
	if err != nil { // unreachable: an Envelope always encodes
		http.Error(x, "internal error", http.StatusInternalServerError)
		return
	}
	x.Header().Set("Content-Type", "application/json; charset=utf-8")
	x.Header().Set("X-Trace-Id", e.TraceID)
	x.WriteHeader(status)
	if _, err := x.Write(b); err != nil {
		x.writeErr = err
	}
}
