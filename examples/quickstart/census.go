package main

import (
	"context"
	"fmt"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// kindCount is one kind of order as the store holds it at a moment.
type kindCount struct {
	Kind     paysync.TradeType
	Orders   int
	Due      int           // in the schedule and due at the moment (CountOrders)
	Since    int           // created since the sweeper stopped
	ByStatus []statusCount // in the kind's status order, statuses with no order left out
}

type statusCount struct {
	Status string
	Count  int
}

// census counts every kind of order in store at now: how many, how many are
// due, in which statuses, and how many were created at or after since.
func census(ctx context.Context, store repository.Store, now, since time.Time) ([]kindCount, error) {
	var out []kindCount
	for _, tt := range paysync.TradeTypes() {
		orders, err := listOrders(ctx, store, tt)
		if err != nil {
			return nil, err
		}
		counts, err := store.CountOrders(ctx, tt, now)
		if err != nil {
			return nil, err
		}
		k := kindCount{Kind: tt, Orders: len(orders), Due: counts.Due}
		for _, o := range orders {
			if !o.CreatedAt.Before(since) {
				k.Since++
			}
		}
		for _, s := range statusesOf(tt) {
			if n := counts.ByStatus[s]; n > 0 {
				k.ByStatus = append(k.ByStatus, statusCount{s, n})
			}
		}
		out = append(out, k)
	}
	return out, nil
}

// due returns how many orders of every kind are due.
func due(kinds []kindCount) int {
	n := 0
	for _, k := range kinds {
		n += k.Due
	}
	return n
}

// nightRefund is last night's refund as the store tells it before the
// sweep: the refund, the pay order it returns money from, and the syncs
// that closed it.
type nightRefund struct {
	Refund paysync.RefundOrder
	Pay    paysync.PayOrder
	Syncs  int       // sync records of the refund
	First  time.Time // the first and the last of them
	Last   time.Time
	Answer string               // what the channel answered, when every answer was the same
	Close  paysync.AdjustRecord // the change that closed it
}

// readNight reads refund no and its records from store.
func readNight(ctx context.Context, store repository.Store, no string) (nightRefund, error) {
	var n nightRefund
	var err error
	if n.Refund, err = store.GetRefundOrder(ctx, no); err != nil {
		return n, err
	}
	if n.Pay, err = store.GetPayOrder(ctx, n.Refund.OrderNo); err != nil {
		return n, err
	}
	f := repository.RecordFilter{TradeType: paysync.TradeRefund, TradeNo: no}
	recs, err := store.ListSyncRecords(ctx, f)
	if err != nil {
		return n, err
	}
	adjusts, err := store.ListAdjustRecords(ctx, f)
	if err != nil {
		return n, err
	}
	if len(recs) == 0 || len(adjusts) != 1 {
		return n, fmt.Errorf("refund %s has %d sync records and %d changes; the night should have closed it once",
			no, len(recs), len(adjusts))
	}
	n.Syncs, n.First, n.Last, n.Close = len(recs), recs[0].CreatedAt, recs[len(recs)-1].CreatedAt, adjusts[0]
	n.Answer = recs[0].ChannelState
	for _, r := range recs {
		if r.ChannelState != n.Answer {
			n.Answer = ""
		}
	}
	return n, nil
}
