package console_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/examples/console"
	"github.com/paysync/paysync/syncer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var hrefs = regexp.MustCompile(`(?:href|action)="([^"]*)"`)

// TestNoBrokenLinks follows every link and GET form of every page it can
// reach from the overview, over orders of every kind with anomalies,
// refunds, allocations and a repair behind them: each answers 200 to GET
// and to HEAD. Paging is exercised with a page size of one.
func TestNoBrokenLinks(t *testing.T) {
	e := newEnv(t, func(c *console.Config) { c.PageSize = 1 })
	o := e.pay("1006", paysync.PaySuccess)
	e.ch.SetPay("1006", channeltest.Report(o, channel.PayClosed))
	e.follow(e.post(orderPath(paysync.TradePay, "1006")+"/sync", nil))
	e.pay("1007", paysync.PayProgress, func(o *paysync.PayOrder) { o.Schedule.Exhausted = true })
	e.pay("a b/c?d", paysync.PayProgress) // a number that needs escaping in a path
	e.alloc("2001", paysync.AllocProcessing)
	r := e.refund("3001", paysync.RefundSuccess)
	e.ch.SetRefund("3001", channel.RefundReport{State: channel.RefundNotFound})
	_, err := e.s.SyncRefund(e.ctx, syncer.RefundRequest{RefundNo: r.RefundNo})
	require.NoError(t, err)
	e.transfer("4001", paysync.TransferFail)
	f := url.Values{"to": {"close"}, "reason": {"no money"}}
	w := e.post(orderPath(paysync.TradeTransfer, "4001")+"/preview", f)
	f.Set("version", previewVersion(t, w.Body.String()))
	e.follow(e.post(orderPath(paysync.TradeTransfer, "4001")+"/repair", f))

	seen := map[string]bool{}
	queue := []string{prefix}
	for len(queue) > 0 && len(seen) < 1000 {
		link := queue[0]
		queue = queue[1:]
		if seen[link] {
			continue
		}
		seen[link] = true
		w := e.get(link)
		require.Equal(t, http.StatusOK, w.Code, "GET %s", link)
		head := e.do(http.MethodHead, link, nil, operator)
		assert.Equal(t, http.StatusOK, head.Code, "HEAD %s", link)
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			continue
		}
		body := w.Body.String()
		for _, m := range hrefs.FindAllStringSubmatch(body, -1) {
			next := html.UnescapeString(m[1])
			if strings.HasPrefix(next, "data:") || strings.HasPrefix(next, "#") {
				continue
			}
			if i := strings.Index(next, "#"); i >= 0 {
				next = next[:i]
			}
			if strings.Contains(m[0], "action=") && isPostTarget(body, m[1]) {
				continue // a POST form: the tests of repairs and syncs drive those
			}
			require.True(t, strings.HasPrefix(next, prefix), "%s links outside the console: %s", link, next)
			if !seen[next] {
				queue = append(queue, next)
			}
		}
	}
	assert.Greater(t, len(seen), 40, "the crawl reached the pages")
	for _, want := range []string{orderPath(paysync.TradePay, "a b/c?d"), orderPath(paysync.TradeRefund, "3001"),
		prefix + "orders/pay?by=exhausted"} {
		assert.True(t, seen[want], "reached %s", want)
	}
}

// isPostTarget reports whether action is the target of a POST form in body.
func isPostTarget(body, action string) bool {
	return strings.Contains(body, `method="post" action="`+action+`"`)
}
