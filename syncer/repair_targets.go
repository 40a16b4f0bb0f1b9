package syncer

import (
	"context"
	"errors"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
	"github.com/paysync/paysync/repository"
	"github.com/paysync/paysync/statemachine"
)

// repairable reads the order a repair is about, under its lock (a refund's
// and then its pay order's), and returns it as a repairTarget with the func
// that releases the locks.
func (s *Syncer) repairable(ctx context.Context, c *call, kind paysync.TradeType, no string) (*repairTarget, func(), error) {
	switch kind {
	case paysync.TradePay:
		return s.payTarget(ctx, c, no)
	case paysync.TradeAllocation:
		return s.allocTarget(ctx, c, no)
	case paysync.TradeRefund:
		return payoutTarget(ctx, s, c, s.refunds, no)
	default:
		return payoutTarget(ctx, s, c, s.transfers, no)
	}
}

// locked takes key in locks and returns the release.
func (s *Syncer) locked(ctx context.Context, c *call, locks *keyedLock, key string) (func(), error) {
	release, _, err := s.lock(ctx, c.op, locks, key)
	return release, err
}

func (s *Syncer) payTarget(ctx context.Context, c *call, no string) (*repairTarget, func(), error) {
	release, err := s.locked(ctx, c, s.payLocks, no)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.store.GetPayOrder(ctx, no)
	if err != nil {
		release()
		return nil, nil, readError(c.op, err, paysync.ErrOrderNotFound)
	}
	before := o
	// A trade sent to a channel and not paid stays open there until the
	// channel closes it: a person's move to close, cancel or fail must
	// close it there first, or the payer could still pay an order the sweep
	// no longer watches. A wait order never sent (no channel) has no trade.
	unpaid := (o.Status == paysync.PayWait || o.Status == paysync.PayProgress) && o.Channel != ""
	closing := func(to string) bool {
		switch paysync.PayStatus(to) {
		case paysync.PayClose, paysync.PayCancel, paysync.PayFail:
			return unpaid
		}
		return false
	}
	ch, chErr := s.channels.Lookup(o.Channel)
	r := &repairTarget{
		t: payTrade(&o), status: string(o.Status), version: o.Version,
		move: func(ctx context.Context, to string) error {
			ev, _ := statemachine.PayEventTo(paysync.PayStatus(to))
			_, _, err := statemachine.PayManual(ctx, o.Status, ev)
			return err
		},
		refuse: func(ctx context.Context, to string) error {
			if o.Status == paysync.PaySuccess && to == string(paysync.PayClose) {
				refunds, err := s.store.ListRefundOrders(ctx, o.OrderNo)
				if err != nil {
					return storeError(c.op, err)
				}
				allocs, err := s.store.ListAllocationOrders(ctx, o.OrderNo)
				if err != nil {
					return storeError(c.op, err)
				}
				if len(refunds) > 0 || len(allocs) > 0 {
					return paysync.Ef(c.op, paysync.ErrInvalidTransition,
						"a paid order with refunds or allocation orders cannot be closed: its money is accounted for there", nil)
				}
			}
			if closing(to) {
				if chErr != nil {
					return paysync.E(c.op, paysync.ErrUnknownChannel, chErr)
				}
				if _, ok := ch.(channel.PayCloser); !ok {
					return paysync.Ef(c.op, paysync.ErrUnsupported, "channel "+o.Channel+" cannot close trades: the order cannot be closed here while it may still be paid there", nil)
				}
			}
			return nil
		},
		apply: func(to string, now time.Time) {
			o.Status = paysync.PayStatus(to)
			switch o.Status {
			case paysync.PayClose:
				o.ClosedAt = now
			case paysync.PaySuccess:
				if o.PaidAt.IsZero() {
					o.PaidAt = now
				}
			}
			o.UpdatedAt = now
		},
		event: func(from, to string) (paysync.EventType, bool) {
			return payEventFor(paysync.PayStatus(from), paysync.PayStatus(to)), true
		},
		payload: func(code paysync.AnomalyCode, operator, reason string) any {
			p := paysync.NewPayPayload(o)
			p.Anomaly, p.Operator, p.RepairReason = code, operator, reason
			return p
		},
		ask: func(ctx context.Context) ChannelView {
			if o.Channel == "" {
				return ChannelView{} // never sent: there is nothing to ask
			}
			if chErr != nil {
				return ChannelView{Error: chErr.Error()}
			}
			rep, err := s.queryPay(ctx, ch, before)
			if err != nil {
				return ChannelView{Asked: true, Error: err.Error()}
			}
			return ChannelView{Asked: true, State: string(rep.State), Raw: rep.Raw}
		},
		warn: func(v ChannelView, to string) []string {
			var w []string
			paid := v.State == string(channel.PaySuccess) || v.State == string(channel.PayRefunded)
			switch {
			case !v.Asked || v.Error != "":
				w = append(w, "the channel could not be asked: decide on other evidence")
			case to != string(paysync.PaySuccess) && paid:
				w = append(w, "the channel says "+v.State+": money moved")
			case to == string(paysync.PaySuccess) && !paid:
				w = append(w, "the channel says "+v.State+", not paid")
			case v.State == string(channel.PayProgress):
				w = append(w, "the channel says progress: the payer may still pay")
			}
			if closing(to) {
				w = append(w, "the trade will be closed at the channel first")
			}
			if o.Channel == "" {
				w = w[:0] // never sent to a channel: nothing there to weigh
			}
			return w
		},
		before: func(ctx context.Context, to string) error {
			if !closing(to) {
				return nil
			}
			if err := s.limits.wait(ctx, o.Channel); err != nil {
				return paysync.E(c.op, paysync.ErrCanceled, err)
			}
			err := ch.(channel.PayCloser).ClosePay(ctx, before)
			switch {
			case err == nil, errors.Is(err, channel.ErrTradeNotExist):
				return nil
			case errors.Is(err, channel.ErrAlreadyPaid):
				return paysync.Ef(c.op, paysync.ErrInvalidTransition, "the channel refused the close: the trade is paid", err)
			case noAnswer(ctx):
				return paysync.E(c.op, paysync.ErrCanceled, errors.Join(ctx.Err(), err))
			}
			return paysync.E(c.op, paysync.ErrChannelUnavailable, err)
		},
		commit: func(ctx context.Context, _ *repository.PayRefundChange, e repository.Entries) error {
			return s.store.CommitPayOrder(ctx, o, e)
		},
	}
	return r, release, nil
}

func (s *Syncer) allocTarget(ctx context.Context, c *call, no string) (*repairTarget, func(), error) {
	release, err := s.locked(ctx, c, s.allocLocks, no)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.store.GetAllocationOrder(ctx, no)
	if err != nil {
		release()
		return nil, nil, readError(c.op, err, paysync.ErrAllocationNotFound)
	}
	before := o
	r := &repairTarget{
		t: allocTrade(&o), status: string(o.Status), version: o.Version,
		move: func(ctx context.Context, to string) error {
			ev, _ := statemachine.AllocationEventTo(paysync.AllocationStatus(to))
			_, _, err := statemachine.Allocation(ctx, o.Status, ev) // a person has no moves of their own here
			return err
		},
		refuse: func(context.Context, string) error { return nil },
		apply: func(to string, now time.Time) {
			o.Status = paysync.AllocationStatus(to)
			if o.Status == paysync.AllocEnd {
				o.FinishedAt = now
			}
			o.UpdatedAt = now
		},
		event: func(_, to string) (paysync.EventType, bool) {
			return allocEventFor(paysync.AllocationStatus(to))
		},
		payload: func(code paysync.AnomalyCode, operator, reason string) any {
			p := paysync.NewAllocationPayload(o, "")
			p.Anomaly, p.Operator, p.RepairReason = code, operator, reason
			return p
		},
		ask: func(ctx context.Context) ChannelView {
			ch, err := s.channels.Lookup(o.Channel)
			if err != nil {
				return ChannelView{Error: err.Error()}
			}
			q, ok := ch.(channel.AllocationQuerier)
			if !ok {
				return ChannelView{}
			}
			rep, err := s.queryAllocation(ctx, q, before)
			switch {
			case errors.Is(err, channel.ErrAllocationNotAtChannel):
				return ChannelView{Asked: true, State: "not_found"}
			case err != nil:
				return ChannelView{Asked: true, Error: err.Error()}
			}
			return ChannelView{Asked: true, State: "reported", Raw: rep.Raw}
		},
		warn: func(v ChannelView, _ string) []string {
			if !v.Asked || v.Error != "" {
				return []string{"the channel could not be asked: decide on other evidence"}
			}
			return nil
		},
		before: func(context.Context, string) error { return nil },
		commit: func(ctx context.Context, _ *repository.PayRefundChange, e repository.Entries) error {
			return s.store.CommitAllocationOrder(ctx, o, e)
		},
	}
	return r, release, nil
}

// payoutTarget is a refund or a transfer as a repair sees it.
func payoutTarget[O any](ctx context.Context, s *Syncer, c *call, k *payoutKind[O], no string) (*repairTarget, func(), error) {
	release, err := s.locked(ctx, c, k.locks, no)
	if err != nil {
		return nil, nil, err
	}
	o, err := k.get(ctx, no)
	if err != nil {
		release()
		return nil, nil, readError(c.op, err, k.notFound)
	}
	var pay paysync.PayOrder
	if k.onPay != nil {
		releasePay, err := s.locked(ctx, c, s.payLocks, k.onPay(o))
		if err != nil {
			release()
			return nil, nil, err
		}
		outer := release
		release = func() { releasePay(); outer() }
		if pay, err = s.store.GetPayOrder(ctx, k.onPay(o)); err != nil {
			release()
			return nil, nil, storeError(c.op, err)
		}
	}
	before := o
	p := k.read(&o)
	r := &repairTarget{
		t: p.trade, status: p.status, version: k.version(&o),
		move:   func(ctx context.Context, to string) error { return k.manual(ctx, p.status, to) },
		refuse: func(context.Context, string) error { return nil },
		apply: func(to string, now time.Time) {
			q := k.read(&o)
			q.status, q.watched, q.updatedAt = to, false, now
			switch to {
			case pSuccess, pClose, pFail:
				q.finishedAt = now
			case pProgress:
				q.finishedAt = time.Time{}
			}
			k.write(&o, q)
		},
		event: k.rules.event,
		payload: func(code paysync.AnomalyCode, operator, reason string) any {
			return k.payload(o, pay, eventNote{anomaly: code, operator: operator, reason: reason})
		},
		ask: func(ctx context.Context) ChannelView {
			ch, err := s.channels.Lookup(p.channel)
			if err != nil {
				return ChannelView{Error: err.Error()}
			}
			if !k.can(ch) {
				return ChannelView{}
			}
			rep, err := k.ask(ctx, s, ch, before)
			if err != nil {
				return ChannelView{Asked: true, Error: err.Error()}
			}
			return ChannelView{Asked: true, State: rep.State, Raw: rep.Raw}
		},
		warn: func(v ChannelView, to string) []string {
			switch {
			case !v.Asked || v.Error != "":
				return []string{"the channel could not be asked: decide on other evidence"}
			case to != pSuccess && v.State == cSuccess:
				return []string{"the channel says success: the money left"}
			case to == pSuccess && v.State != cSuccess:
				return []string{"the channel says " + v.State + ", not success"}
			case v.State == cProgress:
				return []string{"the channel says progress: the money may still move"}
			}
			return nil
		},
		before: func(context.Context, string) error { return nil },
		commit: func(ctx context.Context, change *repository.PayRefundChange, e repository.Entries) error {
			return k.commit(ctx, o, change, e)
		},
	}
	if k.onPay != nil {
		r.settle = func(from, to string, now time.Time) (*repository.PayRefundChange, *PayRefundMove, paysync.PayOrder) {
			change, after, anomalies := settleRefund(pay, p.amount, from, to, now)
			m := &PayRefundMove{OrderNo: pay.OrderNo, RefundedBefore: pay.RefundedAmount, RefundedAfter: after.RefundedAmount,
				ReservedBefore: pay.ReservedAmount, ReservedAfter: after.ReservedAmount, StatusBefore: pay.RefundStatus,
				StatusAfter: after.RefundStatus, BalanceBefore: pay.RefundableBalance(),
				BalanceAfter: after.RefundableBalance(), Anomalies: anomalies}
			pay = after
			return change, m, after
		}
	}
	return r, release, nil
}
