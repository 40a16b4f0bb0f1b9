package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/paysync/paysync"
)

// channelName is how the story names a channel.
func channelName(ch string) string {
	switch ch {
	case wechat:
		return "WeChat Pay"
	case alipay:
		return "Alipay"
	}
	return ch
}

// intro tells how the store came to be as it is at the clock — last night's
// refund, the morning since the sweeper stopped — and counts what it holds.
// Every number is read from the store.
func intro(w *printer, cfg demoConfig, n nightRefund, before []kindCount) {
	w.printf("paysync quickstart: seed %d, the clock stands at %s\n\n", cfg.Seed, cfg.Clock.Format("2006-01-02 15:04:05 MST"))
	r, ch := n.Refund, channelName(n.Refund.Channel)
	answer := "got " + n.Answer + " every time"
	if n.Answer == "" {
		answer = "got mixed answers"
	}
	w.para(fmt.Sprintf("Last night at %s the shop refunded %s of pay order %s with Syncer.CreateRefund, which "+
		"reserved the amount on the order. The sweep asked %s about the refund %s from %s to %s and %s: while "+
		"the refund was %s old or less it waited, as the request might still be on its way; then it closed it "+
		"(%s), released the %s and kept watching it in case the money moves after all — next look due at %s. "+
		"At %s the shop's sweeper stopped. It is back now, at %s, for one pass.",
		hm(r.CreatedAt), money(r.Amount), r.OrderNo, ch, count(n.Syncs, "time"), hm(n.First), hm(n.Last), answer,
		minutes(notFoundAfter), n.Close.Way, money(r.Amount), hm(r.Schedule.NextSyncAt),
		hm(cfg.Clock.Add(-sweeperDown)), hm(cfg.Clock)))
	w.printf("\n")
	since := map[paysync.TradeType]int{}
	for _, k := range before {
		since[k.Kind] = k.Since
	}
	w.para(fmt.Sprintf("Since then the shop took %s over WeChat Pay and Alipay, split %s with partners, "+
		"created %s and sent %s to affiliates. Nothing swept them. Callbacks were lost on the way, trades expired, "+
		"a gateway fails this morning: the channels know what became of the money, and the store is behind.",
		count(since[paysync.TradePay], "pay order"), count(since[paysync.TradeAllocation], "sale"),
		count(since[paysync.TradeRefund], "refund"), count(since[paysync.TradeTransfer], "payout")))

	w.printf("\nThe store at %s, before the sweep\n", hm(cfg.Clock))
	t := table(w)
	fmt.Fprintf(t, "  KIND\t%6s\t%5s\tBY STATUS\n", "ORDERS", "DUE")
	var orders, due int
	for _, k := range before {
		var by []string
		for _, s := range k.ByStatus {
			by = append(by, s.Status+" "+group(s.Count))
		}
		fmt.Fprintf(t, "  %s\t%6s\t%5s\t%s\n", k.Kind, group(k.Orders), group(k.Due), strings.Join(by, ", "))
		orders, due = orders+k.Orders, due+k.Due
	}
	fmt.Fprintf(t, "  all\t%6s\t%5s\n", group(orders), group(due))
	t.Flush()
}

// hm renders t as hours and minutes, in the demo's UTC.
func hm(t time.Time) string { return t.UTC().Format("15:04") }

// minutes renders d as "10 minutes".
func minutes(d time.Duration) string { return count(int(d/time.Minute), "minute") }
