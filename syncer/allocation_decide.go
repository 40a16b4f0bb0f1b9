package syncer

import (
	"context"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/statemachine"
)

// allocDecision is what one sync does to an allocation order (docs/allocation-sync.md).
type allocDecision struct {
	receivers []paysync.AllocationReceiver // the receivers after the sync (a copy)
	finals    []int                        // receivers whose result became final
	learned   bool                         // an OutDetailID was learned
	status    paysync.AllocationStatus
	result    paysync.AllocationResult
	anomalies []paysync.AnomalyCode
}

// decideAllocation applies the channel's report to o. notFound says the
// channel does not know the allocation: nothing changes. It is pure, like
// decidePay, and returns an error only for a transition the machines refuse
// (a bug, not an input).
func decideAllocation(o *paysync.AllocationOrder, rep *channel.AllocationReport, notFound bool, now time.Time) (allocDecision, error) {
	d := allocDecision{status: o.Status, result: o.Result}
	if notFound {
		return d, nil
	}
	d.receivers = append([]paysync.AllocationReceiver(nil), o.Receivers...)
	match := matchReceivers(d.receivers, rep.Receivers)
	used := make([]bool, len(rep.Receivers))
	ctx := context.Background()
	for i := range d.receivers {
		r := &d.receivers[i]
		if r.Result == paysync.ReceiverIgnore {
			continue
		}
		j := match[i]
		if j < 0 {
			if r.Result == paysync.ReceiverPending {
				d.note(paysync.AnomalyReceiverMissing)
			}
			continue
		}
		used[j] = true
		e := &rep.Receivers[j]
		if r.OutDetailID == "" && e.OutDetailID != "" {
			r.OutDetailID, d.learned = e.OutDetailID, true
		}
		if r.Result.Final() {
			// A pending answer is a stale one (a host that lost a version
			// race re-decides with what it asked earlier); only another
			// final result contradicts.
			if e.State != channel.ReceiverPending && string(e.State) != string(r.Result) {
				d.note(paysync.AnomalyReceiverResultConflict)
			}
			continue
		}
		if !e.Amount.Equal(r.Amount) {
			d.note(paysync.AnomalyReceiverAmountMismatch)
			continue
		}
		var ev statemachine.ReceiverEvent
		switch e.State {
		case channel.ReceiverSuccess:
			ev = statemachine.ReceiverSucceed
		case channel.ReceiverFail:
			ev = statemachine.ReceiverFail
		default:
			continue
		}
		to, changed, err := statemachine.Receiver(ctx, r.Result, ev)
		if err != nil {
			return d, err
		}
		if changed {
			r.Result, r.ErrorCode, r.ErrorMsg = to, e.ErrorCode, e.ErrorMsg
			r.FinishedAt = e.FinishedAt.UTC().Truncate(time.Microsecond)
			if r.FinishedAt.IsZero() {
				r.FinishedAt = now
			}
			d.finals = append(d.finals, i)
		}
	}
	for j := range rep.Receivers {
		if !used[j] {
			d.note(paysync.AnomalyReceiverUnmatched)
			break
		}
	}
	return d, d.aggregate(ctx)
}

// note adds code once.
func (d *allocDecision) note(code paysync.AnomalyCode) {
	for _, c := range d.anomalies {
		if c == code {
			return
		}
	}
	d.anomalies = append(d.anomalies, code)
}

// aggregate derives the order's status and result from its receivers,
// leaving ignored receivers out: any pending → processing, all_pending; none
// pending → allocation_end with the result. finish and finish_failed keep
// their status; an ended order keeps its result.
func (d *allocDecision) aggregate(ctx context.Context) error {
	var pending, success, fail int
	for _, r := range d.receivers {
		switch r.Result {
		case paysync.ReceiverPending:
			pending++
		case paysync.ReceiverSuccess:
			success++
		case paysync.ReceiverFail:
			fail++
		}
	}
	result := paysync.AllocAllPending
	switch {
	case pending > 0:
	case fail == 0:
		result = paysync.AllocAllSuccess
	case success == 0:
		result = paysync.AllocAllFailed
	default:
		result = paysync.AllocPartSuccess
	}

	var ev statemachine.AllocationEvent
	switch d.status {
	case paysync.AllocProcessing:
		if pending > 0 {
			return nil
		}
		ev = statemachine.AllocEnd
	case paysync.AllocFailed:
		// The channel knows the allocation after all: move on.
		ev = statemachine.AllocEnd
		if pending > 0 {
			ev = statemachine.AllocRestart
		}
	case paysync.AllocFinish, paysync.AllocFinishFailed:
		if pending == 0 {
			d.result = result
		}
		return nil
	default: // allocation_end keeps what it ended with
		return nil
	}
	to, changed, err := statemachine.Allocation(ctx, d.status, ev)
	if err != nil || !changed {
		return err
	}
	d.status, d.result = to, result
	return nil
}

// allocEventFor is the status event of an allocation order's move to to,
// made by a sync or by a person. It reports false for the host's own
// statuses (finish, finish_failed), which the outbox does not announce.
func allocEventFor(to paysync.AllocationStatus) (paysync.EventType, bool) {
	switch to {
	case paysync.AllocEnd:
		return paysync.EventAllocationEnd, true
	case paysync.AllocProcessing:
		return paysync.EventAllocationProcess, true
	}
	return "", false
}
