package syncer

import (
	"context"
	"errors"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// SyncPay asks the channel what became of one pay order and repairs the
// local order per DESIGN §6 (POST /unipay/sync/pay).
//
// It returns the result and nil when the channel answered, whether or not
// anything changed. Errors: paysync.ErrInvalidRequest when both numbers are
// empty or Source is unknown; ErrOrderNotFound when no order has the number;
// ErrOrderNotStarted for a wait order with no channel; ErrUnknownChannel when
// the order's channel is not registered; ErrSyncInProgress when another sync
// of the order held it past Config.LockWait; ErrChannelUnavailable (wrapping
// the channel's error) when the channel could not answer or close — the order
// is unchanged and the SyncRecord says why; ErrVersionConflict when other
// writers kept winning past Config.ConflictRetries. A ctx that ends before the
// channel answered changes and writes nothing.
func (s *Syncer) SyncPay(ctx context.Context, req PayRequest) (PayOutcome, error) {
	const op = "syncer.SyncPay"
	src, err := s.sourceOf(req.Source, paysync.SourceAPI, op)
	if err != nil {
		return PayOutcome{}, err
	}
	o, err := s.findPay(ctx, op, req.OrderNo, req.BizOrderNo)
	if err != nil {
		return PayOutcome{}, err
	}
	return s.syncPay(ctx, op, o, nil, src, req.ClientIP)
}

// ApplyPayNotification applies a channel callback the host has verified and
// parsed: the report goes through the same lock, table and commit as a sync,
// so a duplicate or late callback is a no-op with no second event. Errors are
// those of SyncPay; the channel is called only when the table asks to close
// an expired trade.
func (s *Syncer) ApplyPayNotification(ctx context.Context, orderNo string, rep channel.PayReport, src paysync.Source) (PayOutcome, error) {
	const op = "syncer.ApplyPayNotification"
	src, err := s.sourceOf(src, paysync.SourceCallback, op)
	if err != nil {
		return PayOutcome{}, err
	}
	if !rep.State.Valid() {
		return PayOutcome{}, paysync.Ef(op, paysync.ErrInvalidRequest, "unknown channel state "+string(rep.State), nil)
	}
	o, err := s.findPay(ctx, op, orderNo, "")
	if err != nil {
		return PayOutcome{}, err
	}
	return s.syncPay(ctx, op, o, &rep, src, "")
}

func (s *Syncer) findPay(ctx context.Context, op, orderNo, bizNo string) (paysync.PayOrder, error) {
	var (
		o   paysync.PayOrder
		err error
	)
	switch {
	case orderNo != "":
		o, err = s.store.GetPayOrder(ctx, orderNo)
	case bizNo != "":
		o, err = s.store.GetPayOrderByBizNo(ctx, bizNo)
	default:
		return o, paysync.Ef(op, paysync.ErrInvalidRequest, "orderNo or bizOrderNo is required", nil)
	}
	if errors.Is(err, paysync.ErrOrderNotFound) {
		return o, paysync.E(op, paysync.ErrOrderNotFound, nil)
	}
	if err != nil {
		return o, paysync.E(op, paysync.ErrInternal, err)
	}
	if o.Status == paysync.PayWait && o.Channel == "" {
		return o, paysync.E(op, paysync.ErrOrderNotStarted, nil)
	}
	return o, nil
}

// syncPay runs one sync of o under its lock. With given == nil it queries
// the channel; otherwise given is the callback's report.
func (s *Syncer) syncPay(ctx context.Context, op string, o paysync.PayOrder, given *channel.PayReport, src paysync.Source, clientIP string) (PayOutcome, error) {
	res := PayOutcome{OrderStatus: o.Status}
	ch, err := s.channels.Lookup(o.Channel)
	if err != nil {
		return res, paysync.E(op, paysync.ErrUnknownChannel, err)
	}
	held, waited := s.payLocks.acquire(ctx, o.OrderNo, s.cfg.LockWait)
	if !held {
		return res, paysync.E(op, paysync.ErrSyncInProgress, ctx.Err())
	}
	defer s.payLocks.release(o.OrderNo)
	if waited { // the sync we waited for has likely moved the order on
		if o, err = s.store.GetPayOrder(ctx, o.OrderNo); err != nil {
			return res, paysync.E(op, paysync.ErrInternal, err)
		}
	}

	var a payAnswer
	if given != nil {
		a.rep = *given
	} else if a.rep, err = s.queryPay(ctx, ch, o); err != nil {
		if ctx.Err() != nil { // no answer in hand: nothing is written
			return res, paysync.E(op, paysync.ErrChannelUnavailable, err)
		}
		return s.payFailed(ctx, op, o, src, clientIP, &a, err)
	}
	if !a.rep.State.Valid() {
		err := errors.New("channel answered unknown state " + string(a.rep.State))
		return s.payFailed(ctx, op, o, src, clientIP, &a, err)
	}

	now := s.clock()
	for attempt := 0; ; attempt++ {
		d := decidePay(&o, &a, now)
		for d.needClose {
			if err := s.closeAtChannel(ctx, ch, o, &a); err != nil {
				return s.payFailed(ctx, op, o, src, clientIP, &a, err)
			}
			d = decidePay(&o, &a, now)
		}
		res, err = s.writePay(ctx, o, &a, &d, now, src, clientIP)
		if !errors.Is(err, paysync.ErrVersionConflict) {
			if err != nil {
				return res, paysync.E(op, paysync.ErrInternal, err)
			}
			return res, nil
		}
		if attempt >= s.cfg.ConflictRetries {
			break
		}
		// Another writer won: decide again on what it left, same answer.
		if o, err = s.store.GetPayOrder(storeCtx(ctx), o.OrderNo); err != nil {
			return res, paysync.E(op, paysync.ErrInternal, err)
		}
	}
	return s.payFailed(ctx, op, o, src, clientIP, &a, paysync.E(op, paysync.ErrVersionConflict, nil))
}

// closeAtChannel closes o's trade at the channel and records the outcome in
// a (DESIGN §4's ClosePay contract). It returns an error only when the
// outcome is unknown.
func (s *Syncer) closeAtChannel(ctx context.Context, ch channel.Channel, o paysync.PayOrder, a *payAnswer) error {
	closer, ok := ch.(channel.PayCloser)
	if !ok {
		a.closeUnsupported = true
		return nil
	}
	a.closeTried = true
	if err := s.limits.wait(ctx, o.Channel); err != nil {
		return err
	}
	err := closer.ClosePay(ctx, o)
	switch {
	case err == nil, errors.Is(err, channel.ErrTradeNotExist):
		a.closed = true
		return nil
	case errors.Is(err, channel.ErrAlreadyPaid):
		// Paid while we were deciding: what the channel says now wins.
		rep, qerr := s.queryPay(ctx, ch, o)
		if qerr != nil {
			return qerr
		}
		if !rep.State.Valid() {
			return errors.New("channel answered unknown state " + string(rep.State))
		}
		a.rep = rep
		return nil
	}
	return err
}

// queryPay asks the channel within this Syncer's rate limit for it.
func (s *Syncer) queryPay(ctx context.Context, ch channel.Channel, o paysync.PayOrder) (channel.PayReport, error) {
	if err := s.limits.wait(ctx, o.Channel); err != nil {
		return channel.PayReport{}, err
	}
	return ch.QueryPay(ctx, o)
}
