package main

import (
	"cmp"
	"context"
	"slices"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
)

// summary is what the store says happened, counted from its adjust records,
// sync records and outbox: what a host would see, not what the script meant.
type summary struct {
	Sweep     syncer.SweepReport
	Repaired  []repairRow  // one row per kind of change, biggest first
	Anomalies []anomalyRow // one row per anomaly code met
	Events    []eventRow   // one row per event type in the outbox
	Syncs     syncCounts
	Agreement agreement
}

// Order kinds in the repaired table: a receiver's result is its own row.
const (
	orderPay        = "pay"
	orderAllocation = "allocation"
	orderReceiver   = "receiver"
)

// repairKey is one kind of change: what moved, from where to where, how and
// on whose word.
type repairKey struct {
	Order  string // orderPay, orderAllocation or orderReceiver
	Before string
	After  string
	Way    paysync.AdjustWay
	Source paysync.Source
}

// repairRow counts the changes of one kind and the money they concern.
type repairRow struct {
	repairKey
	Count  int
	Amount decimal.Decimal
}

// anomalyRow lists the orders that met one anomaly code.
type anomalyRow struct {
	Code   paysync.AnomalyCode
	Orders []string // trade numbers, sorted
}

// eventRow counts the outbox events of one type.
type eventRow struct {
	Type  paysync.EventType
	Count int
}

// syncCounts sorts every sync record into one of four outcomes.
type syncCounts struct {
	Total      int
	Changed    int // the sync changed the order
	Anomaly    int // an anomaly and no change: a person decides
	Agreed     int // the order already agreed with the channel
	Unanswered int // the channel gave no answer: nothing changed
}

// tally counts what store holds. It returns the store's first error.
func tally(ctx context.Context, store repository.Store) (summary, error) {
	var sum summary
	var err error
	if sum.Repaired, err = tallyRepairs(ctx, store); err != nil {
		return sum, err
	}
	if sum.Anomalies, sum.Syncs, err = tallySyncs(ctx, store); err != nil {
		return sum, err
	}
	sum.Events, err = tallyEvents(ctx, store)
	return sum, err
}

func tallyRepairs(ctx context.Context, store repository.Store) ([]repairRow, error) {
	adjusts, err := store.ListAdjustRecords(ctx, repository.RecordFilter{})
	if err != nil {
		return nil, err
	}
	rows := make(map[repairKey]*repairRow)
	for _, a := range adjusts {
		k := repairKey{Order: orderPay, Before: a.Before, After: a.After, Way: a.Way, Source: a.Source}
		var amount decimal.Decimal
		switch {
		case a.TradeType == paysync.TradePay:
			o, err := store.GetPayOrder(ctx, a.TradeNo)
			if err != nil {
				return nil, err
			}
			amount = o.Amount
		default:
			o, err := store.GetAllocationOrder(ctx, a.TradeNo)
			if err != nil {
				return nil, err
			}
			k.Order, amount = orderAllocation, o.Amount
			if a.ReceiverNo != "" {
				k.Order = orderReceiver
				for _, r := range o.Receivers {
					if r.ReceiverNo == a.ReceiverNo {
						amount = r.Amount
					}
				}
			}
		}
		row := rows[k]
		if row == nil {
			row = &repairRow{repairKey: k}
			rows[k] = row
		}
		row.Count++
		row.Amount = row.Amount.Add(amount)
	}
	out := make([]repairRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	rank := map[string]int{orderPay: 0, orderAllocation: 1, orderReceiver: 2}
	slices.SortFunc(out, func(a, b repairRow) int {
		return cmp.Or(cmp.Compare(rank[a.Order], rank[b.Order]), cmp.Compare(b.Count, a.Count),
			cmp.Compare(a.Before, b.Before), cmp.Compare(a.After, b.After),
			cmp.Compare(a.Way, b.Way), cmp.Compare(a.Source, b.Source))
	})
	return out, nil
}

func tallySyncs(ctx context.Context, store repository.Store) ([]anomalyRow, syncCounts, error) {
	var c syncCounts
	recs, err := store.ListSyncRecords(ctx, repository.RecordFilter{})
	if err != nil {
		return nil, c, err
	}
	// An order meets its anomaly again at every sync: count orders, not syncs.
	seen := make(map[paysync.AnomalyCode]map[string]bool)
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
			c.Agreed++
		}
		for _, code := range r.Anomalies {
			if seen[code] == nil {
				seen[code] = make(map[string]bool)
			}
			seen[code][r.TradeNo] = true
		}
	}
	var rows []anomalyRow
	codes := paysync.AnomalyCodes()
	var extra []paysync.AnomalyCode // unknown to this version: still shown
	for code := range seen {
		if !slices.Contains(codes, code) {
			extra = append(extra, code)
		}
	}
	slices.Sort(extra)
	codes = append(codes, extra...)
	for _, code := range codes {
		if len(seen[code]) == 0 {
			continue
		}
		row := anomalyRow{Code: code}
		for no := range seen[code] {
			row.Orders = append(row.Orders, no)
		}
		slices.Sort(row.Orders)
		rows = append(rows, row)
	}
	return rows, c, nil
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
	types = append(types, extra...)
	var rows []eventRow
	for _, t := range types {
		if counts[t] > 0 {
			rows = append(rows, eventRow{Type: t, Count: counts[t]})
		}
	}
	return rows, nil
}

// repairs returns the repaired table as a map, for comparisons.
func (s summary) repairs() map[repairKey]int {
	m := make(map[repairKey]int, len(s.Repaired))
	for _, r := range s.Repaired {
		m[r.repairKey] = r.Count
	}
	return m
}

// anomalies returns how many orders met each anomaly code.
func (s summary) anomalies() map[paysync.AnomalyCode]int {
	m := make(map[paysync.AnomalyCode]int, len(s.Anomalies))
	for _, r := range s.Anomalies {
		m[r.Code] = len(r.Orders)
	}
	return m
}

// events returns how many outbox events there are of each type.
func (s summary) events() map[paysync.EventType]int {
	m := make(map[paysync.EventType]int, len(s.Events))
	for _, r := range s.Events {
		m[r.Type] = r.Count
	}
	return m
}
