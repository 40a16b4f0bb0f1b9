//go:build go1.25

package syncer

import (
	"fmt"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// TestDecideAllocationAgainstTheOracle runs decideAllocation on random
// receivers and answers and compares what it does — each receiver's result,
// the anomalies, the order's status and result — with the outcomes of the
// best pairings found by brute force (alloc_oracle_test.go).
func TestDecideAllocationAgainstTheOracle(t *testing.T) {
	seeds, cases := propertySeeds, 2000
	if testing.Short() {
		seeds, cases = seeds[:4], 500
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	statuses := []paysync.AllocationStatus{paysync.AllocProcessing, paysync.AllocFailed, paysync.AllocFinish,
		paysync.AllocFinishFailed, paysync.AllocEnd}
	for _, seed := range seeds {
		r := newRand(seed)
		for i := range cases {
			rs := randomReceivers(r, 1+r.IntN(5))
			es := randomEntries(r, rs, r.IntN(2) == 0)
			o := paysync.AllocationOrder{AllocationNo: fmt.Sprint(i), Status: statuses[r.IntN(len(statuses))],
				Result: paysync.AllocAllPending, Receivers: rs}
			rep := channel.AllocationReport{Receivers: es}
			d, err := decideAllocation(&o, &rep, false, now)
			if err != nil {
				t.Fatalf("seed %d case %d: %v", seed, i, err)
			}
			results := make([]paysync.ReceiverResult, len(d.receivers))
			for k, x := range d.receivers {
				results[k] = x.Result
			}
			allowed := allowedOutcomes(rs, es)
			if !sameOutcome(allowed, results, d.anomalies) {
				t.Fatalf("seed %d case %d: the sync gave results %v and anomalies %v; the rules allow %+v\nreceivers %+v\nentries %+v",
					seed, i, results, d.anomalies, allowed, rs, es)
			}
			st, res := oracleAggregate(o.Status, o.Result, results)
			if d.status != st || d.result != res {
				t.Fatalf("seed %d case %d: %s/%s → %s/%s, the rule says %s/%s (results %v)",
					seed, i, o.Status, o.Result, d.status, d.result, st, res, results)
			}
		}
	}
}
