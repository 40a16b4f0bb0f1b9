package main

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// Order kinds in the changes table: a receiver's result is its own row.
const orderReceiver = "receiver"

// changeKey is one kind of change: what moved, from where to where, how, on
// whose word, and — for a change made before the demo's clock — when.
type changeKey struct {
	Order  string // a trade type, or orderReceiver
	Before string
	After  string
	Way    paysync.AdjustWay
	Source paysync.Source
	At     string // "15:04" of a change before the clock; empty for the demo's own
}

// changeRow counts the changes of one kind and the money they concern.
type changeRow struct {
	changeKey
	Count  int
	Amount decimal.Decimal
}

// tallyChanges groups every adjust record in store by kind of change; a
// change made before now keeps its time of day, so last night's close is
// not mistaken for the sweep's.
func tallyChanges(ctx context.Context, store repository.Store, now time.Time) ([]changeRow, error) {
	adjusts, err := store.ListAdjustRecords(ctx, repository.RecordFilter{})
	if err != nil {
		return nil, err
	}
	rows := make(map[changeKey]*changeRow)
	for _, a := range adjusts {
		k := changeKey{Order: string(a.TradeType), Before: a.Before, After: a.After, Way: a.Way, Source: a.Source}
		if a.CreatedAt.Before(now) {
			k.At = a.CreatedAt.Format("15:04")
		}
		if a.ReceiverNo != "" {
			k.Order = orderReceiver
		}
		amount, err := changedMoney(ctx, store, a)
		if err != nil {
			return nil, err
		}
		row := rows[k]
		if row == nil {
			row = &changeRow{changeKey: k}
			rows[k] = row
		}
		row.Count++
		row.Amount = row.Amount.Add(amount)
	}
	out := make([]changeRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	rank := map[string]int{string(paysync.TradePay): 0, string(paysync.TradeAllocation): 1, orderReceiver: 2,
		string(paysync.TradeRefund): 3, string(paysync.TradeTransfer): 4}
	slices.SortFunc(out, func(a, b changeRow) int {
		// Within a kind, changes made before the clock first, by time.
		return cmp.Or(cmp.Compare(rank[a.Order], rank[b.Order]), cmp.Compare(atKey(a.At), atKey(b.At)),
			cmp.Compare(b.Count, a.Count), cmp.Compare(a.Before, b.Before), cmp.Compare(a.After, b.After),
			cmp.Compare(a.Way, b.Way), cmp.Compare(a.Source, b.Source))
	})
	return out, nil
}

// atKey sorts a change's At: earlier changes by time, the demo's own last.
func atKey(at string) string {
	if at == "" {
		return "~"
	}
	return at
}

// changedMoney is the money change a concerns: the order's amount, or the
// receiver's share.
func changedMoney(ctx context.Context, store repository.Store, a paysync.AdjustRecord) (decimal.Decimal, error) {
	switch a.TradeType {
	case paysync.TradePay:
		o, err := store.GetPayOrder(ctx, a.TradeNo)
		return o.Amount, err
	case paysync.TradeAllocation:
		o, err := store.GetAllocationOrder(ctx, a.TradeNo)
		if a.ReceiverNo != "" {
			for _, r := range o.Receivers {
				if r.ReceiverNo == a.ReceiverNo {
					return r.Amount, err
				}
			}
		}
		return o.Amount, err
	case paysync.TradeRefund:
		o, err := store.GetRefundOrder(ctx, a.TradeNo)
		return o.Amount, err
	case paysync.TradeTransfer:
		o, err := store.GetTransferOrder(ctx, a.TradeNo)
		return o.Amount, err
	}
	return decimal.Zero, nil
}
