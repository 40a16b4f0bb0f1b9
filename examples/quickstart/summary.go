package main

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
)

// summary is what the store says, counted from its orders, records, outbox
// and anomalies: what a host would see, not what the script meant. Every
// figure the demo prints comes from here — those of the story's opening
// from census and readNight, before the sweep.
type summary struct {
	Before    []kindCount        // the orders at the clock, before the sweep
	Pass      syncCounts         // the sync records of the demo's sweep
	Sweep     syncer.SweepReport // the engine's own count of it, checked against Pass
	Changes   []changeRow        // the adjust records, one row per kind of change
	Anomalies []anomalyRow       // the open anomalies, one row per code and kind of order
	Sighted   int                // anomalies (order and code) the sync records saw
	Events    []eventRow         // the outbox, one row per event type
	Syncs     syncCounts         // every sync record
	Money     []moneyRow         // the pay orders that refunds touched
	Agreement agreement
}

// anomalyRow lists the orders of one kind with one open anomaly.
type anomalyRow struct {
	Code   paysync.AnomalyCode
	Kind   paysync.TradeType
	Orders []string // sorted
}

// eventRow counts the outbox events of one type.
type eventRow struct {
	Type  paysync.EventType
	Count int
}

// syncCounts sorts sync records into four outcomes that add up to Total.
type syncCounts struct {
	Total      int
	Changed    int // the sync changed the order (an anomaly it met as well counts here)
	Anomaly    int // it met an anomaly and changed nothing: a person decides
	Unchanged  int // nothing to change: the order agreed, or the channel may yet learn of it
	Unanswered int // the channel gave no answer: nothing changed
	// Anomalous counts the records that met an anomaly, changed or not: the
	// sweep report's Anomalies.
	Anomalous int
}

// countSyncs sorts recs.
func countSyncs(recs []paysync.SyncRecord) syncCounts {
	var c syncCounts
	for _, r := range recs {
		c.Total++
		switch {
		case r.ErrorCode != "":
			c.Unanswered++
		case r.Adjusted:
			c.Changed++
		case len(r.Anomalies) > 0:
			c.Anomaly++
		default:
			c.Unchanged++
		}
		if len(r.Anomalies) > 0 {
			c.Anomalous++
		}
	}
	return c
}

// ofPass returns the records of the sweep at now.
func ofPass(recs []paysync.SyncRecord, now time.Time) []paysync.SyncRecord {
	return slices.DeleteFunc(slices.Clone(recs), func(r paysync.SyncRecord) bool {
		return r.Source != paysync.SourceSweep || !r.CreatedAt.Equal(now)
	})
}

// passCounts sorts the sync records of the sweep at now.
func passCounts(ctx context.Context, store repository.Store, now time.Time) (syncCounts, error) {
	recs, err := store.ListSyncRecords(ctx, repository.RecordFilter{})
	return countSyncs(ofPass(recs, now)), err
}

// tally counts what store holds after the demo at now. It returns the
// store's first error.
func tally(ctx context.Context, store repository.Store, now time.Time) (summary, error) {
	var sum summary
	recs, err := store.ListSyncRecords(ctx, repository.RecordFilter{})
	if err != nil {
		return sum, err
	}
	sum.Syncs = countSyncs(recs)
	sum.Pass = countSyncs(ofPass(recs, now))
	sum.Sighted = sighted(recs)
	if sum.Changes, err = tallyChanges(ctx, store, now); err != nil {
		return sum, err
	}
	if sum.Anomalies, err = tallyAnomalies(ctx, store); err != nil {
		return sum, err
	}
	if sum.Events, err = tallyEvents(ctx, store); err != nil {
		return sum, err
	}
	sum.Money, err = tallyMoney(ctx, store)
	return sum, err
}

// sighted counts the distinct anomalies (order and code) that recs saw.
func sighted(recs []paysync.SyncRecord) int {
	type seen struct {
		tt   paysync.TradeType
		no   string
		code paysync.AnomalyCode
	}
	set := make(map[seen]bool)
	for _, r := range recs {
		for _, code := range r.Anomalies {
			set[seen{r.TradeType, r.TradeNo, code}] = true
		}
	}
	return len(set)
}

func tallyAnomalies(ctx context.Context, store repository.Store) ([]anomalyRow, error) {
	open, err := listOpenAnomalies(ctx, store)
	if err != nil {
		return nil, err
	}
	type key struct {
		code paysync.AnomalyCode
		kind paysync.TradeType
	}
	rows := make(map[key]*anomalyRow)
	for _, a := range open {
		k := key{a.Code, a.TradeType}
		if rows[k] == nil {
			rows[k] = &anomalyRow{Code: a.Code, Kind: a.TradeType}
		}
		rows[k].Orders = append(rows[k].Orders, a.TradeNo)
	}
	out := make([]anomalyRow, 0, len(rows))
	for _, r := range rows {
		slices.Sort(r.Orders)
		out = append(out, *r)
	}
	rank := func(c paysync.AnomalyCode) int {
		if i := slices.Index(paysync.AnomalyCodes(), c); i >= 0 {
			return i
		}
		return len(paysync.AnomalyCodes()) // unknown to this version: still shown, last
	}
	slices.SortFunc(out, func(a, b anomalyRow) int {
		return cmp.Or(cmp.Compare(rank(a.Code), rank(b.Code)), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Kind, b.Kind))
	})
	return out, nil
}

func tallyEvents(ctx context.Context, store repository.Store) ([]eventRow, error) {
	events, err := store.ListEvents(ctx, repository.EventFilter{})
	if err != nil {
		return nil, err
	}
	counts := make(map[paysync.EventType]int)
	types := paysync.EventTypes()
	var extra []paysync.EventType // unknown to this version: still shown
	for _, e := range events {
		if counts[e.Type] == 0 && !slices.Contains(types, e.Type) {
			extra = append(extra, e.Type)
		}
		counts[e.Type]++
	}
	slices.Sort(extra)
	var rows []eventRow
	for _, t := range append(types, extra...) {
		if counts[t] > 0 {
			rows = append(rows, eventRow{Type: t, Count: counts[t]})
		}
	}
	return rows, nil
}

// isAnomalyEvent reports whether t announces an anomaly that opened.
func isAnomalyEvent(t paysync.EventType) bool {
	switch t {
	case paysync.EventPayAnomaly, paysync.EventAllocationAnomaly, paysync.EventRefundAnomaly, paysync.EventTransferAnomaly:
		return true
	}
	return false
}

// changes, events and openAnomalies add up their tables.
func (s summary) changes() int {
	n := 0
	for _, r := range s.Changes {
		n += r.Count
	}
	return n
}

func (s summary) events() (all, status, anomaly int) {
	for _, r := range s.Events {
		all += r.Count
		if r.Type.IsStatus() {
			status += r.Count
		}
		if isAnomalyEvent(r.Type) {
			anomaly += r.Count
		}
	}
	return all, status, anomaly
}

func (s summary) openAnomalies() int {
	n := 0
	for _, r := range s.Anomalies {
		n += len(r.Orders)
	}
	return n
}
