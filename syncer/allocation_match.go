package syncer

import (
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// matchReceivers pairs local receivers with the channel's entries (docs/allocation-sync.md#matching-receivers)
// and returns, for each receiver, the index of its entry or -1. Ignored
// receivers are never matched. Each entry is used at most once, so two
// receivers with one account stay two receivers.
//
// Order of preference: the same OutDetailID when both sides have one; then
// (ReceiverType, Account) with the same Amount; then (ReceiverType, Account)
// alone — each time a final receiver with an entry of its own result before
// anyone else. A pair whose sides both carry ids matches by id only.
func matchReceivers(rs []paysync.AllocationReceiver, es []channel.ReceiverReport) []int {
	match := make([]int, len(rs))
	used := make([]bool, len(es))
	for i := range match {
		match[i] = -1
	}
	// Pass 1: ids.
	for i := range rs {
		r := &rs[i]
		if r.Result == paysync.ReceiverIgnore || r.OutDetailID == "" {
			continue
		}
		for j := range es {
			if !used[j] && es[j].OutDetailID == r.OutDetailID {
				match[i], used[j] = j, true
				break
			}
		}
	}
	// Then accounts: first with equal amounts, so that a receiver does not
	// take the entry a same-account neighbour is owed; within that, settled
	// receivers first take an entry that agrees with their result, so that
	// a pending neighbour does not take (and copy) the entry that settled
	// them; then pending receivers; then settled ones left over, which can
	// only meet a contradiction. Without ids, that is the only consistent
	// reading.
	const (
		settled = iota // final receivers, entries that agree
		open           // pending receivers
		rest           // final receivers, any entry
	)
	for _, sameAmount := range [2]bool{true, false} {
		for phase := settled; phase <= rest; phase++ {
			for i := range rs {
				r := &rs[i]
				if match[i] >= 0 || r.Result == paysync.ReceiverIgnore || r.Result.Final() == (phase == open) {
					continue
				}
				for j := range es {
					e := &es[j]
					if used[j] || r.OutDetailID != "" && e.OutDetailID != "" ||
						e.ReceiverType != r.ReceiverType || e.Account != r.Account ||
						sameAmount && !e.Amount.Equal(r.Amount) ||
						phase == settled && string(e.State) != string(r.Result) {
						continue
					}
					match[i], used[j] = j, true
					break
				}
			}
		}
	}
	return match
}
