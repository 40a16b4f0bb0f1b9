package main

import (
	"fmt"
	"strings"

	"github.com/paysync/paysync"
)

// report prints the tables counted from the store after the demo, each with
// the sum that ties it to another count, and the closing line.
func report(w *printer, s summary) {
	w.printf("\n")
	w.para("What the store holds now. Every figure below is counted from it — orders, records, outbox, " +
		"anomalies — as a host would see them, and each table ends with the total it must add up to.")
	changes(w, s)
	anomalies(w, s)
	refunds(w, s.Money)
	outbox(w, s)
	agreements(w, s.Agreement)

	c := s.Syncs
	w.printf("\n")
	w.para(fmt.Sprintf("%s in all: %s changed an order, %s met an anomaly and changed nothing, "+
		"%s had nothing to change, %s got no answer.",
		count(c.Total, "sync record"), group(c.Changed), group(c.Anomaly), group(c.Unchanged), group(c.Unanswered)))
	w.printf("\n")
	w.para(closing(s.Agreement.total()))
}

func changes(w *printer, s summary) {
	w.printf("\nWhat changed: the store's %s, one per status or receiver's result changed,\n"+
		"each announced by one status event\n", count(s.changes(), "adjust record"))
	t := table(w)
	fmt.Fprintf(t, "  ORDER\tBEFORE\tAFTER\tHOW\tSOURCE\t%5s\t%10s\n", "COUNT", "AMOUNT CNY")
	for _, r := range s.Changes {
		src := string(r.Source)
		if r.At != "" {
			src += " at " + r.At
		}
		fmt.Fprintf(t, "  %s\t%s\t%s\t%s\t%s\t%5s\t%10s\n", r.Order, r.Before, r.After, r.Way, src,
			group(r.Count), money(r.Amount))
	}
	fmt.Fprintf(t, "  all\t\t\t\t\t%5s\n", group(s.changes()))
	t.Flush()

	// What each way means, once, in the table's order: the sweep's changes
	// are the ones a callback should have made.
	w.printf("\n")
	t = table(w)
	fmt.Fprintf(t, "  HOW\tWHAT IT MEANS\n")
	seen := map[paysync.AdjustWay]bool{}
	for _, r := range s.Changes {
		if !seen[r.Way] {
			seen[r.Way] = true
			fmt.Fprintf(t, "  %s\t%s\n", r.Way, wayHint(r.Way))
		}
	}
	t.Flush()
}

func anomalies(w *printer, s summary) {
	_, _, announced := s.events()
	w.printf("\nWhat waits for a person: %s (the sync records saw %s, the outbox announced %s)\n",
		count(s.openAnomalies(), "open anomaly"), group(s.Sighted), group(announced))
	if len(s.Anomalies) == 0 {
		w.printf("  nothing\n")
		return
	}
	t := table(w)
	fmt.Fprintf(t, "  ANOMALY\tORDER\tWHAT A PERSON CHECKS\n")
	for _, r := range s.Anomalies {
		fmt.Fprintf(t, "  %s\t%s %s\t%s\n", r.Code, r.Kind, strings.Join(r.Orders, ", "), anomalyHint(r.Code))
	}
	t.Flush()
}

func refunds(w *printer, rows []moneyRow) {
	w.printf("\nThe refunded pay orders' money: refunded + reserved + refundable = amount\n")
	t := table(w)
	fmt.Fprintf(t, "  PAY ORDER\t%9s\t%9s\t%9s\t%10s\tREFUNDS AND THEIR MOVES\n", "AMOUNT", "REFUNDED", "RESERVED", "REFUNDABLE")
	for _, r := range rows {
		lead := fmt.Sprintf("  %s\t%9s\t%9s\t%9s\t%10s\t", r.OrderNo, money(r.Amount), money(r.Refunded),
			money(r.Reserved), money(r.Refundable))
		for _, rf := range r.Refunds {
			fmt.Fprintf(t, "%s%s %s %s\n", lead, rf.RefundNo, money(rf.Amount), strings.Join(rf.Path, "→"))
			lead = "\t\t\t\t\t"
		}
		if r.unbooked().IsPositive() {
			fmt.Fprintf(t, "%srefunded at the channel, no refund here: %s\n", lead, money(r.unbooked()))
		}
	}
	all := moneyTotal(rows)
	fmt.Fprintf(t, "  all\t%9s\t%9s\t%9s\t%10s\t%s\n", money(all.Amount), money(all.Refunded),
		money(all.Reserved), money(all.Refundable), count(len(all.Refunds), "refund"))
	t.Flush()
}

func outbox(w *printer, s summary) {
	all, status, anomaly := s.events()
	w.printf("\nWhat the host delivers: %s in the outbox (%s, %s)\n", count(all, "event"),
		count(status, "status event"), count(anomaly, "anomaly event"))
	t := table(w)
	fmt.Fprintf(t, "  EVENT\t%6s\tWHAT THE HOST DOES\n", "COUNT")
	for _, r := range s.Events {
		fmt.Fprintf(t, "  %s\t%6s\t%s\n", r.Type, group(r.Count), eventHint(r.Type))
	}
	fmt.Fprintf(t, "  all\t%6s\n", group(all))
	t.Flush()
}

func agreements(w *printer, a agreement) {
	w.printf("\nEvery order against its channel, after the sweep\n")
	t := table(w)
	fmt.Fprintf(t, "  KIND\t%6s\t%6s\t%17s\t%22s\n", "ORDERS", "AGREE", "WAIT FOR A PERSON", "WAIT FOR THE NEXT SYNC")
	row := func(name string, k kindAgreement) {
		fmt.Fprintf(t, "  %s\t%6s\t%6s\t%17s\t%22s\n", name, group(k.Orders), group(k.Agree),
			group(len(k.ForAPerson)), group(len(k.ForRetry)))
	}
	for _, k := range a.Kinds {
		row(string(k.Kind), k)
	}
	row("all", a.total())
	t.Flush()
}

// closing is the last line: the promise, and the exceptions on record.
func closing(k kindAgreement) string {
	line := fmt.Sprintf("Of %s, %s %s with %s channel.", count(k.Orders, "order"), group(k.Agree),
		verb(k.Agree, "agrees", "agree"), verb(k.Agree, "its", "their"))
	if n := len(k.ForAPerson); n > 0 {
		line += fmt.Sprintf(" %s for a person, who has an open anomaly to answer.", waits(n))
	}
	if n := len(k.ForRetry); n > 0 {
		line += fmt.Sprintf(" %s for %s next sync, as the channel did not answer the last.", waits(n), verb(n, "its", "their"))
	}
	if n := len(k.Unexplained); n > 0 {
		line += fmt.Sprintf(" %s with %s channel for no reason on record: a bug.",
			group(n)+" "+verb(n, "disagrees", "disagree"), verb(n, "its", "their"))
	}
	return line
}

// waits renders "1 waits", "2 wait".
func waits(n int) string { return group(n) + " " + verb(n, "waits", "wait") }
