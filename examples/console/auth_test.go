package console_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/examples/console"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// routes are a request to every route of the console, on order P1.
var routes = []struct{ method, path string }{
	{http.MethodGet, prefix},
	{http.MethodGet, prefix + "anomalies"},
	{http.MethodGet, prefix + "anomalies?kind=pay"},
	{http.MethodGet, prefix + "orders/pay?by=due"},
	{http.MethodGet, prefix + "orders/pay?by=status&status=success"},
	{http.MethodGet, prefix + "orders/pay/P1"},
	{http.MethodGet, prefix + "search?q=P1"},
	{http.MethodGet, prefix + "static/console.css"},
	{http.MethodGet, prefix + "no/such/page"},
	{http.MethodHead, prefix + "orders/pay/P1"},
	{http.MethodPost, prefix + "orders/pay/P1/sync"},
	{http.MethodPost, prefix + "orders/pay/P1/preview"},
	{http.MethodPost, prefix + "orders/pay/P1/repair"},
}

// TestUnauthenticated: a request the host's Authenticate refuses — no
// credentials, a wrong password, or an empty name — gets 401 and no data,
// on every route, and changes nothing.
func TestUnauthenticated(t *testing.T) {
	e := newEnv(t, func(c *console.Config) { c.Challenge = `Basic realm="paysync console"` })
	o := e.pay("P1", paysync.PaySuccess)
	e.ch.SetPay("P1", channeltest.Report(o, channel.PayClosed))
	before := e.state(paysync.TradePay, "P1")
	tok := e.token()
	form := url.Values{"csrf": {tok}, "to": {"close"}, "reason": {"r"}, "version": {"1"}}
	for _, rt := range routes {
		for _, who := range []struct {
			name string
			set  func(*http.Request)
		}{
			{"no credentials", func(*http.Request) {}},
			{"wrong password", func(r *http.Request) { r.SetBasicAuth(operator, "guess") }},
			{"empty name", func(r *http.Request) { r.SetBasicAuth("", password) }},
		} {
			t.Run(rt.method+" "+rt.path+"/"+who.name, func(t *testing.T) {
				var r *http.Request
				if rt.method == http.MethodPost {
					r = httptest.NewRequest(rt.method, rt.path, strings.NewReader(form.Encode()))
					r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				} else {
					r = httptest.NewRequest(rt.method, rt.path, nil)
				}
				who.set(r)
				w := httptest.NewRecorder()
				e.h.ServeHTTP(w, r)
				assert.Equal(t, http.StatusUnauthorized, w.Code)
				assert.Equal(t, `Basic realm="paysync console"`, w.Header().Get("WWW-Authenticate"))
				body := w.Body.String()
				assert.NotContains(t, body, "P1")
				assert.NotContains(t, body, "paysync")
				assert.NotContains(t, body, tok)
			})
		}
	}
	assert.Equal(t, before, e.state(paysync.TradePay, "P1"), "nothing written")
}

// TestCSRF: a POST without a valid token for its operator is refused with
// 403 and changes nothing: no sync, no preview, no repair.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	o := e.pay("P1", paysync.PaySuccess)
	e.ch.SetPay("P1", channeltest.Report(o, channel.PayClosed))
	good := e.token()
	mallory := func() string { // a token from another operator's page
		w := e.do(http.MethodGet, orderPath(paysync.TradeTransfer, "token-page"), nil, "mallory")
		m := csrfField.FindStringSubmatch(w.Body.String())
		require.NotNil(t, m)
		return m[1]
	}()
	ts, sig, _ := strings.Cut(good, ".")
	tokens := map[string]*string{
		"missing":            nil,
		"empty":              ptr(""),
		"garbage":            ptr("not-a-token"),
		"forged signature":   ptr(ts + ".AAAA"),
		"another time":       ptr("zzzzzz." + sig),
		"another operator's": ptr(mallory),
	}
	before := e.state(paysync.TradePay, "P1")
	for name, tok := range tokens {
		for _, action := range []string{"sync", "preview", "repair"} {
			t.Run(name+"/"+action, func(t *testing.T) {
				form := url.Values{"to": {"close"}, "reason": {"r"}, "version": {"1"}}
				if tok != nil {
					form.Set("csrf", *tok)
				}
				w := e.do(http.MethodPost, orderPath(paysync.TradePay, "P1")+"/"+action, form, operator)
				assert.Equal(t, http.StatusForbidden, w.Code)
				assert.Contains(t, w.Body.String(), "security token is missing, expired or not yours")
				assert.Equal(t, before, e.state(paysync.TradePay, "P1"), "nothing written")
			})
		}
	}

	t.Run("expired", func(t *testing.T) {
		e.clock.Add(13 * time.Hour)
		defer e.clock.Add(-13 * time.Hour)
		w := e.do(http.MethodPost, orderPath(paysync.TradePay, "P1")+"/sync", url.Values{"csrf": {good}}, operator)
		assert.Equal(t, http.StatusForbidden, w.Code)
		assert.Equal(t, before, e.state(paysync.TradePay, "P1"))
	})
	t.Run("valid", func(t *testing.T) {
		w := e.do(http.MethodPost, orderPath(paysync.TradePay, "P1")+"/sync", url.Values{"csrf": {good}}, operator)
		assert.Equal(t, http.StatusSeeOther, w.Code)
		assert.Equal(t, before.Syncs+1, e.state(paysync.TradePay, "P1").Syncs)
	})
	t.Run("another key", func(t *testing.T) {
		other := newEnv(t, func(c *console.Config) { c.CSRFKey = []byte("0123456789abcdef0123456789abcdef") })
		other.pay("P1", paysync.PaySuccess)
		w := other.do(http.MethodPost, orderPath(paysync.TradePay, "P1")+"/sync", url.Values{"csrf": {good}}, operator)
		assert.Equal(t, http.StatusForbidden, w.Code, "a token of another console is worthless")
	})
}

func ptr(s string) *string { return &s }

// TestFlashCannotBeForged: a result message is shown only when the console
// sealed it for this operator.
func TestFlashCannotBeForged(t *testing.T) {
	e := newEnv(t)
	o := e.pay("P1", paysync.PaySuccess)
	e.ch.SetPay("P1", channeltest.Report(o, channel.PayClosed))
	w := e.post(orderPath(paysync.TradePay, "P1")+"/sync", nil)
	require.Equal(t, http.StatusSeeOther, w.Code)
	loc := w.Header().Get("Location")
	assert.Contains(t, e.getOK(loc), "Synced with the channel")

	other := e.do(http.MethodGet, loc, nil, "mallory")
	assert.NotContains(t, other.Body.String(), "Synced with the channel", "sealed for another operator")

	forged := orderPath(paysync.TradePay, "P1") + "?flash=" + url.QueryEscape("b2s6UmVwYWlyZWQ.AAAA")
	assert.NotContains(t, e.getOK(forged), "Repaired")
}

// TestSecurityHeaders: pages forbid framing, scripts and other origins.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	w := e.get(prefix)
	require.Equal(t, http.StatusOK, w.Code)
	csp := w.Header().Get("Content-Security-Policy")
	contains(t, csp, "default-src 'none'", "frame-ancestors 'none'", "form-action 'self'")
	assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"))
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	assert.NotContains(t, w.Body.String(), "<script")
}
