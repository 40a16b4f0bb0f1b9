package console_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/examples/console"
	"github.com/paysync/paysync/syncer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEmptyStates: on an empty store every page renders, and says there is
// nothing rather than showing an empty table.
func TestEmptyStates(t *testing.T) {
	e := newEnv(t)
	contains(t, e.getOK(prefix), "<b>0</b><span>open anomalies</span>", "Pay orders", "Allocation orders",
		"Refund orders", "Transfer orders", "allocation_processing", `<span class="zone"`, "Asia/Shanghai")
	contains(t, e.getOK(prefix+"anomalies"), "No open anomalies", "Nothing needs a person right now.")
	for _, k := range paysync.TradeTypes() {
		contains(t, e.getOK(prefix+"anomalies?kind="+string(k)), "No open anomalies", "among "+string(k)+" orders")
		base := prefix + "orders/" + string(k)
		contains(t, e.getOK(base), "No "+string(k)+" orders in the schedule")
		contains(t, e.getOK(base+"?by=due"), "No "+string(k)+" orders in the schedule")
		contains(t, e.getOK(base+"?by=exhausted"), "No "+string(k)+" orders with an ended schedule")
		for _, st := range statusesOf(k) {
			contains(t, e.getOK(base+"?by=status&status="+st), "No "+string(k)+" orders in status "+st)
		}
	}
	contains(t, e.getOK(prefix+"search"), "Search", "does not index channel numbers")
	contains(t, e.getOK(prefix+"search?q=nothing"), "Nothing found for “nothing”")
}

func statusesOf(k paysync.TradeType) []string {
	for _, mk := range manualKinds {
		if mk.kind == k {
			return mk.statuses
		}
	}
	return nil
}

// TestPagesOfEveryKind: lists and order pages of every kind show their
// orders, with amounts and currency, coloured statuses, and each kind's own
// fields.
func TestPagesOfEveryKind(t *testing.T) {
	e := newEnv(t)
	e.pay("1001", paysync.PayProgress)
	e.alloc("2001", paysync.AllocProcessing)
	e.refund("3001", paysync.RefundProgress)
	e.transfer("4001", paysync.TransferProgress)

	for _, c := range []struct {
		kind paysync.TradeType
		no   string
		list []string // on the list of the kind's status
		page []string // on the order's page
	}{
		{paysync.TradePay, "1001", []string{"biz-1001", `<span class="amt">10.00<span class="cur">CNY</span></span>`},
			[]string{"Refundable balance", "Refund status", "No refunds of this order.", "No allocations of this order.",
				"Expires", "No anomalies", "No syncs, changes or events yet.", `<option value="success"`,
				`<option value="close"`, "Sync now"}},
		{paysync.TradeAllocation, "2001", []string{"biz-2001", ">3.00<"},
			[]string{"Receivers", "Shop A", "1900000002", `href="/console/orders/pay/P-2001"`, "all_pending",
				`<option value="allocation_end"`, `<option value="allocation_failed"`}},
		{paysync.TradeRefund, "3001", []string{"biz-3001", ">4.00<"},
			[]string{"Pay order", `href="/console/orders/pay/P-3001"`, "customer returned the goods", "refunding",
				">6.00<", `<option value="success"`}},
		{paysync.TradeTransfer, "4001", []string{"biz-4001", ">5.00<"},
			[]string{"Payee", "o-payee-1", "Wang Fang", "seller payout", `<option value="close"`}},
	} {
		t.Run(string(c.kind), func(t *testing.T) {
			base := prefix + "orders/" + string(c.kind)
			for _, list := range []string{base + "?by=status&status=progress", base + "?by=due"} {
				if c.kind == paysync.TradeAllocation {
					list = strings.Replace(list, "status=progress", "status=allocation_processing", 1)
				}
				body := e.getOK(list)
				contains(t, body, append(c.list, `href="`+orderPath(c.kind, c.no)+`"`, `<span class="label run">`)...)
			}
			contains(t, e.getOK(orderPath(c.kind, c.no)), c.page...)
		})
	}

	// A pay order lists its refunds and allocations.
	contains(t, e.getOK(orderPath(paysync.TradePay, "P-3001")), `href="/console/orders/refund/3001"`, "Refunds <span class=\"count\">1</span>")
	contains(t, e.getOK(orderPath(paysync.TradePay, "P-2001")), `href="/console/orders/allocation/2001"`)
	// A status with nothing to move to, and nothing open, says so.
	e.pay("1009", paysync.PayCancel)
	contains(t, e.getOK(orderPath(paysync.TradePay, "1009")), `<option value="success"`)
	e.alloc("2009", paysync.AllocIgnore)
	contains(t, e.getOK(orderPath(paysync.TradeAllocation, "2009")), "Nothing to repair: no move a person may make from ignore")

	// Unknown pages.
	for path, status := range map[string]int{
		orderPath(paysync.TradePay, "nope"):           http.StatusNotFound,
		prefix + "orders/payout":                      http.StatusNotFound,
		prefix + "orders/pay?by=status&status=gone":   http.StatusNotFound,
		prefix + "orders/pay?by=colour":               http.StatusNotFound,
		prefix + "anomalies?kind=payout":              http.StatusNotFound,
		prefix + "orders/pay?by=due&cursor=bogus":     http.StatusBadRequest,
		prefix + "anomalies?cursor=bogus":             http.StatusBadRequest,
		prefix + "no/such/page":                       http.StatusNotFound,
		orderPath(paysync.TradeTransfer, "nope") + "": http.StatusNotFound,
	} {
		w := e.get(path)
		assert.Equal(t, status, w.Code, path)
		assert.Contains(t, w.Body.String(), "Back to the overview", path)
	}
}

// TestOverviewCounts: the overview counts every kind's statuses, its due
// backlog with the oldest age, open anomalies and exhausted orders, and
// links each to its list.
func TestOverviewCounts(t *testing.T) {
	e := newEnv(t)
	e.pay("1001", paysync.PayProgress, func(o *paysync.PayOrder) { o.Schedule.NextSyncAt = t0.Add(-2 * time.Hour) })
	e.pay("1002", paysync.PaySuccess)
	e.pay("1003", paysync.PayProgress, func(o *paysync.PayOrder) { o.Schedule.Exhausted = true })
	o := e.pay("1004", paysync.PayProgress, func(o *paysync.PayOrder) { o.Schedule.NextSyncAt = t0.Add(time.Hour) })
	rep := channeltest.Paid(o)
	rep.Currency = "USD"
	e.ch.SetPay("1004", rep)
	_, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: "1004"})
	require.NoError(t, err)
	e.transfer("4001", paysync.TransferSuccess)

	body := e.getOK(prefix)
	contains(t, body,
		"<b>1</b><span>open anomaly</span>",
		"oldest waiting 2h 0m",
		"<b>1</b><span>order whose sweep schedule ended</span>",
		`href="/console/anomalies?kind=pay"><b>1</b> open anomaly`,
		`href="/console/orders/pay?by=exhausted"><b>1</b> exhausted`,
		`href="/console/orders/pay?by=status&amp;status=progress"><span class="label run">progress</span><span class="n">3</span>`,
		`href="/console/orders/pay?by=status&amp;status=success"><span class="label ok">success</span><span class="n">1</span>`,
		`href="/console/orders/transfer?by=status&amp;status=success"><span class="label ok">success</span><span class="n">1</span>`,
	)
	contains(t, e.getOK(prefix+"orders/pay?by=exhausted"), `href="/console/orders/pay/1003"`, `<span class="label warn">exhausted</span>`)
	due := e.getOK(prefix + "orders/pay?by=due")
	assert.Less(t, strings.Index(due, "/orders/pay/1001"), strings.Index(due, "/orders/pay/1004"), "soonest due first")
	assert.NotContains(t, due, "/orders/pay/1003", "an exhausted order is out of the schedule")
}

// TestInboxPaging: the inbox pages open anomalies oldest first by cursor,
// of every kind or one, each row linking to its order.
func TestInboxPaging(t *testing.T) {
	e := newEnv(t, func(c *console.Config) { c.PageSize = 2 })
	for i, no := range []string{"P1", "P2", "P3"} {
		o := e.pay(no, paysync.PaySuccess)
		e.ch.SetPay(no, channeltest.Report(o, channel.PayClosed))
		e.clock.Set(t0.Add(time.Duration(i) * time.Minute))
		_, err := e.s.SyncPay(e.ctx, syncer.PayRequest{OrderNo: no})
		require.NoError(t, err)
	}
	tr := e.transfer("T1", paysync.TransferSuccess)
	e.ch.SetTransfer("T1", channeltest.TransferAnswer(tr, channel.TransferNotFound))
	e.clock.Set(t0.Add(3 * time.Minute))
	_, err := e.s.SyncTransfer(e.ctx, syncer.TransferRequest{TransferNo: "T1"})
	require.NoError(t, err)
	e.clock.Set(t0.Add(time.Hour))

	first := e.getOK(prefix + "anomalies")
	contains(t, first, `href="/console/orders/pay/P1"`, `href="/console/orders/pay/P2"`,
		"paid_order_not_paid_at_channel", "The order is paid here, but the channel says it is not paid.", "Next page →")
	assert.NotContains(t, first, "/orders/pay/P3")
	assert.Less(t, strings.Index(first, "/orders/pay/P1"), strings.Index(first, "/orders/pay/P2"), "oldest first")
	next := regexp.MustCompile(`href="([^"]+)">Next page →`).FindStringSubmatch(first)
	require.NotNil(t, next)
	second := e.getOK(html.UnescapeString(next[1]))
	contains(t, second, `href="/console/orders/pay/P3"`, `href="/console/orders/transfer/T1"`, "transfer_not_at_channel",
		"← First page", "57m")
	assert.NotContains(t, second, "/orders/pay/P1")

	transfers := e.getOK(prefix + "anomalies?kind=transfer")
	contains(t, transfers, `href="/console/orders/transfer/T1"`, `<span class="label ok">success</span>`)
	assert.NotContains(t, transfers, "/orders/pay/")
}

// TestSearch finds an order by its system or merchant number, of any kind;
// one match opens it, several are listed, none says so.
func TestSearch(t *testing.T) {
	e := newEnv(t)
	e.pay("1001", paysync.PaySuccess)
	e.alloc("2001", paysync.AllocProcessing)
	e.refund("3001", paysync.RefundProgress)
	e.transfer("4001", paysync.TransferSuccess)
	e.transfer("1001", paysync.TransferSuccess) // a transfer sharing the pay order's number
	for q, want := range map[string]string{
		"2001":       orderPath(paysync.TradeAllocation, "2001"),
		"biz-2001":   orderPath(paysync.TradeAllocation, "2001"),
		" 3001 ":     orderPath(paysync.TradeRefund, "3001"),
		"biz-3001":   orderPath(paysync.TradeRefund, "3001"),
		"biz-P-3001": orderPath(paysync.TradePay, "P-3001"),
		"4001":       orderPath(paysync.TradeTransfer, "4001"),
	} {
		w := e.get(prefix + "search?q=" + url.QueryEscape(q))
		assert.Equal(t, http.StatusSeeOther, w.Code, q)
		assert.Equal(t, want, w.Header().Get("Location"), q)
	}
	both := e.getOK(prefix + "search?q=1001")
	contains(t, both, "2 orders have the number “1001”", `href="/console/orders/pay/1001"`, `href="/console/orders/transfer/1001"`)
	contains(t, e.getOK(prefix+"search?q=biz-1001"), "2 orders have the number “biz-1001”")
	contains(t, e.getOK(prefix+"search?q=out-9"), "Nothing found for “out-9”")
}

// TestTimesInZone: times are shown in the configured zone with its offset,
// the zone named on every page; a host's own zone is used as given.
func TestTimesInZone(t *testing.T) {
	e := newEnv(t)
	e.pay("1001", paysync.PayProgress) // created at t0-1h: 17:00 in Shanghai
	body := e.getOK(orderPath(paysync.TradePay, "1001"))
	contains(t, body, `<time datetime="2026-11-27T09:00:00Z" title="2026-11-27T09:00:00Z"><span class="d">2026-11-27</span> <span class="t">17:00:00<span class="tz">+08:00</span></span></time>`,
		"Times in Asia/Shanghai.")

	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	e = newEnv(t, func(c *console.Config) { c.Location = ny })
	e.pay("1001", paysync.PayProgress)
	contains(t, e.getOK(orderPath(paysync.TradePay, "1001")), "<span class=\"d\">2026-11-27</span> <span class=\"t\">04:00:00<span class=\"tz\">-05:00</span>",
		"Times in America/New_York.")
}

// TestTimeline: an order's sync records, adjust records and events read as
// one history, newest first, each commit in the order it was written.
func TestTimeline(t *testing.T) {
	e := newEnv(t)
	o := e.pay("1006", paysync.PaySuccess)
	e.ch.SetPay("1006", channeltest.Report(o, channel.PayClosed))
	path := orderPath(paysync.TradePay, "1006")
	e.follow(e.post(path+"/sync", nil))
	e.clock.Add(10 * time.Minute)
	form := url.Values{"to": {"close"}, "resolve": {"paid_order_not_paid_at_channel"}, "reason": {"no money"}}
	w := e.post(path+"/preview", form)
	form.Set("version", previewVersion(t, w.Body.String()))
	body := e.follow(e.post(path+"/repair", form))

	i := strings.Index(body, `<ol class="timeline">`)
	require.Positive(t, i)
	history := body[i:]
	order := []string{
		`<li class="t-adjust">`, "<code>pay.closed</code>", "<code>anomaly.resolved</code>", // the repair, 18:10
		`<li class="t-sync">`, "<code>pay.anomaly</code>", // the sync, 18:00
	}
	at := 0
	for _, s := range order {
		j := strings.Index(history[at:], s)
		require.GreaterOrEqual(t, j, 0, "%s after position %d", s, at)
		at += j + len(s)
	}
	contains(t, body, "History <span class=\"count\">5 entries, newest first</span>")
	contains(t, history, "<span class=\"t\">18:10:00", "<span class=\"t\">18:00:00", "from <b>manual</b>",
		"the channel says <span class=\"code\">closed</span>", "Channel's response", "by <b class=\"who-did\">ops-li</b>")
	assert.Equal(t, 5, strings.Count(history, "<li class="))
}

// TestConfig: New refuses a config without what it needs, and names it.
func TestConfig(t *testing.T) {
	e := newEnv(t)
	ok := console.Config{Syncer: e.s, Store: e.store, Authenticate: func(*http.Request) (string, bool) { return "x", true }}
	require.NoError(t, ok.Validate())
	for name, c := range map[string]struct {
		edit func(*console.Config)
		says string
	}{
		"no syncer":         {func(c *console.Config) { c.Syncer = nil }, "Syncer is required"},
		"no store":          {func(c *console.Config) { c.Store = nil }, "Store is required"},
		"no authentication": {func(c *console.Config) { c.Authenticate = nil }, "Authenticate is required"},
		"prefix without /":  {func(c *console.Config) { c.Prefix = "console" }, "Prefix must start and end with /"},
		"prefix without trailing /": {func(c *console.Config) { c.Prefix = "/console" },
			"Prefix must start and end with /"},
		"prefix with a pattern": {func(c *console.Config) { c.Prefix = "/{x}/" }, "plain path"},
		"short key":             {func(c *console.Config) { c.CSRFKey = []byte("short") }, "CSRFKey"},
		"page too big":          {func(c *console.Config) { c.PageSize = 501 }, "PageSize"},
		"negative page":         {func(c *console.Config) { c.PageSize = -1 }, "PageSize"},
	} {
		cfg := ok
		c.edit(&cfg)
		_, err := console.New(cfg)
		require.ErrorIs(t, err, paysync.ErrInvalidRequest, name)
		assert.Contains(t, err.Error(), c.says, name)
	}

	// The default prefix is the root.
	h, err := console.New(ok)
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/anomalies", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	contains(t, rec.Body.String(), `href="/anomalies"`, `href="/static/console.css?v=`)
	css := regexp.MustCompile(`href="(/static/console.css\?v=[0-9a-f]+)"`).FindStringSubmatch(rec.Body.String())
	require.NotNil(t, css)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, css[1], nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "text/css; charset=utf-8", rec.Header().Get("Content-Type"))
}
