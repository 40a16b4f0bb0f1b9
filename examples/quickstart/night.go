package main

import (
	"context"
	"fmt"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

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
