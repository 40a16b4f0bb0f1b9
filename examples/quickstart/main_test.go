package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/syncer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The story, at the default seed and another: every number the demo prints
// from the store must follow from what the script planted.
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
			assert.Equal(t, wantRepairs(p), sum.repairs(), "repaired table")
			assert.Equal(t, map[paysync.AnomalyCode]int{
				paysync.AnomalyAmountMismatch:  1,
				paysync.AnomalyRefundAtChannel: 1,
			}, sum.anomalies(), "anomaly table")
			assert.Equal(t, wantEvents(p), sum.events(), "event table")
			for _, r := range sum.Anomalies {
				want := map[paysync.AnomalyCode]string{
					paysync.AnomalyAmountMismatch:  p.MismatchNo,
					paysync.AnomalyRefundAtChannel: p.RefundedNo,
				}[r.Code]
				assert.Equal(t, []string{want}, r.Orders, "orders with %s", r.Code)
			}

			sweepChanged := sweepAdjusted(p)
			assert.Equal(t, syncer.SweepReport{
				Due:       p.due(),
				Synced:    p.due() - p.Pay[kindUnanswered],
				Adjusted:  sweepChanged,
				Anomalies: 2, // the refund (changed too) and the amount mismatch
				Errors:    p.Pay[kindUnanswered],
			}, sum.Sweep, "sweep report")

			total := p.due() + 2 // the sweep, then two callbacks
			assert.Equal(t, syncCounts{
				Total:      total,
				Changed:    sweepChanged + 1, // + the paid-after-close callback
				Anomaly:    1,                // the amount mismatch changed nothing
				Unanswered: p.Pay[kindUnanswered],
				Agreed:     total - sweepChanged - 1 - 1 - p.Pay[kindUnanswered],
			}, sum.Syncs, "sync records")

			a := sum.Agreement
			assert.Equal(t, len(p.payNos), a.Pay)
			assert.Equal(t, len(p.allocNos), a.Allocation)
			assert.Equal(t, []string{p.MismatchNo}, a.ForAPerson, "waiting for a person")
			assert.Len(t, a.ForRetry, p.Pay[kindUnanswered], "waiting for a retry")
			assert.Empty(t, a.Unexplained)
			assert.Equal(t, a.Pay+a.Allocation-1-p.Pay[kindUnanswered], a.Agree)

			// The status event carries the refund status, so nothing ships for
			// returned money; the paid-after-close event shows the order paid.
			refund := onlyEvent(t, d, p.RefundedNo, paysync.EventPaySuccess)
			assert.Equal(t, "refunded", refund["refundStatus"])
			assert.Equal(t, "success", refund["status"])
			late := onlyEvent(t, d, p.PaidAfterCloseNo, paysync.EventPayPaidAfterClose)
			assert.Equal(t, "success", late["status"])
			assert.Equal(t, "no_refund", late["refundStatus"])
			// The repeated callback wrote no second event.
			dup, err := d.store.ListEvents(ctx, repository.EventFilter{TradeType: paysync.TradePay, TradeNo: p.DuplicateNo})
			require.NoError(t, err)
			assert.Len(t, dup, 1, "events of the order whose callback came twice")

			text := out.String()
			for _, want := range []string{"100%", "pay.paid_after_close", "Every order now agrees with its channel"} {
				assert.Contains(t, text, want)
			}
		})
	}
}

// checkPlanted checks the script did what the story says: every order has
// one part, each part that the story needs exactly once is there once.
func checkPlanted(t *testing.T, p planted) {
	t.Helper()
	n := 0
	for _, c := range p.Pay {
		n += c
	}
	assert.Equal(t, defaultOrders, n, "pay orders planted")
	assert.Len(t, p.payNos, n)
	for _, k := range []payKind{kindRefunded, kindAmountMismatch, kindPaidAfterClose} {
		assert.Equal(t, 1, p.Pay[k], "orders of part %d", k)
	}
	for _, k := range []payKind{kindSettled, kindPaidLost, kindExpired, kindClosedThere, kindWaiting, kindStarted, kindUnanswered} {
		assert.Positive(t, p.Pay[k], "orders of part %d", k)
	}
	assert.Positive(t, p.Alloc[allocSuccess])
	for _, k := range []allocKind{allocMixed, allocPending, allocRestarted} {
		assert.Equal(t, 1, p.Alloc[k], "allocations of part %d", k)
	}
	assert.Len(t, p.allocNos, p.dueAlloc())
}

// sweepAdjusted is how many orders the sweep should change.
func sweepAdjusted(p planted) int {
	return p.Pay[kindPaidLost] + p.Pay[kindRefunded] + p.Pay[kindExpired] + p.Pay[kindClosedThere] +
		p.Pay[kindStarted] + p.Alloc[allocSuccess] + p.Alloc[allocMixed] + p.Alloc[allocRestarted]
}

// wantRepairs is the repaired table DESIGN §6–§7 make of p.
func wantRepairs(p planted) map[repairKey]int {
	const (
		sweep    = paysync.SourceSweep
		callback = paysync.SourceCallback
	)
	pay := func(from, to paysync.PayStatus, way paysync.AdjustWay, src paysync.Source) repairKey {
		return repairKey{Order: orderPay, Before: string(from), After: string(to), Way: way, Source: src}
	}
	alloc := func(from, to paysync.AllocationStatus) repairKey {
		return repairKey{Order: orderAllocation, Before: string(from), After: string(to), Way: paysync.WayAllocStatus, Source: sweep}
	}
	receiver := func(to paysync.ReceiverResult) repairKey {
		return repairKey{Order: orderReceiver, Before: string(paysync.ReceiverPending), After: string(to),
			Way: paysync.WayAllocReceiver, Source: sweep}
	}
	m := map[repairKey]int{
		// A refunded trade was paid first: the order becomes success too.
		pay(paysync.PayProgress, paysync.PaySuccess, paysync.WayPaySuccess, sweep):    p.Pay[kindPaidLost] + p.Pay[kindRefunded],
		pay(paysync.PayProgress, paysync.PayClose, paysync.WayPayCloseGateway, sweep): p.Pay[kindExpired],
		pay(paysync.PayProgress, paysync.PayClose, paysync.WayPayCloseLocal, sweep):   p.Pay[kindClosedThere],
		pay(paysync.PayWait, paysync.PayProgress, paysync.WayPayProgress, sweep):      p.Pay[kindStarted],
		pay(paysync.PayClose, paysync.PaySuccess, paysync.WayPaySuccess, callback):    p.Pay[kindPaidAfterClose],
		alloc(paysync.AllocProcessing, paysync.AllocEnd):                              p.Alloc[allocSuccess] + p.Alloc[allocMixed],
		alloc(paysync.AllocFailed, paysync.AllocEnd):                                  p.Alloc[allocRestarted],
		receiver(paysync.ReceiverSuccess):                                             p.ReceiversSucceeded,
		receiver(paysync.ReceiverFail):                                                p.ReceiversFailed,
	}
	for k, n := range m {
		if n == 0 {
			delete(m, k)
		}
	}
	return m
}

// wantEvents is the outbox DESIGN §2 makes of p: one status event per
// change, one anomaly event per order and code.
func wantEvents(p planted) map[paysync.EventType]int {
	m := map[paysync.EventType]int{
		paysync.EventPaySuccess:        p.Pay[kindPaidLost] + p.Pay[kindRefunded],
		paysync.EventPayClosed:         p.Pay[kindExpired] + p.Pay[kindClosedThere],
		paysync.EventPayProgress:       p.Pay[kindStarted],
		paysync.EventPayPaidAfterClose: p.Pay[kindPaidAfterClose],
		paysync.EventPayAnomaly:        p.Pay[kindRefunded] + p.Pay[kindAmountMismatch],
		paysync.EventAllocationEnd:     p.Alloc[allocSuccess] + p.Alloc[allocMixed] + p.Alloc[allocRestarted],
		paysync.EventAllocReceiver:     p.ReceiversSucceeded + p.ReceiversFailed,
	}
	for k, n := range m {
		if n == 0 {
			delete(m, k)
		}
	}
	return m
}

// onlyEvent returns the payload of order no's one event of type typ.
func onlyEvent(t *testing.T, d *demo, no string, typ paysync.EventType) map[string]any {
	t.Helper()
	events, err := d.store.ListEvents(context.Background(), repository.EventFilter{TradeType: paysync.TradePay, TradeNo: no})
	require.NoError(t, err)
	var found []paysync.Event
	for _, e := range events {
		if e.Type == typ {
			found = append(found, e)
		}
	}
	require.Len(t, found, 1, "%s events of order %s", typ, no)
	var payload map[string]any
	require.NoError(t, json.Unmarshal(found[0].Payload, &payload))
	return payload
}

// A seed tells the same story every time, to the byte; another seed tells
// another.
func TestDeterministic(t *testing.T) {
	tell := func(seed uint64) string {
		var out bytes.Buffer
		_, err := run(context.Background(), demoConfig{Seed: seed, Orders: 300}, &out)
		require.NoError(t, err)
		return out.String()
	}
	first := tell(3)
	assert.Equal(t, first, tell(3))
	assert.NotEqual(t, first, tell(4))
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		name   string
		orders int
		ok     bool
	}{
		{"default", 0, true},
		{"smallest", minOrders, true},
		{"too few", minOrders - 1, false},
		{"negative", -5, false},
		{"too many", maxOrders + 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := demoConfig{Orders: tc.orders}.Validate()
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, paysync.ErrInvalidRequest)
			_, err = run(context.Background(), demoConfig{Orders: tc.orders}, &bytes.Buffer{})
			assert.ErrorIs(t, err, paysync.ErrInvalidRequest)
		})
	}
}

// The smallest shop still tells the whole story, and keeps its promise.
func TestSmallestShop(t *testing.T) {
	for seed := range uint64(20) {
		sum, err := run(context.Background(), demoConfig{Seed: seed, Orders: minOrders}, &bytes.Buffer{})
		require.NoError(t, err, "seed %d", seed)
		assert.Equal(t, minOrders, sum.Agreement.Pay, "seed %d", seed)
		assert.Empty(t, sum.Agreement.Unexplained, "seed %d", seed)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestWriteError(t *testing.T) {
	broken := errors.New("stdout closed")
	_, err := run(context.Background(), demoConfig{Orders: minOrders}, failingWriter{broken})
	assert.ErrorIs(t, err, broken)
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0", "0.00"},
		{"9.9", "9.90"},
		{"999.99", "999.99"},
		{"1000", "1,000.00"},
		{"1234567.891", "1,234,567.89"},
		{"-2500.5", "-2,500.50"},
	} {
		assert.Equal(t, tc.want, money(decimal.RequireFromString(tc.in)), tc.in)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1000: "-1,000"} {
		assert.Equal(t, want, group(n), "%d", n)
	}
}

func TestParagraphWraps(t *testing.T) {
	var out bytes.Buffer
	w := &printer{w: &out}
	w.para(strings.Repeat("word ", 100))
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Greater(t, len(lines), 1)
	for _, l := range lines {
		assert.LessOrEqual(t, len(l), lineWidth)
		assert.False(t, strings.HasPrefix(l, " ") || strings.HasSuffix(l, " "), "line %q", l)
	}
	assert.Equal(t, 100, len(strings.Fields(out.String())))
}

func TestProgressBar(t *testing.T) {
	var out bytes.Buffer
	b := &progressBar{w: &printer{w: &out}, total: 10}
	for done := 1; done <= 10; done++ {
		b.update(syncer.Progress{Done: done, Total: 10})
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4)
	for i, want := range []string{" 25%   3/10", " 50%   5/10", " 75%   8/10", "100%  10/10"} {
		assert.True(t, strings.HasSuffix(lines[i], want), "line %q, want suffix %q", lines[i], want)
	}
}
