package syncer

import (
	"fmt"
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
		// An order ended with receivers pending (as DaxPay ends them)
		// keeps what it ended with while they settle.
		{"ended keeps its status and result while receivers settle", paysync.AllocEnd, paysync.AllocAllPending,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "b", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1", csucc), entry("b", "1", csucc)},
			paysync.AllocEnd, paysync.AllocAllPending, "", []paysync.ReceiverResult{rsucc, rsucc}, nil},
		{"ended keeps its result while a receiver is pending", paysync.AllocEnd, paysync.AllocAllSuccess,
			[]paysync.AllocationReceiver{recv("r1", "a", "1", rsucc), recv("r2", "b", "1", pending)},
			[]channel.ReceiverReport{entry("a", "1", csucc), entry("b", "1", cpend)},
			paysync.AllocEnd, paysync.AllocAllSuccess, "", []paysync.ReceiverResult{rsucc, pending}, nil},
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
		{"by account alone, settled first", []paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "a", "1", rsucc)},
			[]channel.ReceiverReport{entry("a", "5", csucc)}, []int{-1, 0}},
		{"by account alone, pending before a contradiction", []paysync.AllocationReceiver{recv("r1", "a", "1", rsucc), recv("r2", "a", "1", pending)},
			[]channel.ReceiverReport{entry("a", "5", cfail)}, []int{-1, 0}},
		{"same amount before settled first", []paysync.AllocationReceiver{recv("r1", "a", "1", pending), recv("r2", "a", "2", rsucc)},
			[]channel.ReceiverReport{entry("a", "1", csucc)}, []int{0, -1}},
		{"receiver id, entry without: by account", []paysync.AllocationReceiver{withID(recv("r1", "a", "1", pending), "D1")},
			[]channel.ReceiverReport{entry("a", "1", csucc)}, []int{0}},
		{"ignore never matched", []paysync.AllocationReceiver{recv("r1", "a", "1", rign)},
			[]channel.ReceiverReport{entry("a", "1", csucc)}, []int{-1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, matchReceivers(tc.rs, tc.es))
		})
	}
}

// TestDecideReceiverResults walks docs/allocation-sync.md#receiver-results
// row by row, for one receiver and the one entry paired with it: a pending
// receiver takes a final result of its own amount, with the channel's error
// code, message and finish time (the sync's time when none); an entry of
// another amount settles nothing, whatever its state; a final result never
// changes, its amount is not compared, and only the other final result
// contradicts it.
func TestDecideReceiverResults(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	finished := now.Add(-time.Hour)
	conflict := []paysync.AnomalyCode{paysync.AnomalyReceiverResultConflict}
	mismatch := []paysync.AnomalyCode{paysync.AnomalyReceiverAmountMismatch}
	tests := []struct {
		local     paysync.ReceiverResult
		state     channel.ReceiverState
		amount    string // the entry's; the receiver's is 1
		want      paysync.ReceiverResult
		anomalies []paysync.AnomalyCode
	}{
		{pending, cpend, "1", pending, nil},
		{pending, csucc, "1", rsucc, nil},
		{pending, cfail, "1", rfail, nil},
		{pending, cpend, "2", pending, mismatch},
		{pending, csucc, "2", pending, mismatch},
		{pending, cfail, "2", pending, mismatch},
		{rsucc, csucc, "1", rsucc, nil},
		{rsucc, cpend, "1", rsucc, nil},
		{rsucc, cfail, "1", rsucc, conflict},
		{rsucc, csucc, "2", rsucc, nil},
		{rsucc, cpend, "2", rsucc, nil},
		{rsucc, cfail, "2", rsucc, conflict},
		{rfail, cfail, "1", rfail, nil},
		{rfail, cpend, "1", rfail, nil},
		{rfail, csucc, "1", rfail, conflict},
		{rfail, cfail, "2", rfail, nil},
		{rfail, cpend, "2", rfail, nil},
		{rfail, csucc, "2", rfail, conflict},
	}
	for _, tc := range tests {
		for _, timed := range []bool{true, false} {
			name := fmt.Sprintf("%s×%s/amount %s/finish time reported=%v", tc.local, tc.state, tc.amount, timed)
			t.Run(name, func(t *testing.T) {
				r := recv("r1", "a", "1", tc.local)
				if tc.local.Final() {
					r.ErrorCode, r.ErrorMsg, r.FinishedAt = "OLD", "settled before", now.Add(-2*time.Hour)
				}
				e := entry("a", tc.amount, tc.state)
				e.ErrorCode, e.ErrorMsg = "CHANNEL_CODE", "the channel's message"
				if timed {
					e.FinishedAt = finished
				}
				o := paysync.AllocationOrder{AllocationNo: "A1", Status: paysync.AllocProcessing, Result: paysync.AllocAllPending,
					Receivers: []paysync.AllocationReceiver{r}}
				d, err := decideAllocation(&o, &channel.AllocationReport{Receivers: []channel.ReceiverReport{e}}, false, now)
				require.NoError(t, err)
				got := d.receivers[0]
				assert.Equal(t, tc.want, got.Result)
				assert.Equal(t, tc.anomalies, d.anomalies)
				if tc.local == pending && tc.want != pending {
					assert.Equal(t, []int{0}, d.finals, "the receiver became final")
					assert.Equal(t, "CHANNEL_CODE", got.ErrorCode)
					assert.Equal(t, "the channel's message", got.ErrorMsg)
					wantAt := now
					if timed {
						wantAt = finished
					}
					assert.True(t, wantAt.Equal(got.FinishedAt), "FinishedAt %v, want %v", got.FinishedAt, wantAt)
					return
				}
				assert.Empty(t, d.finals, "nothing became final")
				r.OutDetailID = got.OutDetailID
				assert.Equal(t, r, got, "the receiver is unchanged")
			})
		}
	}
}

// TestDecideReceiversUnpaired: an entry no receiver takes is
// receiver_unmatched; a pending receiver the channel does not list stays
// pending with receiver_missing; a final one it does not list is no
// question; an ignored receiver is never asked about.
func TestDecideReceiversUnpaired(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		rs        []paysync.AllocationReceiver
		es        []channel.ReceiverReport
		anomalies []paysync.AnomalyCode
	}{
		{"pending, not listed", []paysync.AllocationReceiver{recv("r1", "a", "1", pending)}, nil,
			[]paysync.AnomalyCode{paysync.AnomalyReceiverMissing}},
		{"success, not listed", []paysync.AllocationReceiver{recv("r1", "a", "1", rsucc)}, nil, nil},
		{"fail, not listed", []paysync.AllocationReceiver{recv("r1", "a", "1", rfail)}, nil, nil},
		{"ignored, not listed", []paysync.AllocationReceiver{recv("r1", "a", "1", rign)}, nil, nil},
		{"an entry for nobody", []paysync.AllocationReceiver{recv("r1", "a", "1", rsucc)},
			[]channel.ReceiverReport{entry("a", "1", csucc), entry("b", "1", csucc)},
			[]paysync.AnomalyCode{paysync.AnomalyReceiverUnmatched}},
		{"another type is another receiver", []paysync.AllocationReceiver{recv("r1", "a", "1", pending)},
			[]channel.ReceiverReport{{ReceiverType: "openid", Account: "a", Amount: dec("1"), State: csucc}},
			[]paysync.AnomalyCode{paysync.AnomalyReceiverMissing, paysync.AnomalyReceiverUnmatched}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := paysync.AllocationOrder{AllocationNo: "A1", Status: paysync.AllocProcessing, Result: paysync.AllocAllPending,
				Receivers: tc.rs}
			d, err := decideAllocation(&o, &channel.AllocationReport{Receivers: tc.es}, false, now)
			require.NoError(t, err)
			assert.Equal(t, tc.rs, d.receivers, "no receiver changed")
			assert.ElementsMatch(t, tc.anomalies, d.anomalies)
		})
	}
}

// TestDecideReceiverDetailIDs: an OutDetailID the channel reports for a
// receiver that had none is learned; one a receiver has never changes — a
// receiver and an entry that both carry ids pair by id only, and a receiver
// with an id pairs by account with an entry that has none.
func TestDecideReceiverDetailIDs(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	withID := func(r paysync.AllocationReceiver, id string) paysync.AllocationReceiver { r.OutDetailID = id; return r }
	eID := func(e channel.ReceiverReport, id string) channel.ReceiverReport { e.OutDetailID = id; return e }
	decide := func(rs []paysync.AllocationReceiver, es ...channel.ReceiverReport) allocDecision {
		o := paysync.AllocationOrder{AllocationNo: "A1", Status: paysync.AllocProcessing, Result: paysync.AllocAllPending,
			Receivers: rs}
		d, err := decideAllocation(&o, &channel.AllocationReport{Receivers: es}, false, now)
		require.NoError(t, err)
		return d
	}

	d := decide([]paysync.AllocationReceiver{recv("r1", "a", "1", pending)}, eID(entry("a", "1", cpend), "D1"))
	assert.True(t, d.learned, "learned")
	assert.Equal(t, "D1", d.receivers[0].OutDetailID)

	d = decide([]paysync.AllocationReceiver{withID(recv("r1", "a", "1", pending), "D1")}, eID(entry("a", "1", csucc), "D2"))
	assert.False(t, d.learned)
	assert.Equal(t, "D1", d.receivers[0].OutDetailID, "an id never changes")
	assert.Equal(t, pending, d.receivers[0].Result, "another id is another share")
	assert.ElementsMatch(t, []paysync.AnomalyCode{paysync.AnomalyReceiverMissing, paysync.AnomalyReceiverUnmatched}, d.anomalies)

	d = decide([]paysync.AllocationReceiver{withID(recv("r1", "a", "1", pending), "D1")}, entry("a", "1", csucc))
	assert.False(t, d.learned)
	assert.Equal(t, "D1", d.receivers[0].OutDetailID)
	assert.Equal(t, rsucc, d.receivers[0].Result, "paired by account with an entry without id")
	assert.Empty(t, d.anomalies)
}
