package syncer

import (
	"context"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/statemachine"
)

// writePay commits decision d about o: the order's next state with its
// SyncRecord, AdjustRecord, events and anomaly sightings in one
// version-checked commit — or, when the order itself has nothing to change,
// the entries alone.
func (s *Syncer) writePay(ctx context.Context, c *call, o paysync.PayOrder, a *payAnswer, d *payDecision) (PayOutcome, error) {
	fail := func(err error) (PayOutcome, error) {
		return PayOutcome{OrderStatus: o.Status, ChannelState: a.rep.State}, err
	}
	next, moved, changed, err := nextPay(ctx, o, a, d, c.now)
	if err != nil {
		return fail(err)
	}
	t := payTrade(&o)
	rec := s.record(c, t, string(a.rep.State), a.rep.Raw)
	if rec.OutNo == "" {
		rec.OutNo = a.rep.OutOrderNo
	}
	rec.Anomalies = d.anomalies
	var e repository.Entries
	if moved {
		adj := s.adjust(c, t, d.way, string(o.Status), string(next.Status))
		rec.Adjusted, rec.AdjustNo = true, adj.AdjustNo
		e.Adjusts = []paysync.AdjustRecord{adj}
		if err := s.addPayEvent(c, &e, payEventFor(o.Status, next.Status), next, ""); err != nil {
			return fail(err)
		}
	}
	var opened []sighted
	if e.Sightings, opened, err = s.sight(ctx, c, seenOn(t, d.anomalies)); err != nil {
		return fail(err)
	}
	for _, x := range opened {
		if err := s.addPayEvent(c, &e, paysync.EventPayAnomaly, next, x.code); err != nil {
			return fail(err)
		}
	}
	exhausted := false
	if next.Scheduled() && !next.Schedule.Exhausted {
		exhausted = reschedule(&next.Schedule, s.cfg.Timetables.Pay, next.CreatedAt, next.ExpiredAt, c.now)
		changed = true
		if exhausted {
			if err := s.addPayEvent(c, &e, paysync.EventSyncExhausted, next, ""); err != nil {
				return fail(err)
			}
		}
	}
	e.Sync = rec
	out := PayOutcome{OrderStatus: next.Status, Adjusted: moved, ChannelState: a.rep.State,
		Anomalies: d.anomalies, RecordID: rec.ID, Exhausted: exhausted}
	if !changed {
		return out, s.store.SaveEntries(storeCtx(ctx), e)
	}
	next.UpdatedAt = c.now
	if err := s.store.CommitPayOrder(storeCtx(ctx), next, e); err != nil {
		return fail(err)
	}
	return out, nil
}

// nextPay returns o as decision d leaves it, whether its status moved and
// whether any stored field changed. The table decided; the machine guards:
// a move it refuses is a bug in the table, and nothing is written.
func nextPay(ctx context.Context, o paysync.PayOrder, a *payAnswer, d *payDecision, now time.Time) (next paysync.PayOrder, moved, changed bool, err error) {
	next = o
	rep := &a.rep
	if d.to != o.Status {
		ev, _ := statemachine.PayEventTo(d.to)
		if next.Status, _, err = statemachine.Pay(ctx, o.Status, ev); err != nil {
			return o, false, false, err
		}
		moved, changed = true, true
		next.RefundStatus = d.refund
		switch d.to {
		case paysync.PaySuccess:
			if next.PaidAt.IsZero() && rep.PaidAt.IsZero() {
				next.PaidAt = now
			}
		case paysync.PayClose:
			next.ClosedAt = now
		}
	}
	if d.booked {
		next.RefundedAmount = rep.RefundedAmount
	}
	if d.fill {
		if next.OutOrderNo == "" && rep.OutOrderNo != "" {
			next.OutOrderNo, changed = rep.OutOrderNo, true
		}
		if next.PaidAt.IsZero() && !rep.PaidAt.IsZero() {
			next.PaidAt, changed = rep.PaidAt.UTC().Truncate(time.Microsecond), true
		}
	}
	return next, moved, changed, nil
}

// addPayEvent adds an event of type et about pay order o to e; code names
// the anomaly an anomaly event announces.
func (s *Syncer) addPayEvent(c *call, e *repository.Entries, et paysync.EventType, o paysync.PayOrder, code paysync.AnomalyCode) error {
	p := paysync.NewPayPayload(o)
	p.Anomaly = code
	ev, err := s.event(c, et, payTrade(&o), p)
	if err != nil {
		return err
	}
	e.Events = append(e.Events, ev)
	return nil
}

// payEventFor is the status event of a pay order's move from → to, made by
// a sync or by a person: the event follows from the move.
func payEventFor(from, to paysync.PayStatus) paysync.EventType {
	switch to {
	case paysync.PaySuccess:
		if from == paysync.PayClose || from == paysync.PayCancel {
			return paysync.EventPayPaidAfterClose
		}
		return paysync.EventPaySuccess
	case paysync.PayClose:
		return paysync.EventPayClosed
	case paysync.PayCancel:
		return paysync.EventPayCancelled
	case paysync.PayFail:
		return paysync.EventPayFailed
	}
	return paysync.EventPayProgress
}

// seenOn returns codes as sightings of order t.
func seenOn(t trade, codes []paysync.AnomalyCode) []sighted {
	out := make([]sighted, len(codes))
	for i, code := range codes {
		out[i] = sighted{tt: t.tt, no: t.no, code: code}
	}
	return out
}

// payFailed records a sync whose outcome is unknown: the order's status is
// untouched (see saveFailure).
func (s *Syncer) payFailed(ctx context.Context, c *call, o paysync.PayOrder, a *payAnswer, cause error) (PayOutcome, error) {
	rec := s.failure(ctx, c, payTrade(&o), cause)
	rec.ChannelState, rec.Raw = string(a.rep.State), a.rep.Raw
	out := PayOutcome{OrderStatus: o.Status, ChannelState: a.rep.State, RecordID: rec.ID}
	_, keepDue := failureKind(cause)
	counts := !keepDue && o.Scheduled() && !o.Schedule.Exhausted
	exhausted, err := s.saveFailure(ctx, counts, rec, func(wctx context.Context) (bool, error) {
		next := o
		e := repository.Entries{Sync: rec}
		exhausted := reschedule(&next.Schedule, s.cfg.Timetables.Pay, next.CreatedAt, next.ExpiredAt, c.now)
		if exhausted {
			if err := s.addPayEvent(c, &e, paysync.EventSyncExhausted, next, ""); err != nil {
				return false, err
			}
		}
		next.UpdatedAt = c.now
		return exhausted, s.store.CommitPayOrder(wctx, next, e)
	})
	out.Exhausted = exhausted
	return out, failureError(c.op, cause, err)
}
