package console

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/syncer"
)

// target returns the kind and number a POST is about; false when it has
// answered the request itself.
func (h *handler) target(w http.ResponseWriter, r *http.Request) (paysync.TradeType, string, bool) {
	k, ok := h.kind(w, r, r.PathValue("kind"))
	return k, r.PathValue("no"), ok
}

// done redirects to order no's page with a result message (303: the page is
// read with GET, and reloading it sends nothing again).
func (h *handler) done(w http.ResponseWriter, r *http.Request, k paysync.TradeType, no string, f flash) {
	link := withFlash(urls{h.cfg.Prefix}.order(k, no), h.keys.sealFlash(operator(r), f))
	http.Redirect(w, r, link, http.StatusSeeOther)
}

// syncNow syncs one order with its channel, as the host's sync endpoint
// would, with source manual: a person asked for it.
func (h *handler) syncNow(w http.ResponseWriter, r *http.Request) {
	k, no, ok := h.target(w, r)
	if !ok {
		return
	}
	text, err := h.syncOrder(r.Context(), k, no, clientIP(r))
	h.cfg.Logger.Info("console: sync now", "operator", operator(r), "kind", k, "no", no, "err", err)
	switch {
	case paysync.ErrorCode(err) == paysync.CodeNotFound:
		h.failWith(w, r, err, k, no)
	case err != nil:
		p := explain(err, k, no)
		h.logFailure(r, p, err)
		h.done(w, r, k, no, flash{Text: "The sync did not finish. " + p.Text})
	default:
		h.done(w, r, k, no, flash{OK: true, Text: text})
	}
}

// syncOrder runs the kind's sync and says what it found.
func (h *handler) syncOrder(ctx context.Context, k paysync.TradeType, no, ip string) (string, error) {
	src := paysync.SourceManual
	var said, status string
	var moved, exhausted bool
	var anomalies []paysync.AnomalyCode
	switch k {
	case paysync.TradePay:
		out, err := h.eng.SyncPay(ctx, syncer.PayRequest{OrderNo: no, ClientIP: ip, Source: src})
		if err != nil {
			return "", err
		}
		said, status, moved, anomalies, exhausted = string(out.ChannelState), string(out.OrderStatus), out.Adjusted,
			out.Anomalies, out.Exhausted
	case paysync.TradeAllocation:
		out, err := h.eng.SyncAllocation(ctx, syncer.AllocationRequest{AllocationNo: no, ClientIP: ip, Source: src})
		if err != nil {
			return "", err
		}
		if [16]byte(out.RecordID) == [16]byte{} { // no channel call: every receiver is ignored
			return "Nothing to ask the channel: this allocation is ignored, or all its receivers are. The order stays " +
				string(out.Status) + ".", nil
		}
		status, moved, anomalies, exhausted = string(out.Status), out.Adjusted, out.Anomalies, out.Exhausted
	case paysync.TradeRefund:
		out, err := h.eng.SyncRefund(ctx, syncer.RefundRequest{RefundNo: no, ClientIP: ip, Source: src})
		if err != nil {
			return "", err
		}
		said, status, moved, anomalies, exhausted = string(out.ChannelState), string(out.Status), out.Adjusted,
			out.Anomalies, out.Exhausted
	default:
		out, err := h.eng.SyncTransfer(ctx, syncer.TransferRequest{TransferNo: no, ClientIP: ip, Source: src})
		if err != nil {
			return "", err
		}
		said, status, moved, anomalies, exhausted = string(out.ChannelState), string(out.Status), out.Adjusted,
			out.Anomalies, out.Exhausted
	}
	var b strings.Builder
	b.WriteString("Synced with the channel")
	if said != "" {
		b.WriteString(", which says " + said)
	}
	if moved {
		b.WriteString(". The order changed and is now " + status + ".")
	} else {
		b.WriteString(". The order stays " + status + ".")
	}
	if len(anomalies) > 0 {
		b.WriteString(" Anomalies seen: " + strings.Join(strs(anomalies), ", ") + ".")
	}
	if exhausted {
		b.WriteString(" Its sweep schedule has ended.")
	}
	return b.String(), nil
}

// clientIP is the request's remote address without its port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// readForm reads a repair form. The operator is never read from it.
func readForm(r *http.Request) repairForm {
	f := repairForm{To: strings.TrimSpace(r.PostForm.Get("to")), Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
	for _, c := range r.PostForm["resolve"] {
		if c = strings.TrimSpace(c); c != "" {
			f.Resolve = append(f.Resolve, paysync.AnomalyCode(c))
		}
	}
	return f
}

// check returns what is wrong with form on its face, before the engine is
// asked, in words a person can act on; nil when nothing is.
func check(f repairForm) *problem {
	bad := func(text string) *problem { return &problem{Status: http.StatusUnprocessableEntity, Text: text} }
	switch {
	case f.To == "" && len(f.Resolve) == 0:
		return bad("Choose a status to move the order to, or an anomaly to resolve.")
	case f.Reason == "":
		return bad("Give a reason: it is written on the record, with your name.")
	}
	for _, c := range f.Resolve {
		if !c.Valid() {
			return bad("There is no anomaly called " + string(c) + ".")
		}
	}
	return nil
}

// checkMove refuses a move the manual table lacks for d's current status.
func checkMove(d *detail, f repairForm) *problem {
	switch {
	case f.To == "":
		return nil
	case f.To == d.Status:
		return &problem{Status: http.StatusUnprocessableEntity, Text: "The order is " + d.Status + " already."}
	case !allowed(d.Moves, f.To):
		return &problem{Status: http.StatusUnprocessableEntity, Text: "A person may not move a " +
			strings.ToLower(kindName(d.TradeType)) + " order from " + d.Status + " to " + f.To +
			": the manual table has no such move. Nothing was written."}
	}
	return nil
}

// payMove is a refund's effect on its pay order, in the refund's currency
// (its pay order's).
type payMove struct {
	*syncer.PayRefundMove
	Currency string
}

type previewBody struct {
	*detail
	Form    repairForm
	Preview syncer.RepairPreview
	Pay     *payMove
}

// preview shows what a repair would do: a dry run, which writes nothing.
func (h *handler) preview(w http.ResponseWriter, r *http.Request) {
	k, no, ok := h.target(w, r)
	if !ok {
		return
	}
	form := readForm(r)
	d, err := h.load(r.Context(), k, no)
	if err != nil {
		h.failWith(w, r, err, k, no)
		return
	}
	// A refused preview shows the order as d has it: a dry run writes
	// nothing, so reading it all again would show the same.
	prob := check(form)
	if prob == nil {
		prob = checkMove(d, form)
	}
	if prob != nil {
		h.renderOrder(w, r, prob.Status, d, form, prob)
		return
	}
	p, err := h.eng.Repair(r.Context(), syncer.RepairRequest{Kind: k, TradeNo: no, To: form.To, Resolve: form.Resolve,
		Operator: operator(r), Reason: form.Reason, DryRun: true})
	if err != nil {
		prob := explain(err, k, no)
		h.logFailure(r, prob, err)
		h.renderOrder(w, r, prob.Status, d, form, &prob)
		return
	}
	b := previewBody{detail: d, Form: form, Preview: p}
	if p.Pay != nil {
		b.Pay = &payMove{PayRefundMove: p.Pay, Currency: d.Currency}
	}
	h.render(w, r, http.StatusOK, "preview", page{Title: "Preview: " + kindName(k) + " order " + no, Nav: string(k), Body: b})
}

// confirm makes the repair the person previewed, on the Version the
// preview showed: if the order changed since, the engine refuses and
// nothing is written.
func (h *handler) confirm(w http.ResponseWriter, r *http.Request) {
	k, no, ok := h.target(w, r)
	if !ok {
		return
	}
	form := readForm(r)
	if prob := check(form); prob != nil {
		h.showOrder(w, r, prob.Status, k, no, form, prob)
		return
	}
	version, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil || version < 1 {
		prob := &problem{Status: http.StatusUnprocessableEntity,
			Text: "The confirmation does not carry the version its preview showed. Preview the repair again."}
		h.showOrder(w, r, prob.Status, k, no, form, prob)
		return
	}
	op := operator(r)
	p, err := h.eng.Repair(r.Context(), syncer.RepairRequest{Kind: k, TradeNo: no, To: form.To, Resolve: form.Resolve,
		Operator: op, Reason: form.Reason, ExpectVersion: version})
	h.cfg.Logger.Info("console: repair", "operator", op, "kind", k, "no", no, "to", form.To, "resolve", form.Resolve,
		"version", version, "err", err)
	if err != nil {
		prob := explain(err, k, no)
		h.logFailure(r, prob, err)
		h.showOrder(w, r, prob.Status, k, no, form, &prob)
		return
	}
	var b strings.Builder
	b.WriteString("Repaired by " + op + ":")
	if p.Before != p.After {
		b.WriteString(" moved " + p.Before + " → " + p.After + ";")
	}
	if len(p.Resolved) > 0 {
		b.WriteString(" resolved " + strings.Join(strs(p.Resolved), ", ") + ";")
	}
	b.WriteString(" reason: " + clip(form.Reason, 200))
	h.done(w, r, k, no, flash{OK: true, Text: b.String()})
}

// clip shortens s to at most n runes: a result message travels in a
// redirect's URL, and the record itself keeps the whole reason.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
