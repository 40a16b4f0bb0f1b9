package syncer

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
)

// writeAllocation commits decision d: receivers, status, records and events
// in one version-checked commit, or the SyncRecord alone when the order has
// nothing to change.
func (s *Syncer) writeAllocation(ctx context.Context, o paysync.AllocationOrder, rep *channel.AllocationReport, notFound bool, d *allocDecision, now time.Time, src paysync.Source, clientIP string) (AllocationOutcome, error) {
	state := "reported"
	if notFound {
		state = "not_found"
	}
	rec := paysync.SyncRecord{
		ID: s.newID(), TradeType: paysync.TradeAllocation, TradeNo: o.AllocationNo, BizNo: o.BizAllocationNo,
		OutNo: o.OutAllocationNo, Channel: o.Channel, ChannelState: state, Raw: rep.Raw,
		Anomalies: d.anomalies, ClientIP: clientIP, Source: src, CreatedAt: now,
	}
	next := o
	var e repository.Entries
	dirty := d.learned || len(d.finals) > 0
	if d.receivers != nil {
		next.Receivers = d.receivers
	}
	adjust := func(way paysync.AdjustWay, receiverNo, before, after string) {
		a := paysync.AdjustRecord{AdjustNo: s.newID().String(), TradeType: paysync.TradeAllocation,
			TradeNo: o.AllocationNo, Source: src, Way: way, ReceiverNo: receiverNo, Before: before, After: after, CreatedAt: now}
		if !rec.Adjusted {
			rec.Adjusted, rec.AdjustNo = true, a.AdjustNo
		}
		e.Adjusts = append(e.Adjusts, a)
	}
	for _, i := range d.finals {
		adjust(paysync.WayAllocReceiver, next.Receivers[i].ReceiverNo, string(paysync.ReceiverPending), string(next.Receivers[i].Result))
	}
	if d.status != o.Status {
		next.Status, next.Result = d.status, d.result
		if d.status == paysync.AllocEnd {
			next.FinishedAt = now
		}
		adjust(paysync.WayAllocStatus, "", string(o.Status), string(d.status))
		dirty = true
	} else if d.result != o.Result {
		next.Result, dirty = d.result, true
	}
	announce := unannounced(next.Announced, d.anomalies)
	if len(announce) > 0 {
		next.Announced = append(slices.Clip(next.Announced), announce...)
		dirty = true
	}
	exhausted := false
	if next.Scheduled() && !next.Schedule.Exhausted {
		exhausted = s.reschedule(&next.Schedule, next.CreatedAt, time.Time{}, now)
		dirty = true
	}
	for _, i := range d.finals {
		e.Events = append(e.Events, s.allocEvent(&next, paysync.EventAllocReceiver, next.Receivers[i].ReceiverNo, "", now))
	}
	if d.status != o.Status {
		e.Events = append(e.Events, s.allocEvent(&next, d.event, "", "", now))
	}
	for _, code := range announce {
		e.Events = append(e.Events, s.allocEvent(&next, paysync.EventAllocationAnomaly, "", code, now))
	}
	if exhausted {
		e.Events = append(e.Events, s.allocEvent(&next, paysync.EventSyncExhausted, "", "", now))
	}

	if !dirty {
		res := allocResult(&o)
		res.Anomalies, res.RecordID = d.anomalies, rec.ID
		return res, s.store.SaveSyncRecord(storeCtx(ctx), rec)
	}
	next.UpdatedAt = now
	e.Sync = rec
	if err := s.store.CommitAllocationOrder(storeCtx(ctx), next, e); err != nil {
		return allocResult(&o), err
	}
	res := allocResult(&next)
	res.Adjusted, res.Anomalies, res.RecordID, res.Exhausted = rec.Adjusted, d.anomalies, rec.ID, exhausted
	for _, i := range d.finals {
		res.Receivers[i].Changed = true
	}
	return res, nil
}

// allocFailed records an allocation sync whose outcome is unknown, as
// payFailed does for pay orders.
func (s *Syncer) allocFailed(ctx context.Context, op string, o paysync.AllocationOrder, src paysync.Source, clientIP string, rep *channel.AllocationReport, cause error) (AllocationOutcome, error) {
	now := s.clock()
	rec := s.failureRecord(ctx, paysync.TradeAllocation, o.AllocationNo, o.BizAllocationNo, o.OutAllocationNo, o.Channel, src, clientIP, cause, now)
	rec.Raw = rep.Raw
	res := allocResult(&o)
	res.RecordID = rec.ID
	_, keepDue := failureKind(cause)
	counts := !keepDue && o.Scheduled() && !o.Schedule.Exhausted
	exhausted, err := s.saveFailure(ctx, counts, rec, func(wctx context.Context) (bool, error) {
		next := o
		e := repository.Entries{Sync: rec}
		exhausted := s.reschedule(&next.Schedule, next.CreatedAt, time.Time{}, now)
		if exhausted {
			e.Events = append(e.Events, s.allocEvent(&next, paysync.EventSyncExhausted, "", "", now))
		}
		next.UpdatedAt = now
		return exhausted, s.store.CommitAllocationOrder(wctx, next, e)
	})
	res.Exhausted = exhausted
	return res, failureError(op, cause, err)
}

// failureKind tells a failed sync's sentinel, and whether the attempt does
// not count (rate limit, lost version race): its due time is kept.
func failureKind(cause error) (sentinel *paysync.Error, keepDue bool) {
	switch {
	case errors.Is(cause, paysync.ErrVersionConflict):
		return paysync.ErrVersionConflict, true
	case errors.Is(cause, channel.ErrRateLimited):
		return paysync.ErrChannelUnavailable, true
	}
	return paysync.ErrChannelUnavailable, false
}
