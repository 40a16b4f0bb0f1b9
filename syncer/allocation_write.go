package syncer

import (
	"context"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
)

// writeAllocation commits decision d: receivers, status, records, events and
// anomaly sightings in one version-checked commit, or the entries alone when
// the order has nothing to change.
func (s *Syncer) writeAllocation(ctx context.Context, c *call, o paysync.AllocationOrder, rep *channel.AllocationReport, notFound bool, d *allocDecision) (AllocationOutcome, error) {
	state := "reported"
	if notFound {
		state = "not_found"
	}
	t := allocTrade(&o)
	rec := s.record(c, t, state, rep.Raw)
	rec.Anomalies = d.anomalies
	next := o
	var e repository.Entries
	changed := d.learned || len(d.finals) > 0
	if d.receivers != nil {
		next.Receivers = d.receivers
	}
	note := func(a paysync.AdjustRecord) {
		if !rec.Adjusted {
			rec.Adjusted, rec.AdjustNo = true, a.AdjustNo
		}
		e.Adjusts = append(e.Adjusts, a)
	}
	for _, i := range d.finals {
		a := s.adjust(c, t, paysync.WayAllocReceiver, string(paysync.ReceiverPending), string(next.Receivers[i].Result))
		a.ReceiverNo = next.Receivers[i].ReceiverNo
		note(a)
	}
	if d.status != o.Status {
		next.Status, next.Result = d.status, d.result
		if d.status == paysync.AllocEnd {
			next.FinishedAt = c.now
		}
		note(s.adjust(c, t, paysync.WayAllocStatus, string(o.Status), string(d.status)))
		changed = true
	} else if d.result != o.Result {
		next.Result, changed = d.result, true
	}
	fail := func(err error) (AllocationOutcome, error) { return allocOutcome(&o), err }
	for _, i := range d.finals {
		if err := s.addAllocEvent(c, &e, paysync.EventAllocReceiver, next, next.Receivers[i].ReceiverNo, ""); err != nil {
			return fail(err)
		}
	}
	if et, ok := allocEventFor(d.status); ok && d.status != o.Status {
		if err := s.addAllocEvent(c, &e, et, next, "", ""); err != nil {
			return fail(err)
		}
	}
	sightings, opened, err := s.sight(ctx, c, seenOn(t, d.anomalies))
	if err != nil {
		return fail(err)
	}
	e.Sightings = sightings
	for _, x := range opened {
		if err := s.addAllocEvent(c, &e, paysync.EventAllocationAnomaly, next, "", x.code); err != nil {
			return fail(err)
		}
	}
	exhausted := false
	if next.Scheduled() && !next.Schedule.Exhausted {
		exhausted = reschedule(&next.Schedule, s.cfg.Timetables.Allocation, next.CreatedAt, time.Time{}, c.now)
		changed = true
		if exhausted {
			if err := s.addAllocEvent(c, &e, paysync.EventSyncExhausted, next, "", ""); err != nil {
				return fail(err)
			}
		}
	}
	e.Sync = rec
	if !changed {
		out := allocOutcome(&o)
		out.Anomalies, out.RecordID = d.anomalies, rec.ID
		return out, s.store.SaveEntries(storeCtx(ctx), e)
	}
	next.UpdatedAt = c.now
	if err := s.store.CommitAllocationOrder(storeCtx(ctx), next, e); err != nil {
		return fail(err)
	}
	out := allocOutcome(&next)
	out.Adjusted, out.Anomalies, out.RecordID, out.Exhausted = rec.Adjusted, d.anomalies, rec.ID, exhausted
	for _, i := range d.finals {
		out.Receivers[i].Changed = true
	}
	return out, nil
}

// addAllocEvent adds an event of type et about allocation order o to e;
// receiverNo names the receiver of an allocation.receiver event, code the
// anomaly an anomaly event announces.
func (s *Syncer) addAllocEvent(c *call, e *repository.Entries, et paysync.EventType, o paysync.AllocationOrder, receiverNo string, code paysync.AnomalyCode) error {
	p := paysync.NewAllocationPayload(o, receiverNo)
	p.Anomaly = code
	ev, err := s.event(c, et, allocTrade(&o), p)
	if err != nil {
		return err
	}
	e.Events = append(e.Events, ev)
	return nil
}

// allocFailed records an allocation sync whose outcome is unknown, as
// payFailed does for pay orders.
func (s *Syncer) allocFailed(ctx context.Context, c *call, o paysync.AllocationOrder, rep *channel.AllocationReport, cause error) (AllocationOutcome, error) {
	rec := s.failure(ctx, c, allocTrade(&o), cause)
	rec.Raw = rep.Raw
	out := allocOutcome(&o)
	out.RecordID = rec.ID
	_, keepDue := failureKind(cause)
	counts := !keepDue && o.Scheduled() && !o.Schedule.Exhausted
	exhausted, err := s.saveFailure(ctx, counts, rec, func(wctx context.Context) (bool, error) {
		next := o
		e := repository.Entries{Sync: rec}
		exhausted := reschedule(&next.Schedule, s.cfg.Timetables.Allocation, next.CreatedAt, time.Time{}, c.now)
		if exhausted {
			if err := s.addAllocEvent(c, &e, paysync.EventSyncExhausted, next, "", ""); err != nil {
				return false, err
			}
		}
		next.UpdatedAt = c.now
		return exhausted, s.store.CommitAllocationOrder(wctx, next, e)
	})
	out.Exhausted = exhausted
	return out, failureError(c.op, cause, err)
}
