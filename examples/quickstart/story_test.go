package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The engine does to the story what the docs say: every figure counted
// from the store follows from what the script planted.
func TestStory(t *testing.T) {
	for _, seed := range []uint64{defaultSeed, 20261127} {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			ctx := context.Background()
			d, err := newDemo(ctx, demoConfig{Seed: seed})
			require.NoError(t, err)
			var out bytes.Buffer
			sum, err := d.tell(ctx, &out)
			require.NoError(t, err, out.String())
			p := d.plan

			checkPlanted(t, p)
			assert.Equal(t, wantChanges(p), changesNow(sum), "changes table")
			assert.Equal(t, wantEvents(p), eventsOf(sum), "event table")
			assert.Equal(t, map[paysync.AnomalyCode][]string{
				paysync.AnomalyAmountMismatch:       {p.MismatchNo},
				paysync.AnomalyRefundAtChannel:      {p.RefundedNo},
				paysync.AnomalyTransferNotAtChannel: {p.NotAtChannelNo},
			}, anomaliesOf(sum), "anomaly table")

			assert.Equal(t, syncer.SweepReport{
				Due:       p.due(),
				Synced:    p.due() - p.Pay[kindUnanswered],
				Adjusted:  sweepAdjusted(p),
				Anomalies: 3, // the refunded trade (changed too), the amount mismatch, the unknown payout
				Errors:    p.Pay[kindUnanswered],
			}, sum.Sweep, "sweep report")

			a := sum.Agreement.total()
			assert.ElementsMatch(t, []string{p.MismatchNo, p.RefundedNo, p.NotAtChannelNo}, a.ForAPerson, "waiting for a person")
			assert.Len(t, a.ForRetry, p.Pay[kindUnanswered], "waiting for the next sync")
			assert.Empty(t, a.Unexplained)

			// The status event carries the refund status, so nothing ships for
			// returned money; the paid-after-close event shows the order paid.
			refund := onlyEvent(t, d, paysync.TradePay, p.RefundedNo, paysync.EventPaySuccess)
			assert.Equal(t, "refunded", refund["refundStatus"])
			assert.Equal(t, "success", refund["status"])
			late := onlyEvent(t, d, paysync.TradePay, p.PaidAfterCloseNo, paysync.EventPayPaidAfterClose)
			assert.Equal(t, "success", late["status"])
			assert.Equal(t, "no_refund", late["refundStatus"])
			// The repeated callback wrote no second event.
			dup, err := d.store.ListEvents(ctx, repository.EventFilter{TradeType: paysync.TradePay, TradeNo: p.DuplicateNo})
			require.NoError(t, err)
			assert.Len(t, dup, 1, "events of the order whose callback came twice")

			// Last night's refund: closed once, then booked as money after close.
			night, err := d.store.GetRefundOrder(ctx, p.NightRefundNo)
			require.NoError(t, err)
			assert.Equal(t, paysync.RefundSuccess, night.Status)
			assert.False(t, night.Watched)
			after := onlyEvent(t, d, paysync.TradeRefund, p.NightRefundNo, paysync.EventRefundSuccessAfterClose)
			assert.Equal(t, "refunded", after["payRefundStatus"], "%v", after)
			// The payout the channel does not know stays in progress: never closed.
			payout, err := d.store.GetTransferOrder(ctx, p.NotAtChannelNo)
			require.NoError(t, err)
			assert.Equal(t, paysync.TransferProgress, payout.Status)

			assert.Contains(t, out.String(), "100%")
		})
	}
}

// checkPlanted checks the script did what the story says: every order has
// one part, each part that the story needs exactly once is there once.
func checkPlanted(t *testing.T, p planted) {
	t.Helper()
	assert.Equal(t, defaultOrders, sum(p.Pay[:]), "pay orders planted")
	for _, k := range []payKind{kindRefunded, kindAmountMismatch, kindPaidAfterClose} {
		assert.Equal(t, 1, p.Pay[k], "orders of part %d", k)
	}
	for k := range numPayKinds {
		assert.Positive(t, p.Pay[k], "orders of part %d", k)
	}
	assert.Equal(t, p.RefundBases, p.Pay[kindRefundBase])
	assert.Positive(t, p.Alloc[allocSuccess])
	for _, k := range []allocKind{allocMixed, allocPending, allocRestarted} {
		assert.Equal(t, 1, p.Alloc[k], "allocations of part %d", k)
	}
	for _, k := range []refundKind{refundProcessing, refundNeverReceived, refundAfterClose} {
		assert.Equal(t, 1, p.Refund[k], "refunds of part %d", k)
	}
	assert.GreaterOrEqual(t, p.Refund[refundLost], 2)
	for _, k := range []transferKind{transferFailed, transferProcessing, transferNotAtChannel} {
		assert.Equal(t, 1, p.Transfer[k], "transfers of part %d", k)
	}
	assert.GreaterOrEqual(t, p.Transfer[transferPaid], 2)
}

// sweepAdjusted is how many orders the sweep should change.
func sweepAdjusted(p planted) int {
	return p.Pay[kindPaidLost] + p.Pay[kindRefunded] + p.Pay[kindExpired] + p.Pay[kindClosedThere] +
		p.Pay[kindStarted] + p.Alloc[allocSuccess] + p.Alloc[allocMixed] + p.Alloc[allocRestarted] +
		p.Refund[refundLost] + p.Refund[refundNeverReceived] + p.Refund[refundAfterClose] +
		p.Transfer[transferPaid] + p.Transfer[transferFailed]
}

// changesNow returns the changes table as a map, with the moment of the
// changes made before the clock left out: there is one, last night's close.
func changesNow(s summary) map[changeKey]int {
	m := make(map[changeKey]int, len(s.Changes))
	for _, r := range s.Changes {
		k := r.changeKey
		k.At = ""
		m[k] += r.Count
	}
	return m
}

// wantChanges is the changes table that pay-sync.md, allocation-sync.md,
// refund-sync.md and transfer-sync.md make of p.
func wantChanges(p planted) map[changeKey]int {
	const (
		sweep    = paysync.SourceSweep
		callback = paysync.SourceCallback
	)
	change := func(order, from, to string, way paysync.AdjustWay, src paysync.Source) changeKey {
		return changeKey{Order: order, Before: from, After: to, Way: way, Source: src}
	}
	pay := func(from, to paysync.PayStatus, way paysync.AdjustWay, src paysync.Source) changeKey {
		return change(string(paysync.TradePay), string(from), string(to), way, src)
	}
	alloc := func(from, to paysync.AllocationStatus) changeKey {
		return change(string(paysync.TradeAllocation), string(from), string(to), paysync.WayAllocStatus, sweep)
	}
	receiver := func(to paysync.ReceiverResult) changeKey {
		return change(orderReceiver, string(paysync.ReceiverPending), string(to), paysync.WayAllocReceiver, sweep)
	}
	refund := func(from, to paysync.RefundOrderStatus, way paysync.AdjustWay) changeKey {
		return change(string(paysync.TradeRefund), string(from), string(to), way, sweep)
	}
	transfer := func(to paysync.TransferStatus, way paysync.AdjustWay) changeKey {
		return change(string(paysync.TradeTransfer), string(paysync.TransferProgress), string(to), way, sweep)
	}
	m := map[changeKey]int{
		// A refunded trade was paid first: the order becomes success too.
		pay(paysync.PayProgress, paysync.PaySuccess, paysync.WayPaySuccess, sweep):      p.Pay[kindPaidLost] + p.Pay[kindRefunded],
		pay(paysync.PayProgress, paysync.PayClose, paysync.WayPayCloseGateway, sweep):   p.Pay[kindExpired],
		pay(paysync.PayProgress, paysync.PayClose, paysync.WayPayCloseLocal, sweep):     p.Pay[kindClosedThere],
		pay(paysync.PayWait, paysync.PayProgress, paysync.WayPayProgress, sweep):        p.Pay[kindStarted],
		pay(paysync.PayClose, paysync.PaySuccess, paysync.WayPaySuccess, callback):      p.Pay[kindPaidAfterClose],
		alloc(paysync.AllocProcessing, paysync.AllocEnd):                                p.Alloc[allocSuccess] + p.Alloc[allocMixed],
		alloc(paysync.AllocFailed, paysync.AllocEnd):                                    p.Alloc[allocRestarted],
		receiver(paysync.ReceiverSuccess):                                               p.ReceiversSucceeded,
		receiver(paysync.ReceiverFail):                                                  p.ReceiversFailed,
		refund(paysync.RefundProgress, paysync.RefundSuccess, paysync.WayRefundSuccess): p.Refund[refundLost],
		// Never received: this morning's now, last night's at night.
		refund(paysync.RefundProgress, paysync.RefundClose, paysync.WayRefundClose):  p.Refund[refundNeverReceived] + p.Refund[refundAfterClose],
		refund(paysync.RefundClose, paysync.RefundSuccess, paysync.WayRefundSuccess): p.Refund[refundAfterClose],
		transfer(paysync.TransferSuccess, paysync.WayTransferSuccess):                p.Transfer[transferPaid],
		transfer(paysync.TransferFail, paysync.WayTransferFail):                      p.Transfer[transferFailed],
	}
	for k, n := range m {
		if n == 0 {
			delete(m, k)
		}
	}
	return m
}

// eventsOf returns how many outbox events there are of each type.
func eventsOf(s summary) map[paysync.EventType]int {
	m := make(map[paysync.EventType]int, len(s.Events))
	for _, r := range s.Events {
		m[r.Type] = r.Count
	}
	return m
}

// wantEvents is the outbox domain.md makes of p: one status event per
// change, one anomaly event per order and code that opened, one
// refund.created per refund.
func wantEvents(p planted) map[paysync.EventType]int {
	m := map[paysync.EventType]int{
		paysync.EventPaySuccess:              p.Pay[kindPaidLost] + p.Pay[kindRefunded],
		paysync.EventPayClosed:               p.Pay[kindExpired] + p.Pay[kindClosedThere],
		paysync.EventPayProgress:             p.Pay[kindStarted],
		paysync.EventPayPaidAfterClose:       p.Pay[kindPaidAfterClose],
		paysync.EventPayAnomaly:              p.Pay[kindRefunded] + p.Pay[kindAmountMismatch],
		paysync.EventAllocationEnd:           p.Alloc[allocSuccess] + p.Alloc[allocMixed] + p.Alloc[allocRestarted],
		paysync.EventAllocReceiver:           p.ReceiversSucceeded + p.ReceiversFailed,
		paysync.EventRefundCreated:           sum(p.Refund[:]),
		paysync.EventRefundSuccess:           p.Refund[refundLost],
		paysync.EventRefundClosed:            p.Refund[refundNeverReceived] + p.Refund[refundAfterClose],
		paysync.EventRefundSuccessAfterClose: p.Refund[refundAfterClose],
		paysync.EventTransferSuccess:         p.Transfer[transferPaid],
		paysync.EventTransferFailed:          p.Transfer[transferFailed],
		paysync.EventTransferAnomaly:         p.Transfer[transferNotAtChannel],
	}
	for k, n := range m {
		if n == 0 {
			delete(m, k)
		}
	}
	return m
}

// anomaliesOf returns the orders of each open anomaly code.
func anomaliesOf(s summary) map[paysync.AnomalyCode][]string {
	m := make(map[paysync.AnomalyCode][]string, len(s.Anomalies))
	for _, r := range s.Anomalies {
		m[r.Code] = append(m[r.Code], r.Orders...)
	}
	return m
}

// onlyEvent returns the payload of order no's one event of type typ.
func onlyEvent(t *testing.T, d *demo, tt paysync.TradeType, no string, typ paysync.EventType) map[string]any {
	t.Helper()
	events, err := d.store.ListEvents(context.Background(), repository.EventFilter{TradeType: tt, TradeNo: no})
	require.NoError(t, err)
	var found []paysync.Event
	for _, e := range events {
		if e.Type == typ {
			found = append(found, e)
		}
	}
	require.Len(t, found, 1, "%s events of %s %s", typ, tt, no)
	var payload map[string]any
	require.NoError(t, json.Unmarshal(found[0].Payload, &payload))
	return payload
}

// duePay returns how many pay orders the sweep should find due: every one
// still wait or progress.
func (p planted) duePay() int {
	n := 0
	for k, c := range p.Pay {
		if payKind(k) != kindSettled && payKind(k) != kindPaidAfterClose && payKind(k) != kindRefundBase {
			n += c
		}
	}
	return n
}

// dueAlloc returns how many allocation orders the sweep should find due: all.
func (p planted) dueAlloc() int {
	return sum(p.Alloc[:])
}

// dueRefund returns how many refunds the sweep should find due: all, the
// night's closed one too, as it is watched.
func (p planted) dueRefund() int { return sum(p.Refund[:]) }

// dueTransfer returns how many transfers the sweep should find due: all.
func (p planted) dueTransfer() int { return sum(p.Transfer[:]) }

// due returns how many orders the sweep should claim.
func (p planted) due() int { return p.duePay() + p.dueAlloc() + p.dueRefund() + p.dueTransfer() }

func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}
