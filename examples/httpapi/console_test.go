package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync/examples/httpapi/daxpay"
)

// TestConsoleMount: with -console-token the console answers at /console/
// behind basic auth (any user name, the token as password, compared in
// constant time); without credentials it answers 401 and no data; the sync
// endpoints are served beside it as before. Without the flag there is no
// console at all.
func TestConsoleMount(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := newDemo(context.Background(), logger)
	if err != nil {
		t.Fatal(err)
	}
	api, err := daxpay.NewHandler(d.engine, daxpay.Config{Secret: "123456", SignType: daxpay.HMACSHA256, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	o := options{consoleToken: "t0ken", consoleLoc: time.UTC}
	h, err := withConsole(api, d, o, logger)
	if err != nil {
		t.Fatal(err)
	}
	get := func(h http.Handler, path, user, pass string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		if user != "" || pass != "" {
			r.SetBasicAuth(user, pass)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	cases := []struct {
		name, user, pass string
		want             int
	}{
		{"no credentials", "", "", http.StatusUnauthorized},
		{"wrong token", "ops-li", "token", http.StatusUnauthorized},
		{"no user name", "", "t0ken", http.StatusUnauthorized},
		{"operator and token", "ops-li", "t0ken", http.StatusOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := get(h, "/console/", c.user, c.pass)
			if w.Code != c.want {
				t.Fatalf("GET /console/ = %d, want %d", w.Code, c.want)
			}
			body := w.Body.String()
			if c.want == http.StatusUnauthorized {
				if !strings.Contains(w.Header().Get("WWW-Authenticate"), "Basic") {
					t.Errorf("401 without a basic challenge: %q", w.Header().Get("WWW-Authenticate"))
				}
				if strings.Contains(body, "1006") || strings.Contains(body, "progress") {
					t.Errorf("a refused request saw data: %q", body)
				}
			}
		})
	}
	// The demo's orders for a person are there: 1008's schedule ended.
	if w := get(h, "/console/orders/pay/1008", "ops-li", "t0ken"); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), `<span class="label big warn">schedule ended</span>`) {
		t.Errorf("order page of 1008 = %d, without its ended schedule", w.Code)
	}
	// The API is still served beside it.
	if w := get(h, "/unipay/sync/pay", "", ""); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /unipay/sync/pay = %d, want 405 from the API", w.Code)
	}
	// Without the flag: no console.
	if w := get(api, "/console/", "ops-li", "t0ken"); w.Code != http.StatusNotFound {
		t.Errorf("without -console-token, GET /console/ = %d, want 404", w.Code)
	}
}
