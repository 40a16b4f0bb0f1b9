package main

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
)

// agreement compares every order with what its channel knows, after the
// demo: the promise is that each one agrees, or something on record says why
// not.
type agreement struct {
	Pay, Allocation int      // orders compared
	Agree           int      // orders that agree with their channel
	ForAPerson      []string // disagree, and an anomaly was announced
	ForRetry        []string // disagree, and the channel did not answer the last sync
	Unexplained     []string // disagree, and nothing says why: a bug
}

// check compares each order p planted with its channel's truth. It returns
// the store's first error.
func check(ctx context.Context, store repository.Store, chans map[string]*channeltest.Channel, p planted) (agreement, error) {
	var a agreement
	for _, no := range p.payNos {
		o, err := store.GetPayOrder(ctx, no)
		if err != nil {
			return a, err
		}
		a.Pay++
		t, ok := chans[o.Channel].Truth(no)
		if ok && payAgrees(o, t) {
			a.Agree++
			continue
		}
		if err := a.disagree(ctx, store, paysync.TradePay, no); err != nil {
			return a, err
		}
	}
	for _, no := range p.allocNos {
		o, err := store.GetAllocationOrder(ctx, no)
		if err != nil {
			return a, err
		}
		a.Allocation++
		t, ok := chans[o.Channel].AllocationTruth(no)
		if allocAgrees(o, t, ok) {
			a.Agree++
			continue
		}
		if err := a.disagree(ctx, store, paysync.TradeAllocation, no); err != nil {
			return a, err
		}
	}
	return a, nil
}

// disagree files order no by what the store says of it: an open anomaly
// waits for a person, a failed last sync for a retry.
func (a *agreement) disagree(ctx context.Context, store repository.Store, tt paysync.TradeType, no string) error {
	anomalies, err := store.OrderAnomalies(ctx, tt, no)
	if err != nil {
		return err
	}
	for _, an := range anomalies {
		if an.Open() {
			a.ForAPerson = append(a.ForAPerson, no)
			return nil
		}
	}
	recs, err := store.ListSyncRecords(ctx, repository.RecordFilter{TradeType: tt, TradeNo: no})
	if err != nil {
		return err
	}
	if n := len(recs); n > 0 && recs[n-1].ErrorCode != "" {
		a.ForRetry = append(a.ForRetry, no)
		return nil
	}
	a.Unexplained = append(a.Unexplained, no)
	return nil
}

// payAgrees reports whether local order o and the channel's truth t tell the
// same story about the money.
func payAgrees(o paysync.PayOrder, t channel.PayReport) bool {
	refunded := o.RefundStatus == paysync.PayRefundPartial || o.RefundStatus == paysync.PayRefundFull
	switch t.State {
	case channel.PaySuccess:
		return o.Status == paysync.PaySuccess && !refunded && (t.Amount.IsZero() || t.Amount.Equal(o.Amount))
	case channel.PayRefunded:
		return o.Status == paysync.PaySuccess && refunded
	case channel.PayProgress:
		return o.Status == paysync.PayProgress
	case channel.PayNotFoundUnknown: // no trade there yet: open or closed here, nothing moved
		return o.Status == paysync.PayProgress || o.Status == paysync.PayWait || o.Status == paysync.PayClose
	case channel.PayClosed, channel.PayNotFound:
		return o.Status == paysync.PayClose
	case channel.PayCancelled:
		return o.Status == paysync.PayCancel
	case channel.PayFailed:
		return o.Status == paysync.PayFail
	}
	return false
}

// allocAgrees reports whether every receiver of o has the result the channel
// reports for its share, and o's status follows from them. found is false
// when the channel does not know the allocation.
func allocAgrees(o paysync.AllocationOrder, t channel.AllocationReport, found bool) bool {
	if !found {
		return o.Status == paysync.AllocFailed
	}
	used := make([]bool, len(t.Receivers))
	pending := false
	for _, r := range o.Receivers {
		if r.Result == paysync.ReceiverIgnore {
			continue
		}
		j := share(t.Receivers, used, r)
		if j < 0 || string(t.Receivers[j].State) != string(r.Result) {
			return false
		}
		used[j] = true
		pending = pending || r.Result == paysync.ReceiverPending
	}
	for _, u := range used {
		if !u {
			return false
		}
	}
	if pending {
		return o.Status == paysync.AllocProcessing
	}
	return o.Status == paysync.AllocEnd || o.Status == paysync.AllocFinish || o.Status == paysync.AllocFinishFailed
}

// share finds r's entry among the channel's unused ones: by the channel's id
// once learned, else by account and amount.
func share(rs []channel.ReceiverReport, used []bool, r paysync.AllocationReceiver) int {
	for j, e := range rs {
		if used[j] {
			continue
		}
		if r.OutDetailID != "" && e.OutDetailID == r.OutDetailID ||
			r.OutDetailID == "" && e.ReceiverType == r.ReceiverType && e.Account == r.Account && e.Amount.Equal(r.Amount) {
			return j
		}
	}
	return -1
}
