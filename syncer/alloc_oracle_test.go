package syncer

import (
	"slices"
	"testing"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/stretchr/testify/assert"
)

// The allocation oracle: what docs/allocation-sync.md allows a sync to do
// with an answer, found by brute force over every way of pairing the
// channel's entries with the receivers — written apart from
// matchReceivers, decideAllocation and aggregate, so that a mistake they
// share cannot pass the tests that compare with it.

// oracleOutcome is what one pairing of entries with receivers leads to.
type oracleOutcome struct {
	results   []paysync.ReceiverResult
	anomalies []paysync.AnomalyCode // sorted
}

// allowedOutcomes returns the outcomes of every pairing of es with rs the
// rules allow. A pairing pairs a receiver that is not ignored with at most
// one entry it may pair with (the same id when both carry one; else the same
// type and account), each entry at most once; and it is allowed when
//   - a receiver and an entry that carry the same id are paired;
//   - no receiver is left alone while an entry it may pair with is unused
//     (it would be "missing" while the channel lists it);
//   - no receiver is paired with an entry of another amount while one of its
//     own amount it may pair with is unused (the rules prefer it).
//
// Which of several allowed pairings a sync picks, the rules do not say;
// what they allow, they say.
func allowedOutcomes(rs []paysync.AllocationReceiver, es []channel.ReceiverReport) []oracleOutcome {
	var (
		out  []oracleOutcome
		cur  = make([]int, len(rs))
		used = make([]bool, len(es))
	)
	allowed := func() bool {
		for i, r := range rs {
			if r.Result == paysync.ReceiverIgnore {
				continue
			}
			for j, e := range es {
				switch {
				case r.OutDetailID != "" && r.OutDetailID == e.OutDetailID && cur[i] != j:
					return false
				case used[j] || !pairable(r, e):
				case cur[i] < 0:
					return false
				case !es[cur[i]].Amount.Equal(r.Amount) && e.Amount.Equal(r.Amount):
					return false
				}
			}
		}
		return true
	}
	var walk func(i int)
	walk = func(i int) {
		if i == len(rs) {
			if allowed() {
				o := outcomeOf(rs, es, cur)
				if !slices.ContainsFunc(out, func(x oracleOutcome) bool {
					return slices.Equal(x.results, o.results) && slices.Equal(x.anomalies, o.anomalies)
				}) {
					out = append(out, o)
				}
			}
			return
		}
		cur[i] = -1
		walk(i + 1)
		if rs[i].Result == paysync.ReceiverIgnore {
			return
		}
		for j, e := range es {
			if used[j] || !pairable(rs[i], e) {
				continue
			}
			used[j], cur[i] = true, j
			walk(i + 1)
			used[j], cur[i] = false, -1
		}
	}
	walk(0)
	return out
}

// pairable says whether the rules let r and e be a pair.
func pairable(r paysync.AllocationReceiver, e channel.ReceiverReport) bool {
	if r.OutDetailID != "" && e.OutDetailID != "" {
		return r.OutDetailID == e.OutDetailID
	}
	return r.ReceiverType == e.ReceiverType && r.Account == e.Account
}

// outcomeOf is what pairing p (receiver i ↔ entry p[i], or none) does: a
// pending receiver takes its entry's final result when the amounts agree;
// the anomalies are those the rules name for each case.
func outcomeOf(rs []paysync.AllocationReceiver, es []channel.ReceiverReport, p []int) oracleOutcome {
	o := oracleOutcome{results: make([]paysync.ReceiverResult, len(rs))}
	note := func(c paysync.AnomalyCode) {
		if !slices.Contains(o.anomalies, c) {
			o.anomalies = append(o.anomalies, c)
		}
	}
	used := make([]bool, len(es))
	for i, r := range rs {
		o.results[i] = r.Result
		if r.Result == paysync.ReceiverIgnore {
			continue
		}
		j := p[i]
		if j < 0 {
			if r.Result == paysync.ReceiverPending {
				note(paysync.AnomalyReceiverMissing)
			}
			continue
		}
		used[j] = true
		e := es[j]
		switch {
		case r.Result.Final():
			if e.State != channel.ReceiverPending && string(e.State) != string(r.Result) {
				note(paysync.AnomalyReceiverResultConflict)
			}
		case !e.Amount.Equal(r.Amount):
			note(paysync.AnomalyReceiverAmountMismatch)
		case e.State == channel.ReceiverSuccess:
			o.results[i] = paysync.ReceiverSuccess
		case e.State == channel.ReceiverFail:
			o.results[i] = paysync.ReceiverFail
		}
	}
	if slices.Contains(used, false) {
		note(paysync.AnomalyReceiverUnmatched)
	}
	slices.Sort(o.anomalies)
	return o
}

// oracleAggregate is the order's status and result after its receivers
// took results: docs/allocation-sync.md#aggregation, written from the rule.
func oracleAggregate(st paysync.AllocationStatus, was paysync.AllocationResult, results []paysync.ReceiverResult) (paysync.AllocationStatus, paysync.AllocationResult) {
	counts := map[paysync.ReceiverResult]int{}
	for _, r := range results {
		counts[r]++
	}
	var ended paysync.AllocationResult
	switch {
	case counts[paysync.ReceiverFail] == 0:
		ended = paysync.AllocAllSuccess
	case counts[paysync.ReceiverSuccess] == 0:
		ended = paysync.AllocAllFailed
	default:
		ended = paysync.AllocPartSuccess
	}
	pending := counts[paysync.ReceiverPending] > 0
	switch st {
	case paysync.AllocProcessing, paysync.AllocFailed: // the channel knows it: it is processing or over
		if pending {
			return paysync.AllocProcessing, paysync.AllocAllPending
		}
		return paysync.AllocEnd, ended
	case paysync.AllocFinish, paysync.AllocFinishFailed: // the host's statuses stay; the result follows
		if !pending {
			return st, ended
		}
	}
	return st, was
}

// sameOutcome reports whether results and anomalies are one of allowed.
func sameOutcome(allowed []oracleOutcome, results []paysync.ReceiverResult, anomalies []paysync.AnomalyCode) bool {
	a := slices.Clone(anomalies)
	slices.Sort(a)
	for _, o := range allowed {
		if slices.Equal(o.results, results) && slices.Equal(o.anomalies, a) {
			return true
		}
	}
	return false
}

// checkMatch runs matchReceivers and checks what must hold whatever the
// input: each entry used at most once, ignored receivers never matched, a
// pair whose sides both carry ids has equal ids, every pair agrees by id or
// by (type, account), no receiver left unmatched while a compatible entry is
// left unused, the same answer twice, inputs untouched.
func checkMatch(t testing.TB, rs []paysync.AllocationReceiver, es []channel.ReceiverReport) []int {
	rsCopy, esCopy := slices.Clone(rs), slices.Clone(es)
	m := matchReceivers(rs, es)
	if !assert.Len(t, m, len(rs)) {
		return m
	}
	assert.Equal(t, m, matchReceivers(rs, es), "matching is deterministic")
	assert.Equal(t, rsCopy, rs, "receivers untouched")
	assert.Equal(t, esCopy, es, "entries untouched")
	used := make([]bool, len(es))
	for i, j := range m {
		if j < 0 {
			continue
		}
		if !assert.Less(t, j, len(es), "receiver %d: index out of range", i) {
			continue
		}
		assert.False(t, used[j], "entry %d applied to two receivers", j)
		used[j] = true
		r, e := rs[i], es[j]
		assert.NotEqual(t, paysync.ReceiverIgnore, r.Result, "receiver %d is ignored but matched", i)
		if r.OutDetailID != "" && e.OutDetailID != "" {
			assert.Equal(t, r.OutDetailID, e.OutDetailID, "receiver %d: both sides have ids, they differ", i)
		} else {
			assert.True(t, r.ReceiverType == e.ReceiverType && r.Account == e.Account,
				"receiver %d matched entry %d of another account without an id", i, j)
		}
	}
	for i, r := range rs {
		if m[i] >= 0 || r.Result == paysync.ReceiverIgnore {
			continue
		}
		for j, e := range es {
			if !used[j] && pairable(r, e) {
				t.Errorf("receiver %d unmatched while entry %d fits and is unused", i, j)
			}
		}
	}
	// A settled receiver's entry is not handed to a pending neighbour: a
	// final receiver without an agreeing entry (and not bound by its id to
	// another) means no entry of its amount agreeing with it went to a
	// pending receiver by account.
	for k, rk := range rs {
		if !rk.Result.Final() {
			continue
		}
		if j := m[k]; j >= 0 && (string(es[j].State) == string(rk.Result) || rk.OutDetailID != "" && es[j].OutDetailID != "") {
			continue
		}
		for i, j := range m {
			if j < 0 || rs[i].Result != pending || rs[i].OutDetailID != "" && es[j].OutDetailID != "" {
				continue
			}
			e := es[j]
			if pairable(rk, e) && string(e.State) == string(rk.Result) && e.Amount.Equal(rk.Amount) {
				t.Errorf("pending receiver %d took entry %d, which settled receiver %d", i, j, k)
			}
		}
	}
	return m
}
