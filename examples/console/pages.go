package console

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// cssVersion names the stylesheet's content in its link, so a browser may
// keep it as long as it likes and still never shows a stale one.
var cssVersion = func() string {
	sum := sha256.Sum256(stylesheet)
	return hex.EncodeToString(sum[:6])
}()

// page is what the layout needs, around one page's own data in Body.
type page struct {
	Title    string
	Nav      string // the navigation entry to mark: overview, anomalies, a kind, search
	Operator string
	CSRF     string
	Zone     string
	ZoneNote string
	Flash    *flash
	Problem  *problem
	Query    string // the search box's text
	Body     any
}

func (h *handler) parseTemplates() (map[string]*template.Template, error) {
	f := formatter{loc: h.cfg.Location, now: h.cfg.Now}
	u := urls{prefix: h.cfg.Prefix}
	funcs := template.FuncMap{
		"money":       money,
		"when":        f.when,
		"ago":         f.ago,
		"tone":        tone,
		"kindName":    kindName,
		"pretty":      pretty,
		"plural":      plural,
		"anomalyText": func(c paysync.AnomalyCode) string { return anomalyText[c] },
		"homeURL":     u.home,
		"cssURL":      u.css,
		"searchURL":   u.search,
		"inboxURL":    u.inbox,
		"inboxPage":   u.inboxPage,
		"orderURL":    u.order,
		"actionURL":   u.action,
		"listURL":     u.orders,
		"listPage":    u.ordersPage,
		"kinds":       func() []paysync.TradeType { return kinds },
		"hasCode": func(codes []paysync.AnomalyCode, c paysync.AnomalyCode) bool {
			return slices.Contains(codes, c)
		},
		"due": func(s repository.OrderSummary) bool {
			return !s.Schedule.NextSyncAt.IsZero() && !s.Schedule.NextSyncAt.After(h.cfg.Now())
		},
		"str": func(v any) string { return fmt.Sprint(v) },
	}
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

// render writes page name with status. The page is rendered whole before
// anything is written, so a template error is a clean 500.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	op := operator(r)
	p.Operator, p.CSRF = op, h.keys.csrf(op)
	p.Zone, p.ZoneNote = h.zone.name, h.zone.note
	if p.Flash == nil {
		if v := r.URL.Query().Get("flash"); v != "" {
			if f, ok := h.keys.openFlash(op, v); ok {
				p.Flash = &f
			}
		}
	}
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		h.cfg.Logger.Error("console: rendering a page failed", "page", name, "err", err)
		http.Error(w, "500 internal error: the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail renders an error page that says text.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, status int, text string) {
	h.render(w, r, status, "error", page{Title: http.StatusText(status), Problem: &problem{Status: status, Text: text}})
}

// failWith renders err in plain words about order no of kind k.
func (h *handler) failWith(w http.ResponseWriter, r *http.Request, err error, k paysync.TradeType, no string) {
	p := explain(err, k, no)
	h.logFailure(r, p, err)
	h.render(w, r, p.Status, "error", page{Title: http.StatusText(p.Status), Problem: &p})
}

// logFailure logs err when p says it is the server's fault (500): a
// channel without an answer (502), a busy order or a request cut short (503)
// is not, and a person reads those on the page.
func (h *handler) logFailure(r *http.Request, p problem, err error) {
	if p.Status == http.StatusInternalServerError {
		h.cfg.Logger.Error("console: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// badPage answers a list or inbox request whose parameters the store
// refused: most often a cursor from another store or an old link.
func (h *handler) badPage(w http.ResponseWriter, r *http.Request, err error, first string) {
	if errors.Is(err, paysync.ErrInvalidRequest) {
		h.render(w, r, http.StatusBadRequest, "error", page{Title: "Bad link", Problem: &problem{
			Status: http.StatusBadRequest,
			Text:   "This page's link is not valid here; it may be old or from another console. Start from the first page.",
			Detail: err.Error()}, Body: first})
		return
	}
	h.failWith(w, r, err, "", "")
}

func (h *handler) css(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	_, _ = w.Write(stylesheet)
}

// kindCounts is one kind's part of the overview.
type kindCounts struct {
	Kind     paysync.TradeType
	Counts   repository.OrderCounts
	Statuses []statusCount
	Total    int
}

type statusCount struct {
	Status string
	N      int
}

type overviewBody struct {
	Kinds                     []kindCounts
	Anomalies, Due, Exhausted int
	OldestDue                 time.Time // the earliest due time of any kind; zero when nothing is due
}

func (h *handler) overview(w http.ResponseWriter, r *http.Request) {
	now := h.cfg.Now()
	var b overviewBody
	for _, k := range kinds {
		c, err := h.store.CountOrders(r.Context(), k, now)
		if err != nil {
			h.failWith(w, r, err, "", "")
			return
		}
		kc := kindCounts{Kind: k, Counts: c}
		for _, s := range statuses(k) {
			kc.Statuses = append(kc.Statuses, statusCount{Status: s, N: c.ByStatus[s]})
			kc.Total += c.ByStatus[s]
		}
		b.Kinds = append(b.Kinds, kc)
		b.Anomalies += c.OpenAnomalies
		b.Due += c.Due
		b.Exhausted += c.Exhausted
		if !c.OldestDue.IsZero() && (b.OldestDue.IsZero() || c.OldestDue.Before(b.OldestDue)) {
			b.OldestDue = c.OldestDue
		}
	}
	h.render(w, r, http.StatusOK, "overview", page{Title: "Overview", Nav: "overview", Body: b})
}

// kind returns the kind of order named s; for any other text it answers
// 404 itself and returns false.
func (h *handler) kind(w http.ResponseWriter, r *http.Request, s string) (paysync.TradeType, bool) {
	k := paysync.TradeType(s)
	if !k.Valid() {
		h.fail(w, r, http.StatusNotFound, "There is no kind of order called "+s+".")
		return "", false
	}
	return k, true
}

// inboxRow is one open anomaly with its order, when the order can be read.
type inboxRow struct {
	paysync.Anomaly
	Order *order
}

type inboxBody struct {
	Kind   string
	Rows   []inboxRow
	Cursor string
	Next   string
}

func (h *handler) inbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	b := inboxBody{Kind: q.Get("kind"), Cursor: q.Get("cursor")}
	if b.Kind != "" {
		if _, ok := h.kind(w, r, b.Kind); !ok {
			return
		}
	}
	pg, err := h.store.ListOpenAnomalies(r.Context(), repository.AnomalyQuery{TradeType: paysync.TradeType(b.Kind),
		Cursor: b.Cursor, Limit: h.cfg.PageSize})
	if err != nil {
		h.badPage(w, r, err, urls{h.cfg.Prefix}.inbox(b.Kind))
		return
	}
	b.Next = pg.Next
	read := map[string]*order{} // an order with several open anomalies is read once; nil: not found
	for _, a := range pg.Anomalies {
		key := string(a.TradeType) + "/" + a.TradeNo
		o, ok := read[key]
		if !ok {
			got, err := h.get(r.Context(), a.TradeType, a.TradeNo, false)
			switch {
			case err == nil:
				o = &got
			case paysync.ErrorCode(err) != paysync.CodeNotFound: // not found: the row says so
				h.failWith(w, r, err, a.TradeType, a.TradeNo)
				return
			}
			read[key] = o
		}
		b.Rows = append(b.Rows, inboxRow{Anomaly: a, Order: o})
	}
	h.render(w, r, http.StatusOK, "inbox", page{Title: "Anomalies", Nav: "anomalies", Body: b})
}

type listBody struct {
	Kind     paysync.TradeType
	By       string // due, exhausted or a status
	Statuses []string
	Orders   []repository.OrderSummary
	Cursor   string
	Next     string
}

func (h *handler) list(w http.ResponseWriter, r *http.Request) {
	k, ok := h.kind(w, r, r.PathValue("kind"))
	if !ok {
		return
	}
	q := r.URL.Query()
	b := listBody{Kind: k, Statuses: statuses(k), Cursor: q.Get("cursor")}
	oq := repository.OrderQuery{TradeType: k, Cursor: b.Cursor, Limit: h.cfg.PageSize}
	switch by := q.Get("by"); by {
	case "", "due":
		b.By, oq.By = "due", repository.ByDue
	case "exhausted":
		b.By, oq.By = "exhausted", repository.ByExhausted
	case "status":
		st := q.Get("status")
		if !slices.Contains(b.Statuses, st) {
			h.fail(w, r, http.StatusNotFound, kindName(k)+" orders have no status called "+st+".")
			return
		}
		b.By, oq.By, oq.Status = st, repository.ByStatus, st
	default:
		h.fail(w, r, http.StatusNotFound, "Orders cannot be listed by "+by+".")
		return
	}
	pg, err := h.store.ListOrders(r.Context(), oq)
	if err != nil {
		h.badPage(w, r, err, urls{h.cfg.Prefix}.orders(k, b.By))
		return
	}
	b.Orders, b.Next = pg.Orders, pg.Next
	h.render(w, r, http.StatusOK, "list", page{Title: kindName(k) + " orders", Nav: string(k), Body: b})
}

// repairForm is what a person entered in the repair form, kept when the
// form comes back with a problem.
type repairForm struct {
	To      string
	Resolve []paysync.AnomalyCode
	Reason  string
}

type orderBody struct {
	*detail
	Form repairForm
}

func (h *handler) order(w http.ResponseWriter, r *http.Request) {
	k, ok := h.kind(w, r, r.PathValue("kind"))
	if !ok {
		return
	}
	h.showOrder(w, r, http.StatusOK, k, r.PathValue("no"), repairForm{}, nil)
}

// showOrder renders order no's page, with a problem when a POST about it
// went wrong and the form as the person filled it in.
func (h *handler) showOrder(w http.ResponseWriter, r *http.Request, status int, k paysync.TradeType, no string,
	form repairForm, prob *problem) {
	d, err := h.load(r.Context(), k, no)
	if err != nil {
		h.failWith(w, r, err, k, no)
		return
	}
	h.renderOrder(w, r, status, d, form, prob)
}

// renderOrder renders the page of d, loaded by this request.
func (h *handler) renderOrder(w http.ResponseWriter, r *http.Request, status int, d *detail, form repairForm,
	prob *problem) {
	h.render(w, r, status, "order", page{Title: kindName(d.TradeType) + " order " + d.TradeNo, Nav: string(d.TradeType),
		Problem: prob, Body: orderBody{detail: d, Form: form}})
}

type searchBody struct {
	Query string
	Found []order
}

// search looks q up as a system and as a merchant number of every kind. One
// order found is opened at once; several are listed.
func (h *handler) search(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	b := searchBody{Query: q}
	if q != "" {
		seen := map[string]bool{}
		for _, k := range kinds {
			for _, byBiz := range []bool{false, true} {
				o, err := h.get(r.Context(), k, q, byBiz)
				switch {
				case paysync.ErrorCode(err) == paysync.CodeNotFound:
					continue
				case err != nil:
					h.failWith(w, r, err, k, q)
					return
				}
				if key := string(k) + "/" + o.TradeNo; !seen[key] {
					seen[key] = true
					b.Found = append(b.Found, o)
				}
			}
		}
		if len(b.Found) == 1 {
			http.Redirect(w, r, urls{h.cfg.Prefix}.order(b.Found[0].TradeType, b.Found[0].TradeNo), http.StatusSeeOther)
			return
		}
	}
	h.render(w, r, http.StatusOK, "search", page{Title: "Search", Nav: "search", Query: q, Body: b})
}
