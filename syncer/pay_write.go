package syncer

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/statemachine"
)

// writePay turns decision d into the order's next state and its records, and
// commits them: one commit, version-checked, or the SyncRecord alone when the
// order itself has nothing to change.
func (s *Syncer) writePay(ctx context.Context, o paysync.PayOrder, a *payAnswer, d *payDecision, now time.Time, src paysync.Source, clientIP string) (PayOutcome, error) {
	rep := &a.rep
	next := o
	rec := paysync.SyncRecord{
		ID: s.newID(), TradeType: paysync.TradePay, TradeNo: o.OrderNo, BizNo: o.BizOrderNo,
		OutNo: o.OutOrderNo, Channel: o.Channel, ChannelState: string(rep.State), Raw: rep.Raw,
		Anomalies: d.anomalies, ClientIP: clientIP, Source: src, CreatedAt: now,
	}
	if rec.OutNo == "" {
		rec.OutNo = rep.OutOrderNo
	}
	var (
		e     repository.Entries
		adj   paysync.AdjustRecord // when rec.Adjusted
		dirty bool
	)

	if d.to != o.Status {
		// The table decided; the machine guards. A refusal is a bug in the
		// table, and nothing is written.
		ev, _ := statemachine.PayEventTo(d.to)
		if _, _, err := statemachine.Pay(ctx, o.Status, ev); err != nil {
			return PayOutcome{OrderStatus: o.Status}, err
		}
		next.Status, next.RefundStatus = d.to, d.refund
		switch d.to {
		case paysync.PaySuccess:
			if next.PaidAt.IsZero() && rep.PaidAt.IsZero() {
				next.PaidAt = now
			}
		case paysync.PayClose:
			next.ClosedAt = now
		}
		adj = paysync.AdjustRecord{
			AdjustNo: s.newID().String(), TradeType: paysync.TradePay, TradeNo: o.OrderNo, Source: src,
			Way: d.way, Before: string(o.Status), After: string(d.to), CreatedAt: now,
		}
		rec.Adjusted, rec.AdjustNo = true, adj.AdjustNo
		dirty = true
	}
	if d.fill {
		if next.OutOrderNo == "" && rep.OutOrderNo != "" {
			next.OutOrderNo, dirty = rep.OutOrderNo, true
		}
		if next.PaidAt.IsZero() && !rep.PaidAt.IsZero() {
			next.PaidAt, dirty = rep.PaidAt.UTC().Truncate(time.Microsecond), true
		}
	}
	announce := unannounced(next.Announced, d.anomalies)
	if len(announce) > 0 {
		next.Announced = append(slices.Clip(next.Announced), announce...)
		dirty = true
	}
	exhausted := false
	if next.Scheduled() && !next.Schedule.Exhausted {
		exhausted = s.reschedule(&next.Schedule, next.CreatedAt, next.ExpiredAt, now)
		dirty = true
	}
	// Events last, so each payload shows the order as committed. Only a
	// commit with records beside its SyncRecord takes scratch memory.
	if rec.Adjusted || len(announce) > 0 || exhausted {
		sc := s.getScratch()
		defer s.putScratch(sc)
		if rec.Adjusted {
			sc.adjusts[0] = adj
			e.Adjusts = sc.adjusts[:]
			sc.addPayEvent(s, &next, d.event, "", now)
		}
		for _, code := range announce {
			sc.addPayEvent(s, &next, paysync.EventPayAnomaly, code, now)
		}
		if exhausted {
			sc.addPayEvent(s, &next, paysync.EventSyncExhausted, "", now)
		}
		e.Events = sc.events
	}

	res := PayOutcome{OrderStatus: next.Status, Adjusted: rec.Adjusted, ChannelState: rep.State,
		Anomalies: d.anomalies, RecordID: rec.ID, Exhausted: exhausted}
	if !dirty { // nothing moved: next is o
		return res, s.store.SaveSyncRecord(storeCtx(ctx), rec)
	}
	next.UpdatedAt = now
	e.Sync = rec
	if err := s.store.CommitPayOrder(storeCtx(ctx), next, e); err != nil {
		return PayOutcome{OrderStatus: o.Status, ChannelState: rep.State}, err
	}
	return res, nil
}

// unannounced returns the codes of seen that announced does not hold yet:
// each anomaly is announced by an event once per order and code.
func unannounced(announced, seen []paysync.AnomalyCode) []paysync.AnomalyCode {
	var out []paysync.AnomalyCode
	for _, code := range seen {
		if !slices.Contains(announced, code) {
			out = append(out, code)
		}
	}
	return out
}

// reschedule sets the next due time after a completed sync and reports
// whether the schedule just ran out.
func (s *Syncer) reschedule(sc *paysync.Schedule, created, expires, now time.Time) (exhausted bool) {
	sc.Attempts++
	due, ok := s.cfg.Timetable.Next(created, expires, now)
	if !ok {
		sc.Exhausted, sc.NextSyncAt = true, time.Time{}
		return true
	}
	sc.NextSyncAt = due
	return false
}

// payFailed records a sync whose outcome is unknown: the order's status is
// untouched (see saveFailure).
func (s *Syncer) payFailed(ctx context.Context, op string, o paysync.PayOrder, src paysync.Source, clientIP string, a *payAnswer, cause error) (PayOutcome, error) {
	now := s.clock()
	rec := s.failureRecord(ctx, paysync.TradePay, o.OrderNo, o.BizOrderNo, o.OutOrderNo, o.Channel, src, clientIP, cause, now)
	rec.ChannelState, rec.Raw = string(a.rep.State), a.rep.Raw
	res := PayOutcome{OrderStatus: o.Status, ChannelState: a.rep.State, RecordID: rec.ID}
	_, keepDue := failureKind(cause)
	counts := !keepDue && o.Scheduled() && !o.Schedule.Exhausted
	exhausted, err := s.saveFailure(ctx, counts, rec, func(wctx context.Context) (bool, error) {
		next := o
		e := repository.Entries{Sync: rec}
		exhausted := s.reschedule(&next.Schedule, next.CreatedAt, next.ExpiredAt, now)
		if exhausted {
			e.Events = append(e.Events, s.payEvent(&next, paysync.EventSyncExhausted, "", now))
		}
		next.UpdatedAt = now
		return exhausted, s.store.CommitPayOrder(wctx, next, e)
	})
	res.Exhausted = exhausted
	return res, failureError(op, cause, err)
}

// failureRecord builds the SyncRecord of a failed sync, logs the failure and,
// for a rate-limit answer, backs the channel off.
func (s *Syncer) failureRecord(ctx context.Context, tt paysync.TradeType, no, bizNo, outNo, ch string, src paysync.Source, clientIP string, cause error, now time.Time) paysync.SyncRecord {
	if errors.Is(cause, channel.ErrRateLimited) {
		s.limits.hold(ch)
	}
	s.log.LogAttrs(ctx, slog.LevelWarn, string(tt)+" sync failed", slog.String("trade_no", no),
		slog.String("channel", ch), slog.String("source", string(src)), slog.Any("err", cause))
	sentinel, _ := failureKind(cause)
	return paysync.SyncRecord{ID: s.newID(), TradeType: tt, TradeNo: no, BizNo: bizNo, OutNo: outNo, Channel: ch,
		ErrorCode: string(sentinel.Code), ErrorMsg: cause.Error(), ClientIP: clientIP, Source: src, CreatedAt: now}
}

// saveFailure writes rec. An attempt that counts (the order is in the
// schedule, and neither a rate limit nor a lost race stopped it) moves the
// order's due time with it through commit, so a channel that is down is not
// asked again at once; otherwise, or when the order moved on meanwhile, the
// record is stored alone. It reports whether the commit ended the schedule.
func (s *Syncer) saveFailure(ctx context.Context, counts bool, rec paysync.SyncRecord, commit func(context.Context) (bool, error)) (bool, error) {
	wctx := storeCtx(ctx)
	if counts {
		exhausted, err := commit(wctx)
		if err == nil || !errors.Is(err, paysync.ErrVersionConflict) {
			return exhausted && err == nil, err
		}
	}
	return false, s.store.SaveSyncRecord(wctx, rec)
}

// failureError is what a failed sync returns: the failure's sentinel
// wrapping its cause, or ErrInternal when even its record could not be
// written.
func failureError(op string, cause, storeErr error) error {
	if storeErr != nil {
		return paysync.E(op, paysync.ErrInternal, errors.Join(cause, storeErr))
	}
	sentinel, _ := failureKind(cause)
	return paysync.E(op, sentinel, cause)
}
