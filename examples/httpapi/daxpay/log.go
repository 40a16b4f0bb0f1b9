package daxpay

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/paysync/paysync"
)

// exchange is the ResponseWriter a request is answered through, and what its
// one log line will tell: the handler notes each thing as it learns it.
type exchange struct {
	http.ResponseWriter
	start     time.Time
	status    int         // the HTTP status written; 0 until then
	trace     string      // "" for a request no endpoint served
	envelope  *Envelope   // the answer; nil when it was not an envelope
	numbers   []slog.Attr // the order numbers asked for, once the body decoded
	anomalies []paysync.AnomalyCode
	err       error // an internal error, or a failure to sign the answer
	writeErr  error // writing the answer failed (the client left)
}

func (x *exchange) WriteHeader(status int) {
	if x.status == 0 {
		x.status = status
	}
	x.ResponseWriter.WriteHeader(status)
}

func (x *exchange) Write(b []byte) (int, error) {
	if x.status == 0 {
		x.status = http.StatusOK
	}
	return x.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the server's writer.
func (x *exchange) Unwrap() http.ResponseWriter { return x.ResponseWriter }

// log writes the request's one line: endpoint, client address (the TCP
// peer, not a header a client could set), the order numbers asked for, HTTP
// status, outcome code (and the answer's message as reason), duration and
// trace id — never the secret, the sign or the body. The level is Info; Warn when the sync found anomalies; Error
// for an internal error.
func (h *Handler) log(r *http.Request, x *exchange) {
	level := slog.LevelInfo
	attrs := []slog.Attr{
		slog.String("endpoint", r.URL.Path),
		slog.String("method", r.Method),
		slog.String("client", r.RemoteAddr),
	}
	attrs = append(attrs, x.numbers...)
	attrs = append(attrs, slog.Int("status", x.status))
	if e := x.envelope; e != nil {
		attrs = append(attrs, slog.Int("code", e.Code))
		switch {
		case e.Data != nil:
			attrs = append(attrs, slog.Int("dataCode", e.Data.Code))
			if e.Data.Msg != "" {
				attrs = append(attrs, slog.String("reason", e.Data.Msg))
			}
		case e.Code != CodeOK:
			attrs = append(attrs, slog.String("reason", e.Msg))
		}
	}
	if len(x.anomalies) > 0 {
		level = slog.LevelWarn
		attrs = append(attrs, slog.Any("anomalies", x.anomalies))
	}
	if x.err != nil {
		level = slog.LevelError
		attrs = append(attrs, slog.Any("err", x.err))
	}
	if x.writeErr != nil {
		attrs = append(attrs, slog.Any("writeErr", x.writeErr))
	}
	attrs = append(attrs, slog.Duration("duration", time.Since(x.start)))
	if x.trace != "" {
		attrs = append(attrs, slog.String("traceId", x.trace))
	}
	h.cfg.Logger.LogAttrs(r.Context(), level, "request", attrs...)
}
