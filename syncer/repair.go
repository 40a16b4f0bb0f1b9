package syncer

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// RepairRequest is a person's answer to a money question (docs/repair.md):
// move an order to To (empty: no move) and/or resolve some of its open
// anomalies (Resolve). Operator and Reason are required: they are written on
// the AdjustRecord and the events. A real repair names the Version the
// preview showed; a DryRun needs none.
type RepairRequest struct {
	Kind          paysync.TradeType
	TradeNo       string
	To            string // a status of Kind's kind
	Resolve       []paysync.AnomalyCode
	Operator      string
	Reason        string
	ExpectVersion int64
	DryRun        bool
}

// RepairPreview is what a repair does — or, for a DryRun, would do.
type RepairPreview struct {
	Kind    paysync.TradeType
	TradeNo string
	// Version is the order's Version the preview was made on: a person
	// confirms the repair with it.
	Version int64
	Before  string // the order's status
	After   string // its status after the repair (Before when it does not move)
	// Adjust is the AdjustRecord of the move; nil without one.
	Adjust *paysync.AdjustRecord
	// Events are the outbox events the repair writes: the move's status
	// event, one anomaly.resolved per resolved code.
	Events   []paysync.Event
	Resolved []paysync.AnomalyCode
	// Pay is the pay order's refund fields before and after, for a refund
	// move; nil otherwise.
	Pay *PayRefundMove
	// Channel is the channel's answer about the order now, when it could be
	// asked: a preview asks (nothing is written for it); a confirmation
	// does not, and leaves it zero.
	Channel ChannelView
	// Warnings say what a person should weigh before confirming: a
	// preview's; a confirmation's hold only over_refunded.
	Warnings []string
	// Applied is false for a DryRun, true once the repair is committed.
	Applied bool
}

// ChannelView is what the channel said about an order during a preview.
type ChannelView struct {
	Asked bool   // false when the channel cannot be asked about this kind
	State string // the channel's state, empty on an error
	Error string // why the channel could not answer, if it could not
	Raw   []byte
}

// PayRefundMove is a pay order's refund fields before and after a refund
// moves.
type PayRefundMove struct {
	OrderNo                       string
	RefundedBefore, RefundedAfter decimal.Decimal
	ReservedBefore, ReservedAfter decimal.Decimal
	StatusBefore, StatusAfter     paysync.PayRefundStatus
	// BalanceBefore and BalanceAfter are the pay order's RefundableBalance.
	BalanceBefore, BalanceAfter decimal.Decimal
	Anomalies                   []paysync.AnomalyCode // the pay order's anomalies the move raises
}

// Repair applies a person's repair, or previews it when req.DryRun: the move
// goes through the kind's manual table (every sync move, plus success →
// close for pay, refund and transfer orders); a refund's move changes its
// pay order's refund fields as a sync's would; a pay order moved to close
// from wait or progress is closed at the channel first. One commit holds
// the order, an AdjustRecord (source manual, way manual, with Operator and
// Reason), the move's status event and one anomaly.resolved per resolved
// code; a repair that only resolves commits the resolutions alone. It takes
// the order's lock like a sync. A DryRun writes nothing at all.
//
// Errors, each writing nothing: paysync.ErrInvalidRequest for an unknown
// Kind, an empty TradeNo, Operator or Reason, a request with neither To nor
// Resolve, a To that is the order's status, or a code to resolve that is
// not open on the order; the kind's not-found sentinel; ErrVersionConflict
// when the order's Version is not ExpectVersion (someone changed it since
// the preview) or changes under the commit; ErrInvalidTransition for a move
// the manual table lacks, a paid order's close while refunds or allocation
// orders exist (its money is accounted for elsewhere), or a close the
// channel refuses because the trade is paid; ErrUnsupported for a close of
// an unpaid pay order on a channel that cannot close trades;
// ErrChannelUnavailable when that close's outcome is unknown;
// ErrSyncInProgress, ErrCanceled; ErrInternal when the store failed.
func (s *Syncer) Repair(ctx context.Context, req RepairRequest) (RepairPreview, error) {
	c := call{op: "syncer.Repair", src: paysync.SourceManual}
	switch {
	case !req.Kind.Valid():
		return RepairPreview{}, paysync.Ef(c.op, paysync.ErrInvalidRequest, "unknown kind "+string(req.Kind), nil)
	case req.TradeNo == "":
		return RepairPreview{}, paysync.Ef(c.op, paysync.ErrInvalidRequest, "trade number is required", nil)
	case req.Operator == "" || req.Reason == "":
		return RepairPreview{}, paysync.Ef(c.op, paysync.ErrInvalidRequest, "operator and reason are required", nil)
	case req.To == "" && len(req.Resolve) == 0:
		return RepairPreview{}, paysync.Ef(c.op, paysync.ErrInvalidRequest, "nothing to repair: no status and no anomaly given", nil)
	}
	r, release, err := s.repairable(ctx, &c, req.Kind, req.TradeNo)
	if err != nil {
		return RepairPreview{}, err
	}
	defer release()
	return s.repair(ctx, &c, r, req)
}

func (s *Syncer) repair(ctx context.Context, c *call, r *repairTarget, req RepairRequest) (RepairPreview, error) {
	p := RepairPreview{Kind: req.Kind, TradeNo: req.TradeNo, Version: r.version, Before: r.status, After: r.status}
	if !req.DryRun && r.version != req.ExpectVersion {
		return p, paysync.Ef(c.op, paysync.ErrVersionConflict, "the order is at version "+strconv.FormatInt(r.version, 10)+
			", the repair was previewed at "+strconv.FormatInt(req.ExpectVersion, 10), nil)
	}
	anomalies, err := s.store.OrderAnomalies(ctx, r.t.tt, r.t.no)
	if err != nil {
		return p, storeError(c.op, err)
	}
	for _, code := range req.Resolve {
		if !slices.ContainsFunc(anomalies, func(a paysync.Anomaly) bool { return a.Code == code && a.Open() }) {
			return p, paysync.Ef(c.op, paysync.ErrInvalidRequest, "anomaly "+string(code)+" is not open on "+r.t.no, nil)
		}
	}
	c.answered(s)
	if req.DryRun {
		// The person weighs the channel's answer in the preview; the
		// confirmation does not ask again, which would hold the order's
		// locks (a refund's pay order's too) over a network call whose
		// answer changes nothing.
		p.Channel = r.ask(ctx)
	}
	var e repository.Entries
	var payChange *repository.PayRefundChange
	if req.To != "" {
		if req.To == r.status {
			return p, paysync.Ef(c.op, paysync.ErrInvalidRequest, r.t.no+" is "+r.status+" already", nil)
		}
		if err := r.move(ctx, req.To); err != nil {
			return p, err
		}
		if err := r.refuse(ctx, req.To); err != nil {
			return p, err
		}
		if req.DryRun {
			p.Warnings = append(p.Warnings, r.warn(p.Channel, req.To)...)
		}
		r.apply(req.To, c.now)
		p.After = req.To
		adj := s.adjust(c, r.t, paysync.WayManual, p.Before, p.After)
		adj.Operator, adj.Reason = req.Operator, req.Reason
		p.Adjust = &adj
		e.Adjusts = []paysync.AdjustRecord{adj}
		var payAfter paysync.PayOrder
		if r.settle != nil {
			payChange, p.Pay, payAfter = r.settle(p.Before, p.After, c.now)
		}
		if et, ok := r.event(p.Before, p.After); ok {
			ev, err := s.event(c, et, r.t, r.payload("", req.Operator, req.Reason))
			if err != nil {
				return p, err
			}
			e.Events = append(e.Events, ev)
		}
		if p.Pay != nil && len(p.Pay.Anomalies) > 0 {
			seen := seenOn(trade{tt: paysync.TradePay, no: p.Pay.OrderNo}, p.Pay.Anomalies)
			sightings, opened, err := s.sight(ctx, c, seen)
			if err != nil {
				return p, err
			}
			e.Sightings = sightings
			for _, x := range opened {
				p.Warnings = append(p.Warnings, "the pay order's refunds and reservations will exceed its amount (over_refunded)")
				pp := paysync.NewPayPayload(payAfter)
				pp.Anomaly, pp.Operator, pp.RepairReason = x.code, req.Operator, req.Reason
				ev, err := s.event(c, paysync.EventPayAnomaly, payTrade(&payAfter), pp)
				if err != nil {
					return p, err
				}
				e.Events = append(e.Events, ev)
			}
		}
	}
	for _, code := range req.Resolve {
		e.Resolutions = append(e.Resolutions, repository.AnomalyResolution{TradeType: r.t.tt, TradeNo: r.t.no, Code: code,
			At: c.now, By: req.Operator, Note: req.Reason})
		ev, err := s.event(c, paysync.EventAnomalyResolved, r.t, r.payload(code, req.Operator, req.Reason))
		if err != nil {
			return p, err
		}
		e.Events = append(e.Events, ev)
		p.Resolved = append(p.Resolved, code)
	}
	p.Events = e.Events
	if req.DryRun {
		return p, nil
	}
	// A caller gone while the channel was asked confirms nothing.
	if err := paysync.ContextError(ctx, c.op); err != nil {
		return p, err
	}
	if req.To != "" {
		if err := r.before(ctx, req.To); err != nil { // a close at the channel comes first
			return p, err
		}
		err = r.commit(storeCtx(ctx), payChange, e)
	} else {
		err = s.store.SaveEntries(storeCtx(ctx), e)
	}
	switch {
	case errors.Is(err, paysync.ErrVersionConflict):
		// Another host moved the order, or an anomaly, between our read
		// and our commit: what the person saw is gone. Nothing is retried.
		return p, paysync.Ef(c.op, paysync.ErrVersionConflict, "the order changed while the repair was made; preview it again", err)
	case err != nil:
		return p, storeError(c.op, err)
	}
	p.Applied = true
	return p, nil
}

// repairTarget is one order as a repair sees it, whatever its kind.
type repairTarget struct {
	t       trade
	status  string
	version int64
	// move asks the kind's manual machine whether the order may go to to.
	move func(ctx context.Context, to string) error
	// refuse returns the kind's own refusal of a move the table allows.
	refuse func(ctx context.Context, to string) error
	// apply moves the order held to to, with the times the move sets.
	apply func(to string, now time.Time)
	// event is the status event of a move, when the kind has one.
	event func(from, to string) (paysync.EventType, bool)
	// payload is the body of an event about the order as apply left it.
	payload func(code paysync.AnomalyCode, operator, reason string) any
	// settle is set for refunds: the pay order's change for a move, and the
	// pay order after it.
	settle func(from, to string, now time.Time) (*repository.PayRefundChange, *PayRefundMove, paysync.PayOrder)
	// ask asks the channel about the order, writing nothing.
	ask func(ctx context.Context) ChannelView
	// warn says what the channel's answer means for a move to to.
	warn func(ch ChannelView, to string) []string
	// before runs what must happen at the channel before the commit.
	before func(ctx context.Context, to string) error
	commit func(ctx context.Context, pay *repository.PayRefundChange, e repository.Entries) error
}
