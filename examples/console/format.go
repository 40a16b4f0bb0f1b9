package console

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// kinds are the kinds of order, in the order pages show them.
var kinds = paysync.TradeTypes()

// kindName is a kind as a heading says it.
func kindName(k paysync.TradeType) string {
	switch k {
	case paysync.TradePay:
		return "Pay"
	case paysync.TradeAllocation:
		return "Allocation"
	case paysync.TradeRefund:
		return "Refund"
	case paysync.TradeTransfer:
		return "Transfer"
	}
	return string(k)
}

// statuses returns every status of kind k, in the order of docs/domain.md.
func statuses(k paysync.TradeType) []string {
	switch k {
	case paysync.TradePay:
		return strs(paysync.PayStatuses())
	case paysync.TradeAllocation:
		return strs(paysync.AllocationStatuses())
	case paysync.TradeRefund:
		return strs(paysync.RefundOrderStatuses())
	case paysync.TradeTransfer:
		return strs(paysync.TransferStatuses())
	}
	return nil
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// tone is the colour class of a status, result or refund status label:
// ok (money settled as intended), run (still moving), bad (failed), warn
// (needs a look), mute (nothing moved).
func tone(v any) string {
	switch fmt.Sprint(v) {
	case "success", "allocation_end", "finish", "all_success":
		return "ok"
	case "progress", "wait", "allocation_processing", "refunding", "pending", "all_pending":
		return "run"
	case "fail", "allocation_failed", "finish_failed", "all_failed":
		return "bad"
	case "partial_refund", "part_success", "refunded":
		return "warn"
	}
	return "mute"
}

// anomalyText says what an anomaly code means, in the words of
// docs/domain.md#anomaly-codes.
var anomalyText = map[paysync.AnomalyCode]string{
	paysync.AnomalyTradeMismatch:          "The channel answered for another trade: another number or another payee.",
	paysync.AnomalyAmountMismatch:         "The channel's amount differs from the order's.",
	paysync.AnomalyCurrencyMismatch:       "The channel's currency differs from the order's.",
	paysync.AnomalyRefundAtChannel:        "The channel says the order was paid and then refunded, with no refund order here.",
	paysync.AnomalyPaidNotPaidAtChannel:   "The order is paid here, but the channel says it is not paid.",
	paysync.AnomalyRefundStatusConflict:   "The order has refunds, but the channel calls it neither paid nor refunded.",
	paysync.AnomalyCloseUnsupported:       "The order expired and should be closed at the channel, which cannot close trades.",
	paysync.AnomalyReceiverUnmatched:      "The channel lists a share that matches no receiver here.",
	paysync.AnomalyReceiverMissing:        "A pending receiver is not listed by the channel.",
	paysync.AnomalyReceiverResultConflict: "The channel gives a settled receiver another final result.",
	paysync.AnomalyReceiverAmountMismatch: "The channel gives a receiver another amount.",
	paysync.AnomalyRefundNotAtChannel:     "The refund succeeded here, but the channel denies it.",
	paysync.AnomalyTransferNotAtChannel:   "The channel denies a succeeded transfer, or does not know one long in progress.",
	paysync.AnomalyOverRefunded:           "Refunded and reserved money exceed what was paid: money must be recovered.",
}

// money renders an amount at its currency's scale, with the currency.
func money(d decimal.Decimal, currency string) template.HTML {
	if currency == "" {
		currency = paysync.DefaultCurrency
	}
	cls := "amt"
	if d.IsNegative() {
		cls += " neg"
	}
	return template.HTML(`<span class="` + cls + `">` + template.HTMLEscapeString(paysync.FormatAmount(d, currency)) +
		`<span class="cur">` + template.HTMLEscapeString(currency) + `</span></span>`)
}

// formatter renders times in the console's zone.
type formatter struct {
	loc *time.Location
	now func() time.Time
}

// when renders t in the zone, with the zone's offset shown and the UTC time
// in the title; "—" for the zero time.
func (f formatter) when(t time.Time) template.HTML {
	if t.IsZero() {
		return `<span class="none">—</span>`
	}
	l := t.In(f.loc)
	u := t.UTC().Format(time.RFC3339)
	return template.HTML(`<time datetime="` + u + `" title="` + u + `"><span class="d">` + l.Format("2006-01-02") +
		`</span> <span class="t">` + l.Format("15:04:05") + `<span class="tz">` + template.HTMLEscapeString(offset(l)) +
		`</span></span></time>`)
}

// offset is t's zone offset as ±hh:mm.
func offset(t time.Time) string {
	return t.Format("-07:00")
}

// ago says how long before now t was: "3h 20m", or "just now".
func (f formatter) ago(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if d := f.now().Sub(t); d >= 0 && d < time.Minute {
		return "just now"
	}
	return span(f.now().Sub(t))
}

// span renders a duration in its two largest units.
func span(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	days, hours, mins, secs := int(d/(24*time.Hour)), int(d/time.Hour)%24, int(d/time.Minute)%60, int(d/time.Second)%60
	var s string
	switch {
	case days > 0:
		s = fmt.Sprintf("%dd %dh", days, hours)
	case hours > 0:
		s = fmt.Sprintf("%dh %dm", hours, mins)
	case mins > 0:
		s = fmt.Sprintf("%dm", mins)
	default:
		s = fmt.Sprintf("%ds", secs)
	}
	if neg {
		return "in " + s
	}
	return s
}

// pretty indents JSON for reading; other bytes are returned as text.
func pretty(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") == nil {
		return out.String()
	}
	return string(b)
}

// urls builds the console's links below its prefix.
type urls struct{ prefix string }

func (u urls) home() string   { return u.prefix }
func (u urls) css() string    { return u.prefix + "static/console.css?v=" + cssVersion }
func (u urls) search() string { return u.prefix + "search" }
func (u urls) inbox(kind string) string {
	if kind == "" {
		return u.prefix + "anomalies"
	}
	return u.prefix + "anomalies?" + url.Values{"kind": {kind}}.Encode()
}
func (u urls) inboxPage(kind, cursor string) string {
	v := url.Values{"cursor": {cursor}}
	if kind != "" {
		v.Set("kind", kind)
	}
	return u.prefix + "anomalies?" + v.Encode()
}
func (u urls) order(kind paysync.TradeType, no string) string {
	return u.prefix + "orders/" + url.PathEscape(string(kind)) + "/" + url.PathEscape(no)
}
func (u urls) action(kind paysync.TradeType, no, what string) string {
	return u.order(kind, no) + "/" + what
}

// orders is the link to a list: by "due", "exhausted" or a status.
func (u urls) orders(kind paysync.TradeType, by string) string {
	return u.ordersPage(kind, by, "")
}
func (u urls) ordersPage(kind paysync.TradeType, by, cursor string) string {
	v := url.Values{}
	switch by {
	case "due", "exhausted":
		v.Set("by", by)
	default:
		v.Set("by", "status")
		v.Set("status", by)
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	return u.prefix + "orders/" + url.PathEscape(string(kind)) + "?" + v.Encode()
}

// withFlash adds a sealed result message to a link.
func withFlash(link, sealed string) string {
	sep := "?"
	if strings.Contains(link, "?") {
		sep = "&"
	}
	return link + sep + url.Values{"flash": {sealed}}.Encode()
}

// problem is an error as a person reads it: what happened in plain words,
// the engine's own words for those who want them, and the HTTP status.
type problem struct {
	Status int
	Text   string
	Detail string
}

// explain turns an error of the engine or the store into plain words about
// order no of kind k. Internal errors say nothing of their cause (it is
// logged).
func explain(err error, k paysync.TradeType, no string) problem {
	msg := paysync.ErrorMessage(err)
	p := problem{Detail: err.Error()}
	switch {
	case errors.Is(err, paysync.ErrVersionConflict):
		p.Status, p.Text = http.StatusConflict, "The order changed after you looked at it, so nothing was written. "+
			"Check it again below and preview the repair anew."
	case errors.Is(err, paysync.ErrInvalidTransition):
		p.Status, p.Text = http.StatusUnprocessableEntity, "The repair was refused and nothing was written: "+msg+"."
	case errors.Is(err, paysync.ErrInvalidRequest):
		p.Status, p.Text = http.StatusUnprocessableEntity, "The request was refused and nothing was written: "+msg+"."
	case paysync.ErrorCode(err) == paysync.CodeNotFound:
		p.Status, p.Text, p.Detail = http.StatusNotFound, "There is no "+strings.ToLower(kindName(k))+" order with the number "+no+".", ""
	case errors.Is(err, paysync.ErrSyncInProgress):
		p.Status, p.Text = http.StatusServiceUnavailable, "Another sync or repair of this order is running. "+
			"Nothing was written; try again in a moment."
	case errors.Is(err, paysync.ErrOrderNotStarted):
		p.Status, p.Text = http.StatusUnprocessableEntity, "This pay order has not been sent to a channel yet: "+
			"there is nothing to ask the channel about."
	case errors.Is(err, paysync.ErrUnsupported):
		p.Status, p.Text = http.StatusUnprocessableEntity, "The channel cannot do this, so nothing was written: "+msg+"."
	case errors.Is(err, paysync.ErrChannelUnavailable):
		p.Status, p.Text = http.StatusBadGateway, "The channel gave no clear answer, so nothing was changed. "+
			"Try again later."
	case errors.Is(err, paysync.ErrUnknownChannel):
		p.Status, p.Text = http.StatusInternalServerError, "The order names a channel this host has not registered, "+
			"so the channel cannot be asked."
	case errors.Is(err, paysync.ErrCanceled):
		p.Status, p.Text = http.StatusServiceUnavailable, "The request ended before the engine finished. "+
			"Look at the order again before you retry."
	default:
		p.Status, p.Text, p.Detail = http.StatusInternalServerError, "Something went wrong on the server. "+
			"It has been logged; nothing on this page can fix it.", ""
	}
	return p
}

// plural picks the word for n things.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
