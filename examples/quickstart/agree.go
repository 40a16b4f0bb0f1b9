package main

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
)

// agreement compares every order in the store with what its channel knows,
// after the demo. The promise: each one agrees, or the store says what it
// waits for — a person (an open anomaly) or the next sync (the channel did
// not answer the last one). The three add up to the orders of each kind.
type agreement struct {
	Kinds []kindAgreement // one per kind, in paysync.TradeTypes order
}

// kindAgreement sorts the orders of one kind. An order with an open anomaly
// waits for a person even when it agrees: the refunded trade's money went
// back at the channel, and only a person can say what it was for.
type kindAgreement struct {
	Kind        paysync.TradeType
	Orders      int
	Agree       int
	ForAPerson  []string // an open anomaly
	ForRetry    []string // disagrees, and the channel did not answer the last sync
	Unexplained []string // disagrees, and nothing on record says why: a bug
}

// total adds up every kind.
func (a agreement) total() kindAgreement {
	var t kindAgreement
	for _, k := range a.Kinds {
		t.Orders += k.Orders
		t.Agree += k.Agree
		t.ForAPerson = append(t.ForAPerson, k.ForAPerson...)
		t.ForRetry = append(t.ForRetry, k.ForRetry...)
		t.Unexplained = append(t.Unexplained, k.Unexplained...)
	}
	return t
}

// orderKey names one order of any kind.
type orderKey struct {
	tt paysync.TradeType
	no string
}

// check compares every order in store with chans' truths. It returns the
// store's first error.
func check(ctx context.Context, store repository.Store, chans map[string]*channeltest.Channel) (agreement, error) {
	var a agreement
	open, err := listOpenAnomalies(ctx, store)
	if err != nil {
		return a, err
	}
	waits := make(map[orderKey]bool, len(open))
	for _, an := range open {
		waits[orderKey{an.TradeType, an.TradeNo}] = true
	}
	judge := judges{store: store, chans: chans}
	for _, tt := range paysync.TradeTypes() {
		orders, err := listOrders(ctx, store, tt)
		if err != nil {
			return a, err
		}
		k := kindAgreement{Kind: tt, Orders: len(orders)}
		for _, o := range orders {
			if waits[orderKey{tt, o.TradeNo}] {
				k.ForAPerson = append(k.ForAPerson, o.TradeNo)
				continue
			}
			agrees, err := judge.agrees(ctx, tt, o.TradeNo)
			if err != nil {
				return a, err
			}
			if agrees {
				k.Agree++
				continue
			}
			failed, err := lastSyncFailed(ctx, store, tt, o.TradeNo)
			if err != nil {
				return a, err
			}
			if failed {
				k.ForRetry = append(k.ForRetry, o.TradeNo)
			} else {
				k.Unexplained = append(k.Unexplained, o.TradeNo)
			}
		}
		a.Kinds = append(a.Kinds, k)
	}
	return a, nil
}

// lastSyncFailed reports whether the last sync of an order got no answer.
func lastSyncFailed(ctx context.Context, store repository.Store, tt paysync.TradeType, no string) (bool, error) {
	recs, err := store.ListSyncRecords(ctx, repository.RecordFilter{TradeType: tt, TradeNo: no})
	if err != nil {
		return false, err
	}
	return len(recs) > 0 && recs[len(recs)-1].ErrorCode != "", nil
}
