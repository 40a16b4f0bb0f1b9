package browsertest

import (
	"bytes"
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"html"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

var screenshots = flag.String("screenshots", "",
	"write the screenshots into this directory; ../../../docs updates the README's (default: a temporary directory)")

const (
	prefix   = "/console/"
	operator = "ops-li"
	token    = "console-token"
	width    = 1280
	height   = 800
)

// chromiumPath is the browser: $CHROMIUM, or Debian's chromium package.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// recorder remembers every request the console answered, and fails the
// test on a server error.
type recorder struct {
	mu     sync.Mutex
	errors []string
}

func (rec *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		if sw.status >= 500 {
			rec.mu.Lock()
			rec.errors = append(rec.errors, fmt.Sprintf("%s %s: %d", r.Method, r.URL, sw.status))
			rec.mu.Unlock()
		}
	})
}

func (rec *recorder) check(t *testing.T) {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, e := range rec.errors {
		t.Errorf("server error: %s", e)
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// browserLog collects what the page must never show: a response of 400 or
// more, a console error or an exception (a CSP violation is one).
type browserLog struct {
	mu   sync.Mutex
	bad  []string
	seen []string // every page the browser loaded
}

func (b *browserLog) add(list *[]string, s string) {
	b.mu.Lock()
	*list = append(*list, s)
	b.mu.Unlock()
}

// TestConsoleInChromium walks the console as a person would, in headless
// Chromium: the overview; search P0006 and "sync now" it, which raises
// paid_order_not_paid_at_channel; the inbox; the order from there; a repair
// to close resolving the anomaly, previewed and confirmed; and the order
// page showing close, the manual AdjustRecord with the operator's name, and
// the anomaly resolved. Every link met on the way is then crawled: each
// must answer 2xx to HEAD and GET. A server error, a failed response or a
// console error in the browser fails the test. It writes the screenshots of
// the overview, the inbox and the order page (1280×800).
func TestConsoleInChromium(t *testing.T) {
	chromium := chromiumPath()
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("chromium is not installed at %s (apt-get install -y chromium, or set CHROMIUM): %v", chromium, err)
	}
	outDir := *screenshots
	if outDir == "" {
		outDir = t.TempDir()
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	demo, err := NewDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h, err := demo.Console(prefix, token)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	mux := http.NewServeMux()
	mux.Handle(prefix, h)
	srv := httptest.NewServer(rec.wrap(mux))
	defer srv.Close()
	defer rec.check(t)

	// Without credentials: 401 and nothing else.
	resp, err := http.Get(srv.URL + prefix)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || bytes.Contains(body, []byte("1006")) {
		t.Fatalf("without credentials: %d %q", resp.StatusCode, body)
	}

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox, // Debian's chromium run as root (CI) needs it
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()

	log := &browserLog{}
	messages := chromedp.Console(bctx)
	responses := chromedp.Events(bctx, network.ResponseReceived)
	var watchers sync.WaitGroup
	watchers.Add(2)
	go func() {
		defer watchers.Done()
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				log.add(&log.bad, fmt.Sprintf("console %s: %s (%s)", m.Type, m.Text, m.URL))
			}
		}
	}()
	go func() {
		defer watchers.Done()
		for ev, err := range responses {
			if err != nil {
				return
			}
			if ev.Response.Status >= 400 {
				log.add(&log.bad, fmt.Sprintf("response %d for %s", ev.Response.Status, ev.Response.URL))
			}
			if ev.Type == network.ResourceTypeDocument {
				log.add(&log.seen, ev.Response.URL)
			}
		}
	}()
	defer func() {
		cancelBrowser()
		watchers.Wait()
		log.mu.Lock()
		defer log.mu.Unlock()
		for _, b := range log.bad {
			t.Errorf("browser: %s", b)
		}
	}()

	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(operator+":"+token))
	if _, err := chromedp.Call(bctx, network.SetExtraHTTPHeaders,
		network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Authorization": auth}}); err != nil {
		t.Fatal(err)
	}
	w := walker{t: t, ctx: bctx, base: srv.URL, out: outDir, links: map[string]bool{}}
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}

	// The overview.
	w.do(chromedp.Navigate(srv.URL + prefix))
	w.text("h1", "Overview")
	w.text(".totals", "open anomalies")
	w.shot("console-overview.png")

	// Search P0006: one order has it, so its page opens.
	w.load(chromedp.SendKeys(chromedp.CSS(`header input[name="q"]`), "P0006\n"))
	w.at(prefix + "orders/pay/1006")
	w.text("h1", "Pay order 1006")
	w.text("h1", "success")

	// Sync now: the channel says closed, and the anomaly opens.
	w.load(chromedp.Click(chromedp.CSS(`form.act button[type="submit"]`)))
	w.at(prefix + "orders/pay/1006")
	w.text(".flash.ok", "the channel, which says closed")
	w.text(".flash.ok", "paid_order_not_paid_at_channel")
	w.text("h1", "1 open anomaly")

	// A person comes back to it a few minutes later: the inbox lists it,
	// with the others, oldest first.
	demo.Clock.Add(4 * time.Minute)
	w.load(chromedp.Click(chromedp.CSS(`header nav a[href="` + prefix + `anomalies"]`)))
	w.at(prefix + "anomalies")
	w.text("h1", "Open anomalies")
	w.text("table.list", "paid_order_not_paid_at_channel")
	w.text("table.list", "amount_mismatch")
	w.text("table.list", "refund_not_at_channel")
	w.text("table.list", "transfer_not_at_channel")
	w.shot("console-inbox.png")

	// Open the order from the inbox and fill in the repair.
	w.load(chromedp.Click(chromedp.CSS(`table.list a[href="` + prefix + `orders/pay/1006"]`)))
	w.at(prefix + "orders/pay/1006")
	before, err := demo.Store.GetPayOrder(ctx, "1006")
	if err != nil {
		t.Fatal(err)
	}
	w.do(
		chromedp.SetValue(chromedp.ID("to"), "close"),
		chromedp.Click(chromedp.CSS(`input[name="resolve"][value="paid_order_not_paid_at_channel"]`)),
		chromedp.SendKeys(chromedp.ID("reason"), "The bank statement of 27 Nov shows no payment for P0006"),
	)
	w.shot("console-order.png")

	// Preview: nothing written yet.
	w.load(chromedp.Click(chromedp.CSS(`#repair button[type="submit"]`)))
	w.at(prefix + "orders/pay/1006/preview")
	w.text(".banner", "nothing has been written yet")
	w.text(".move", "success")
	w.text(".move", "close")
	w.text("main", "anomaly.resolved")
	w.text("main", "pay.closed")
	w.text("main", "The channel says closed.")
	w.text("#confirm", "You confirm as "+operator+", on version "+fmt.Sprint(before.Version))
	if now, err := demo.Store.GetPayOrder(ctx, "1006"); err != nil || now.Version != before.Version || now.Status != paysync.PaySuccess {
		t.Fatalf("the preview wrote something: %+v %v", now, err)
	}

	// Confirm, and land on the order repaired.
	demo.Clock.Add(time.Minute)
	w.load(chromedp.Click(chromedp.CSS(`#confirm button[type="submit"]`)))
	w.at(prefix + "orders/pay/1006")
	w.text(".flash.ok", "Repaired by "+operator+": moved success → close; resolved paid_order_not_paid_at_channel")
	w.text("h1", "close")
	w.text(".t-adjust", "manual")
	w.text(".t-adjust", "by "+operator)
	w.text(".t-adjust", "The bank statement of 27 Nov shows no payment for P0006")
	w.text("#anomalies", "resolved")
	w.text("#anomalies", "by "+operator)
	w.noText("h1", "open anomal")

	o, err := demo.Store.GetPayOrder(ctx, "1006")
	if err != nil || o.Status != paysync.PayClose {
		t.Fatalf("1006 after the repair: %+v %v", o, err)
	}
	adjusts, err := demo.Store.ListAdjustRecords(ctx, repository.RecordFilter{TradeType: paysync.TradePay, TradeNo: "1006"})
	if err != nil || len(adjusts) != 1 || adjusts[0].Source != paysync.SourceManual || adjusts[0].Operator != operator {
		t.Fatalf("adjust records of 1006: %+v %v", adjusts, err)
	}
	as, err := demo.Store.OrderAnomalies(ctx, paysync.TradePay, "1006")
	if err != nil || len(as) != 1 || as[0].Open() || as[0].ResolvedBy != operator {
		t.Fatalf("anomalies of 1006: %+v %v", as, err)
	}

	w.crawl(auth)
}

// walker drives one tab and remembers every link it met.
type walker struct {
	t     *testing.T
	ctx   context.Context
	base  string
	out   string
	links map[string]bool
}

// do runs steps, failing the test on an error.
func (w *walker) do(steps ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	if err := chromedp.Do(w.ctx, steps...); err != nil {
		w.t.Fatal(err)
	}
}

// load runs a step that leaves the page (a click, an Enter), waits for the
// next page's load, and collects its links.
func (w *walker) load(step chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	if _, err := chromedp.Run(w.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, step)); err != nil {
		w.t.Fatal(err)
	}
	w.collect()
}

// collect adds the page's links to those to crawl.
func (w *walker) collect() {
	w.t.Helper()
	links, err := chromedp.Run(w.ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('a[href], link[href]')].map(a => a.href)`))
	if err != nil {
		w.t.Fatal(err)
	}
	for _, l := range links {
		w.links[l] = true
	}
}

// at requires the page's path to be path.
func (w *walker) at(path string) {
	w.t.Helper()
	loc, err := chromedp.Run(w.ctx, chromedp.Location())
	if err != nil {
		w.t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil || u.Path != path {
		w.t.Fatalf("at %s, want %s", loc, path)
	}
}

// text requires the first element that css selects to contain want.
func (w *walker) text(css, want string) {
	w.t.Helper()
	got, err := chromedp.Run(w.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		w.t.Fatalf("%s: %v", css, err)
	}
	if !strings.Contains(squash(got), want) {
		w.t.Fatalf("%s says %q, want %q in it", css, squash(got), want)
	}
}

// noText requires the first element that css selects not to contain s.
func (w *walker) noText(css, s string) {
	w.t.Helper()
	got, err := chromedp.Run(w.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		w.t.Fatalf("%s: %v", css, err)
	}
	if strings.Contains(squash(got), s) {
		w.t.Fatalf("%s says %q, which it should not", css, squash(got))
	}
}

var spaces = regexp.MustCompile(`\s+`)

func squash(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// shot writes the viewport as name, and checks it is 1280×800.
func (w *walker) shot(name string) {
	w.t.Helper()
	buf, err := chromedp.Run(w.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		w.t.Fatal(err)
	}
	img, err := png.DecodeConfig(bytes.NewReader(buf))
	if err != nil || img.Width != width || img.Height != height {
		w.t.Fatalf("%s: %dx%d %v, want %dx%d", name, img.Width, img.Height, err, width, height)
	}
	if err := os.WriteFile(filepath.Join(w.out, name), buf, 0o644); err != nil {
		w.t.Fatal(err)
	}
}

var hrefs = regexp.MustCompile(`<(?:a|link)\b[^>]*\bhref="([^"]+)"`)

// crawl follows every link the walk met, and every link on the pages they
// lead to, within the console: each must answer 2xx to HEAD and to GET.
func (w *walker) crawl(auth string) {
	w.t.Helper()
	client := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	fetch := func(method, link string) (*http.Response, []byte) {
		req, err := http.NewRequestWithContext(w.ctx, method, link, nil)
		if err != nil {
			w.t.Fatal(err)
		}
		req.Header.Set("Authorization", auth)
		resp, err := client.Do(req)
		if err != nil {
			w.t.Fatalf("%s %s: %v", method, link, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			w.t.Fatal(err)
		}
		return resp, body
	}
	var queue []string
	for l := range w.links {
		queue = append(queue, l)
	}
	slices.Sort(queue)
	seen := map[string]bool{}
	for len(queue) > 0 && len(seen) < 2000 {
		link := queue[0]
		queue = queue[1:]
		if i := strings.IndexByte(link, '#'); i >= 0 {
			link = link[:i]
		}
		if seen[link] || strings.HasPrefix(link, "data:") {
			continue
		}
		seen[link] = true
		if !strings.HasPrefix(link, w.base+prefix) {
			w.t.Errorf("a link leaves the console: %s", link)
			continue
		}
		if resp, _ := fetch(http.MethodHead, link); resp.StatusCode/100 != 2 {
			w.t.Errorf("HEAD %s: %d", link, resp.StatusCode)
		}
		resp, body := fetch(http.MethodGet, link)
		if resp.StatusCode/100 != 2 {
			w.t.Errorf("GET %s: %d", link, resp.StatusCode)
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, m := range hrefs.FindAllStringSubmatch(string(body), -1) {
			ref, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil {
				w.t.Errorf("%s: bad link %q", link, m[1])
				continue
			}
			base, _ := url.Parse(link)
			next := base.ResolveReference(ref).String()
			if !seen[next] {
				queue = append(queue, next)
			}
		}
	}
	if len(seen) < 30 {
		w.t.Errorf("the crawl reached %d pages only", len(seen))
	}
	w.t.Logf("crawled %d links, all 2xx", len(seen))
}
