package main

import (
	"context"
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
