package syncer

import (
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func recv(no, account, amount string, r paysync.ReceiverResult) paysync.AllocationReceiver {
	return paysync.AllocationReceiver{ReceiverNo: no, ReceiverType: "merchant_no", Account: account, Amount: dec(amount), Result: r}
}

func entry(account, amount string, st channel.ReceiverState) channel.ReceiverReport {
	return channel.ReceiverReport{ReceiverType: "merchant_no", Account: account, Amount: dec(amount), State: st}
}

const (
	pending = paysync.ReceiverPending
	rsucc   = paysync.ReceiverSuccess
	rfail   = paysync.ReceiverFail
	rign    = paysync.ReceiverIgnore
	cpend   = channel.ReceiverPending
	csucc   = channel.ReceiverSuccess
	cfail   = channel.ReceiverFail
)

// TestDecideAllocationAggregate covers every aggregate case of docs/allocation-sync.md#aggregation.
func TestDecideAllocationAggregate(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		status    paysync.AllocationStatus
		result    paysync.AllocationResult
		rs        []paysync.AllocationReceiver
		es        []channel.ReceiverReport
		wantSt    paysync.AllocationStatus
		wantRes   paysync.AllocationResult
		wantEvent paysync.EventType
		wantRecv  []paysync.ReceiverResult
		anomalies []paysync.AnomalyCode
	}{
		{"all pending", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "b", "2", pending)},
			[]channel.ReceiverReport{entry("a", "1", cpend), entry("b", "2", cpend)},
			paysync.AllocProcessing, paysync.AllocAllPending, "", []paysync.ReceiverResult{pending, pending}, nil},
		{"some final, some pending", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "b", "2", pending)},
			[]channel.ReceiverReport{entry("a", "1", csucc), entry("b", "2", cpend)},
			paysync.AllocProcessing, paysync.AllocAllPending, "", []paysync.ReceiverResult{rsucc, pending}, nil},
		{"all success", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "b", "2", pending)},
			[]channel.ReceiverReport{entry("a", "1", csucc), entry("b", "2", csucc)},
			paysync.AllocEnd, paysync.AllocAllSuccess, paysync.EventAllocationEnd, []paysync.ReceiverResult{rsucc, rsucc}, nil},
		{"all fail", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "b", "2", pending)},
			[]channel.ReceiverReport{entry("a", "1", cfail), entry("b", "2", cfail)},
			paysync.AllocEnd, paysync.AllocAllFailed, paysync.EventAllocationEnd, []paysync.ReceiverResult{rfail, rfail}, nil},
		{"mixed", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "b", "2", pending)},
			[]channel.ReceiverReport{entry("a", "1", csucc), entry("b", "2", cfail)},
			paysync.AllocEnd, paysync.AllocPartSuccess, paysync.EventAllocationEnd, []paysync.ReceiverResult{rsucc, rfail}, nil},
		{"ignored receivers left out", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "b", "2", rign)},
			[]channel.ReceiverReport{entry("a", "1", csucc)},
			paysync.AllocEnd, paysync.AllocAllSuccess, paysync.EventAllocationEnd, []paysync.ReceiverResult{rsucc, rign}, nil},
		{"earlier final kept", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", rfail), recv("r2", "b", "2", pending)},
			[]channel.ReceiverReport{entry("a", "1", cfail), entry("b", "2", csucc)},
			paysync.AllocEnd, paysync.AllocPartSuccess, paysync.EventAllocationEnd, []paysync.ReceiverResult{rfail, rsucc}, nil},
		{"failed start moves on to processing", paysync.AllocFailed, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1", cpend)},
			paysync.AllocProcessing, paysync.AllocAllPending, paysync.EventAllocationProcess, []paysync.ReceiverResult{pending}, nil},
		{"failed start moves on to end", paysync.AllocFailed, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1", csucc)},
			paysync.AllocEnd, paysync.AllocAllSuccess, paysync.EventAllocationEnd, []paysync.ReceiverResult{rsucc}, nil},
		{"ended stays ended, no second event", paysync.AllocEnd, paysync.AllocAllSuccess,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", rsucc)},
			[]channel.ReceiverReport{entry("a", "1", csucc)},
			paysync.AllocEnd, paysync.AllocAllSuccess, "", []paysync.ReceiverResult{rsucc}, nil},
		{"finish keeps its status", paysync.AllocFinish, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1", csucc)},
			paysync.AllocFinish, paysync.AllocAllSuccess, "", []paysync.ReceiverResult{rsucc}, nil},
		{"finish_failed keeps its status", paysync.AllocFinishFailed, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "b", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1", cfail), entry("b", "1", cpend)},
			paysync.AllocFinishFailed, paysync.AllocAllPending, "", []paysync.ReceiverResult{rfail, pending}, nil},
		{"duplicate accounts are two receivers", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "a", "2", pending)},
			[]channel.ReceiverReport{entry("a", "2", cfail), entry("a", "1", csucc)},
			paysync.AllocEnd, paysync.AllocPartSuccess, paysync.EventAllocationEnd, []paysync.ReceiverResult{rsucc, rfail}, nil},
		{"duplicate accounts, one entry", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "a", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1", csucc)},
			paysync.AllocProcessing, paysync.AllocAllPending, "", []paysync.ReceiverResult{rsucc, pending},
			[]paysync.AnomalyCode{paysync.AnomalyReceiverMissing}},
		{"unmatched entry", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1", csucc), entry("z", "5", csucc)},
			paysync.AllocEnd, paysync.AllocAllSuccess, paysync.EventAllocationEnd, []paysync.ReceiverResult{rsucc},
			[]paysync.AnomalyCode{paysync.AnomalyReceiverUnmatched}},
		{"amount mismatch stays pending", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1.5", csucc)},
			paysync.AllocProcessing, paysync.AllocAllPending, "", []paysync.ReceiverResult{pending},
			[]paysync.AnomalyCode{paysync.AnomalyReceiverAmountMismatch}},
		{"final result never changes", paysync.AllocEnd, paysync.AllocAllSuccess,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", rsucc)},
			[]channel.ReceiverReport{entry("a", "1", cfail)},
			paysync.AllocEnd, paysync.AllocAllSuccess, "", []paysync.ReceiverResult{rsucc},
			[]paysync.AnomalyCode{paysync.AnomalyReceiverResultConflict}},
		{"stale pending answer for a final receiver", paysync.AllocEnd, paysync.AllocAllSuccess,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", rsucc)},
			[]channel.ReceiverReport{entry("a", "1", cpend)},
			paysync.AllocEnd, paysync.AllocAllSuccess, "", []paysync.ReceiverResult{rsucc}, nil},
		{"ignored receiver not matched", paysync.AllocProcessing, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", rign), recv("r2", "b", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1", csucc), entry("b", "1", csucc)},
			paysync.AllocEnd, paysync.AllocAllSuccess, paysync.EventAllocationEnd, []paysync.ReceiverResult{rign, rsucc},
			[]paysync.AnomalyCode{paysync.AnomalyReceiverUnmatched}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := paysync.AllocationOrder{AllocationNo: "A1", Status: tc.status, Result: tc.result, Receivers: tc.rs}
			rep := channel.AllocationReport{Receivers: tc.es}
			before := o.Clone()
			d, err := decideAllocation(&o, &rep, false, now)
			require.NoError(t, err)
			assert.Equal(t, tc.wantSt, d.status, "status")
			assert.Equal(t, tc.wantRes, d.result, "result")
			var ev paysync.EventType // the status event follows from the move
			if d.status != tc.status {
				ev, _ = allocEventFor(d.status)
			}
			assert.Equal(t, tc.wantEvent, ev, "event")
			got := make([]paysync.ReceiverResult, len(d.receivers))
			for i, r := range d.receivers {
				got[i] = r.Result
			}
			assert.Equal(t, tc.wantRecv, got, "receivers")
			assert.Equal(t, tc.anomalies, d.anomalies, "anomalies")
			assert.Equal(t, before, o, "decide must not touch the order it was given")
		})
	}
}

func TestDecideAllocationNotFoundChangesNothing(t *testing.T) {
	for _, st := range []paysync.AllocationStatus{paysync.AllocProcessing, paysync.AllocFailed} {
		o := paysync.AllocationOrder{Status: st, Result: paysync.AllocAllPending,
			Receivers: []paysync.AllocationReceiver{recv("r1", "a", "1", pending)}}
		d, err := decideAllocation(&o, &channel.AllocationReport{}, true, time.Now())
		require.NoError(t, err)
		assert.Equal(t, st, d.status)
		assert.Nil(t, d.receivers)
		assert.Empty(t, d.anomalies)
	}
}

func TestMatchReceivers(t *testing.T) {
	withID := func(r paysync.AllocationReceiver, id string) paysync.AllocationReceiver { r.OutDetailID = id; return r }
	eID := func(e channel.ReceiverReport, id string) channel.ReceiverReport { e.OutDetailID = id; return e }
	tests := []struct {
		name string
		rs   []paysync.AllocationReceiver
		es   []channel.ReceiverReport
		want []int
	}{
		{"by account", []paysync.AllocationReceiver{recv("r1", "a", "1", pending)},
			[]channel.ReceiverReport{entry("b", "1", csucc), entry("a", "1", csucc)}, []int{1}},
		{"type must match", []paysync.AllocationReceiver{recv("r1", "a", "1", pending)},
			[]channel.ReceiverReport{{ReceiverType: "openid", Account: "a", Amount: dec("1")}}, []int{-1}},
		{"detail id wins over account order", []paysync.AllocationReceiver{withID(recv("r1", "a", "1", pending), "D2"), recv("r2", "a", "1", pending)},
			[]channel.ReceiverReport{eID(entry("a", "1", csucc), "D1"), eID(entry("a", "1", cfail), "D2")}, []int{1, 0}},
		{"both ids, different: no match", []paysync.AllocationReceiver{withID(recv("r1", "a", "1", pending), "D9")},
			[]channel.ReceiverReport{eID(entry("a", "1", csucc), "D1")}, []int{-1}},
		{"entry id learned by account", []paysync.AllocationReceiver{recv("r1", "a", "1", pending)},
			[]channel.ReceiverReport{eID(entry("a", "1", csucc), "D1")}, []int{0}},
		{"same amount preferred", []paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "a", "2", pending)},
			[]channel.ReceiverReport{entry("a", "2", csucc), entry("a", "1", csucc)}, []int{1, 0}},
		{"falls back to another amount", []paysync.AllocationReceiver{recv("r1", "a", "1", pending)},
			[]channel.ReceiverReport{entry("a", "3", csucc)}, []int{0}},
		{"each entry once", []paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "a", "1", pending), recv("r3", "a", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1", csucc), entry("a", "1", csucc)}, []int{0, 1, -1}},
		{"settled receiver takes the entry that settled it", []paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "a", "1", rsucc)},
			[]channel.ReceiverReport{entry("a", "1", csucc)}, []int{-1, 0}},
		{"pending receiver before a settled one that would only conflict", []paysync.AllocationReceiver{recv("r1", "a", "1", rsucc), recv("r2", "a", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1", cfail)}, []int{-1, 0}},
		{"ignore never matched", []paysync.AllocationReceiver{recv("r1", "a", "1", rign)},
			[]channel.ReceiverReport{entry("a", "1", csucc)}, []int{-1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, matchReceivers(tc.rs, tc.es))
		})
	}
}
