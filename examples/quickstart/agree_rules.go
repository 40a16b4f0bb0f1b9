package main

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/channel/channeltest"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// judges reads an order from the store and its truth from its channel, and
// says whether the two tell the same story about the money.
type judges struct {
	store repository.Store
	chans map[string]*channeltest.Channel
}

// agrees reports whether order no of kind tt agrees with its channel.
func (j judges) agrees(ctx context.Context, tt paysync.TradeType, no string) (bool, error) {
	switch tt {
	case paysync.TradePay:
		o, err := j.store.GetPayOrder(ctx, no)
		if err != nil {
			return false, err
		}
		t, ok := j.chans[o.Channel].Truth(no)
		return ok && payAgrees(o, t), nil
	case paysync.TradeAllocation:
		o, err := j.store.GetAllocationOrder(ctx, no)
		if err != nil {
			return false, err
		}
		t, ok := j.chans[o.Channel].AllocationTruth(no)
		return allocAgrees(o, t, ok), nil
	case paysync.TradeRefund:
		r, err := j.store.GetRefundOrder(ctx, no)
		if err != nil {
			return false, err
		}
		t, ok := j.chans[r.Channel].RefundTruth(no)
		return ok && refundAgrees(r, t), nil
	case paysync.TradeTransfer:
		o, err := j.store.GetTransferOrder(ctx, no)
		if err != nil {
			return false, err
		}
		t, ok := j.chans[o.Channel].TransferTruth(no)
		return ok && transferAgrees(o, t), nil
	}
	return false, nil
}

// sameAmount reports whether a channel's amount, when it reports one, is the
// local one.
func sameAmount(reported, local decimal.Decimal) bool {
	return reported.IsZero() || reported.Equal(local)
}

// payAgrees reports whether local order o and the channel's truth t tell the
// same story about the money: paid or not, and how much went back.
func payAgrees(o paysync.PayOrder, t channel.PayReport) bool {
	switch t.State {
	case channel.PaySuccess:
		return o.Status == paysync.PaySuccess && o.RefundedAmount.IsZero() && sameAmount(t.Amount, o.Amount)
	case channel.PayRefunded:
		back := o.RefundedAmount.Equal(t.RefundedAmount)
		if t.RefundedAmount.IsZero() { // not reported: some went back
			back = o.RefundStatus == paysync.PayRefundPartial || o.RefundStatus == paysync.PayRefundFull
		}
		return o.Status == paysync.PaySuccess && back && sameAmount(t.Amount, o.Amount)
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

// refundAgrees reports whether refund r and the channel's truth t agree. A
// refund the channel never received is closed here: no money moved.
func refundAgrees(r paysync.RefundOrder, t channel.RefundReport) bool {
	switch t.State {
	case channel.RefundSuccess:
		return r.Status == paysync.RefundSuccess && sameAmount(t.Amount, r.Amount)
	case channel.RefundProgress:
		return r.Status == paysync.RefundProgress
	case channel.RefundClosed, channel.RefundNotFound:
		return r.Status == paysync.RefundClose
	case channel.RefundFailed:
		return r.Status == paysync.RefundFail
	}
	return false
}

// transferAgrees reports whether payout o and the channel's truth t agree.
// No local status agrees with a channel that does not know a payout: the
// engine never closes one on that, so it waits for a person.
func transferAgrees(o paysync.TransferOrder, t channel.TransferReport) bool {
	switch t.State {
	case channel.TransferSuccess:
		return o.Status == paysync.TransferSuccess && sameAmount(t.Amount, o.Amount)
	case channel.TransferProgress:
		return o.Status == paysync.TransferProgress
	case channel.TransferClosed:
		return o.Status == paysync.TransferClose
	case channel.TransferFailed:
		return o.Status == paysync.TransferFail
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
