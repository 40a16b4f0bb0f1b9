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
func (s *Syncer) writeAllocation(ctx context.Context, o paysync.AllocationOrder, rep *channel.AllocationReport, notFound bool, d *allocDecision, now time.Time, src paysync.Source, clientIP string) (AllocationResult, error) {
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
	var announce []paysync.AnomalyCode
	for _, code := range d.anomalies {
		if !next.HasAnnounced(code) {
			announce = append(announce, code)
		}
	}
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
func (s *Syncer) allocFailed(ctx context.Context, op string, o paysync.AllocationOrder, src paysync.Source, clientIP string, rep *channel.AllocationReport, cause error) (AllocationResult, error) {
	now := s.clock()
	sentinel, retry := failureKind(cause)
	if errors.Is(cause, channel.ErrRateLimited) {
		s.limits.hold(o.Channel)
	}
	rec := paysync.SyncRecord{
		ID: s.newID(), TradeType: paysync.TradeAllocation, TradeNo: o.AllocationNo, BizNo: o.BizAllocationNo,
		OutNo: o.OutAllocationNo, Channel: o.Channel, Raw: rep.Raw, ErrorCode: string(sentinel.Code),
		ErrorMsg: cause.Error(), ClientIP: clientIP, Source: src, CreatedAt: now,
	}
	s.log.LogAttrs(ctx, slogWarn, "allocation sync failed", attrStr("allocation_no", o.AllocationNo),
		attrStr("channel", o.Channel), attrStr("source", string(src)), attrErr(cause))
	res := allocResult(&o)
	res.RecordID = rec.ID
	ret := paysync.E(op, sentinel, cause)
	wctx := storeCtx(ctx)
	if !retry && o.Scheduled() && !o.Schedule.Exhausted {
		next := o
		var e repository.Entries
		if s.reschedule(&next.Schedule, next.CreatedAt, time.Time{}, now) {
			e.Events = append(e.Events, s.allocEvent(&next, paysync.EventSyncExhausted, "", "", now))
			res.Exhausted = true
		}
		next.UpdatedAt, e.Sync = now, rec
		err := s.store.CommitAllocationOrder(wctx, next, e)
		if err == nil {
			return res, ret
		}
		res.Exhausted = false
		if !errors.Is(err, paysync.ErrVersionConflict) {
			return res, paysync.E(op, paysync.ErrInternal, errors.Join(cause, err))
		}
	}
	if err := s.store.SaveSyncRecord(wctx, rec); err != nil {
		return res, paysync.E(op, paysync.ErrInternal, errors.Join(cause, err))
	}
	return res, ret
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
