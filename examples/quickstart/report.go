package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// lineWidth is where paragraphs wrap.
const lineWidth = 96

// intro tells what the shop holds and what the channels know: the script's
// side of the story, which the tables then confirm from the store.
func intro(w *printer, cfg demoConfig, p planted) {
	w.printf("paysync quickstart: seed %d, the clock stands at %s\n\n", cfg.Seed, cfg.Clock.Format("2006-01-02 15:04:05 MST"))
	nAlloc := p.dueAlloc()
	w.para(fmt.Sprintf("A shop took %s pay orders over WeChat Pay and Alipay in the last two hours and "+
		"split %d of its sales with partners. %s orders were settled by their callbacks. The others still say "+
		"\"progress\" or \"wait\", and the channels know better: %s paid but the callback was lost, "+
		"%s expired unpaid, %s closed by the channel itself, one paid and refunded there, one paid for a "+
		"tenth of its amount, %s paid but their gateway answers 503 this morning. %s are still open. "+
		"One order the shop closed at expiry was paid a moment later; its callback is still in flight.",
		group(len(p.payNos)), nAlloc, group(p.Pay[kindSettled]),
		group(p.Pay[kindPaidLost]), group(p.Pay[kindExpired]), group(p.Pay[kindClosedThere]),
		group(p.Pay[kindUnanswered]),
		group(p.Pay[kindWaiting]+p.Pay[kindStarted])))
}

// report prints the tables counted from the store and the closing line.
func report(w *printer, s summary) {
	w.printf("\nWhat was repaired (the store's adjust records)\n")
	t := table(w)
	fmt.Fprintf(t, "  ORDER\tBEFORE\tAFTER\tHOW\tSOURCE\t%5s\t%10s\n", "COUNT", "AMOUNT CNY")
	for _, r := range s.Repaired {
		fmt.Fprintf(t, "  %s\t%s\t%s\t%s\t%s\t%5s\t%10s\n", r.Order, r.Before, r.After, r.Way, r.Source,
			group(r.Count), money(r.Amount))
	}
	t.Flush()

	w.printf("\nWhat waits for a person (anomalies on the sync records)\n")
	if len(s.Anomalies) == 0 {
		w.printf("  nothing\n")
	} else {
		t = table(w)
		fmt.Fprintf(t, "  ANOMALY\t%6s\tWHICH\tWHAT A PERSON CHECKS\n", "ORDERS")
		for _, r := range s.Anomalies {
			fmt.Fprintf(t, "  %s\t%6s\t%s\t%s\n", r.Code, group(len(r.Orders)), which(r.Orders), anomalyHint(r.Code))
		}
		t.Flush()
	}

	w.printf("\nWhat the host delivers (events in the outbox)\n")
	t = table(w)
	fmt.Fprintf(t, "  EVENT\t%6s\tWHAT THE HOST DOES\n", "COUNT")
	for _, r := range s.Events {
		fmt.Fprintf(t, "  %s\t%6s\t%s\n", r.Type, group(r.Count), eventHint(r.Type))
	}
	t.Flush()

	c := s.Syncs
	w.printf("\n")
	w.para(fmt.Sprintf("%s sync records in all: %s changed an order, %s found it in agreement, "+
		"%s met an anomaly and changed nothing, %s got no answer and changed nothing.",
		group(c.Total), group(c.Changed), group(c.Agreed), group(c.Anomaly), group(c.Unanswered)))
	w.printf("\n")
	w.para(closing(s.Agreement))
}

// closing is the last line: the promise, and the exceptions on record.
func closing(a agreement) string {
	line := fmt.Sprintf("Every order now agrees with its channel (%s pay orders, %s allocation orders)",
		group(a.Pay), group(a.Allocation))
	var except []string
	if n := len(a.ForAPerson); n > 0 {
		except = append(except, fmt.Sprintf("%s that %s for a person", count(n, "order"), verb(n, "waits", "wait")))
	}
	if n := len(a.ForRetry); n > 0 {
		except = append(except, fmt.Sprintf("%s the channel did not answer, asked again at %s next due time",
			count(n, "order"), verb(n, "its", "their")))
	}
	if n := len(a.Unexplained); n > 0 {
		except = append(except, fmt.Sprintf("%s that disagree for no reason on record: a bug", count(n, "order")))
	}
	if len(except) == 0 {
		return line + "."
	}
	return line + ", except " + strings.Join(except, " and ") + "."
}

func table(w *printer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

// which lists up to three order numbers.
func which(nos []string) string {
	if len(nos) <= 3 {
		return strings.Join(nos, ", ")
	}
	return strings.Join(nos[:3], ", ") + ", …"
}

func anomalyHint(c paysync.AnomalyCode) string {
	switch c {
	case paysync.AnomalyAmountMismatch:
		return "the channel recorded another amount: hold the goods"
	case paysync.AnomalyCurrencyMismatch:
		return "the channel recorded another currency: do not ship"
	case paysync.AnomalyTradeMismatch:
		return "the channel answered for another trade: check the adapter"
	case paysync.AnomalyRefundAtChannel:
		return "refunded at the channel: ship nothing, book the refund"
	case paysync.AnomalyPaidNotPaidAtChannel:
		return "paid here, not there: stop delivery, ask the channel"
	case paysync.AnomalyRefundStatusConflict:
		return "refund under way here, the channel disagrees: refund sync's case"
	case paysync.AnomalyCloseUnsupported:
		return "expired, but the channel cannot close: close it by hand"
	}
	return "see the order's sync records"
}

func eventHint(t paysync.EventType) string {
	switch t {
	case paysync.EventPaySuccess:
		return "ship the goods, unless refundStatus says the money went back"
	case paysync.EventPayClosed:
		return "release the reserved stock"
	case paysync.EventPayCancelled:
		return "release the reserved stock"
	case paysync.EventPayFailed:
		return "tell the buyer the payment failed"
	case paysync.EventPayProgress:
		return "nothing yet: the trade is open at the channel"
	case paysync.EventPayPaidAfterClose:
		return "money after close: deliver after all, or refund"
	case paysync.EventAllocationEnd:
		return "the split is settled: post it to the ledger"
	case paysync.EventAllocationProcess:
		return "the split is under way after all"
	case paysync.EventAllocReceiver:
		return "one share is final: tell its receiver"
	case paysync.EventPayAnomaly, paysync.EventAllocationAnomaly:
		return "open a case for a person (once per order and code)"
	case paysync.EventSyncExhausted:
		return "the schedule ran out: a person looks"
	}
	return ""
}

// para writes text wrapped at lineWidth, then a newline.
func (p *printer) para(text string) {
	n := 0
	for i, word := range strings.Fields(text) {
		switch {
		case i == 0:
		case n+1+len([]rune(word)) > lineWidth:
			p.printf("\n")
			n = 0
		default:
			p.printf(" ")
			n++
		}
		p.printf("%s", word)
		n += len([]rune(word))
	}
	p.printf("\n")
}

// group renders n with thousands separators.
func group(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + group(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// money renders d with two decimals and thousands separators.
func money(d decimal.Decimal) string {
	s := d.StringFixed(2)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.Atoi(whole)
	if err != nil { // beyond int: leave it ungrouped
		return sign + s
	}
	return sign + group(n) + "." + frac
}

// count renders "1 order", "3 orders".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return group(n) + " " + noun + "s"
}

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
