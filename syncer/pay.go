package syncer

import (
	"context"
	"errors"
	"slices"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/channel"
)

// SyncPay asks the channel what became of one pay order and repairs the
// local order per docs/pay-sync.md (POST /unipay/sync/pay).
//
// It returns the outcome and nil when the channel answered, whether or not
// anything changed. Errors: paysync.ErrInvalidRequest when both numbers are
// empty or Source is unknown; ErrOrderNotFound (支付订单不存在) when no order
// has the number; ErrOrderNotStarted for a wait order with no channel;
// ErrUnknownChannel when the order's channel is not registered;
// ErrSyncInProgress when another sync of the order held it past
// Config.LockWait; ErrCanceled when ctx ended before the channel answered
// (nothing is written then); ErrChannelUnavailable (wrapping the channel's
// error) when the channel could not answer or close — the order is
// unchanged and the SyncRecord says why; ErrVersionConflict when other
// writers kept winning past Config.ConflictRetries; ErrInternal when the
// store failed.
func (s *Syncer) SyncPay(ctx context.Context, req PayRequest) (PayOutcome, error) {
	c := call{op: "syncer.SyncPay", clientIP: req.ClientIP}
	var err error
	if c.src, err = sourceOf(c.op, req.Source, paysync.SourceAPI); err != nil {
		return PayOutcome{}, err
	}
	o, err := s.findPay(ctx, c.op, req.OrderNo, req.BizOrderNo)
	if err != nil {
		return PayOutcome{OrderStatus: o.Status}, err
	}
	return s.syncPay(ctx, c, o, nil)
}

// ApplyPayNotification applies a channel callback the host has verified and
// parsed: the report goes through the same lock, table and commit as a sync,
// so a duplicate or late callback is a no-op with no second event. Errors are
// those of SyncPay. The channel is called only when the table asks to close
// an expired trade, or to confirm a report that would deny a paid order or
// its refunds (a late callback): its answer then decides.
func (s *Syncer) ApplyPayNotification(ctx context.Context, orderNo string, rep channel.PayReport, src paysync.Source) (PayOutcome, error) {
	c := call{op: "syncer.ApplyPayNotification"}
	var err error
	if c.src, err = sourceOf(c.op, src, paysync.SourceCallback); err != nil {
		return PayOutcome{}, err
	}
	if !rep.State.Valid() {
		return PayOutcome{}, paysync.Ef(c.op, paysync.ErrInvalidRequest, "unknown channel state "+string(rep.State), nil)
	}
	o, err := s.findPay(ctx, c.op, orderNo, "")
	if err != nil {
		return PayOutcome{OrderStatus: o.Status}, err
	}
	return s.syncPay(ctx, c, o, &rep)
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
	if err != nil {
		return paysync.PayOrder{}, readError(op, err, paysync.ErrOrderNotFound)
	}
	if o.Status == paysync.PayWait && o.Channel == "" {
		return o, paysync.E(op, paysync.ErrOrderNotStarted, nil)
	}
	return o, nil
}

func payTrade(o *paysync.PayOrder) trade {
	return trade{tt: paysync.TradePay, no: o.OrderNo, bizNo: o.BizOrderNo, outNo: o.OutOrderNo, channel: o.Channel}
}

// syncPay runs one sync of o under its lock. With given == nil it queries
// the channel; otherwise given is the callback's report.
func (s *Syncer) syncPay(ctx context.Context, c call, o paysync.PayOrder, given *channel.PayReport) (PayOutcome, error) {
	ch, err := s.channels.Lookup(o.Channel)
	if err != nil {
		return PayOutcome{OrderStatus: o.Status}, paysync.E(c.op, paysync.ErrUnknownChannel, err)
	}
	release, waited, err := s.lock(ctx, c.op, s.payLocks, o.OrderNo)
	if err != nil {
		return PayOutcome{OrderStatus: o.Status}, err
	}
	defer release()
	if waited { // the sync we waited for has likely moved the order on
		if o, err = s.rereadPay(ctx, c.op, o); err != nil {
			return PayOutcome{OrderStatus: o.Status}, err
		}
	}

	var a payAnswer
	if given != nil {
		a.rep = *given
		// A late callback must not deny what the order became since: no
		// sweep clears an alarm on a paid order. The channel is asked once,
		// and its answer, when it gives one, decides instead; otherwise the
		// callback stands (docs/pay-sync.md#late-callbacks).
		if slices.ContainsFunc(decidePay(&o, &a, s.clock()).anomalies, isPayDenial) {
			if rep, err := s.queryPay(ctx, ch, o); err == nil {
				a.rep = rep
			}
		}
	} else if a.rep, err = s.queryPay(ctx, ch, o); err != nil {
		if noAnswer(ctx) { // no answer in hand: nothing is written
			return PayOutcome{OrderStatus: o.Status}, paysync.E(c.op, paysync.ErrCanceled, errors.Join(ctx.Err(), err))
		}
		return s.payFailed(ctx, &c, o, &a, err)
	}

	c.answered(s)
	answeredOn := [2]string{string(o.Status), string(o.RefundStatus)}
	for attempt := 0; ; attempt++ {
		d := decidePay(&o, &a, c.now)
		if now := [2]string{string(o.Status), string(o.RefundStatus)}; now != answeredOn {
			// Another writer moved the order after this answer was given:
			// the answer cannot deny what the order became since.
			d.anomalies = slices.DeleteFunc(d.anomalies, isPayDenial)
		}
		for d.needClose {
			if err := s.closeAtChannel(ctx, ch, o, &a); err != nil {
				out, ferr := s.payFailed(ctx, &c, o, &a, err) // the first answer is in hand: it is recorded
				if noAnswer(ctx) && !errors.Is(ferr, paysync.ErrInternal) {
					return out, paysync.E(c.op, paysync.ErrCanceled, errors.Join(ctx.Err(), err))
				}
				return out, ferr
			}
			d = decidePay(&o, &a, c.now)
		}
		out, err := s.writePay(ctx, &c, o, &a, &d)
		if !errors.Is(err, paysync.ErrVersionConflict) {
			return out, storeError(c.op, err)
		}
		if attempt >= s.cfg.ConflictRetries {
			break
		}
		// Another writer won: decide again on what it left, same answer.
		if o, err = s.rereadPay(storeCtx(ctx), c.op, o); err != nil {
			return PayOutcome{OrderStatus: o.Status}, err
		}
	}
	return s.payFailed(ctx, &c, o, &a, paysync.E(c.op, paysync.ErrVersionConflict, nil))
}

// isPayDenial reports whether code says the channel denies what the order
// is: a paid order or its refunds.
func isPayDenial(code paysync.AnomalyCode) bool {
	return code == paysync.AnomalyPaidNotPaidAtChannel || code == paysync.AnomalyRefundStatusConflict
}

// rereadPay reads o again; on an error it returns o as it was.
func (s *Syncer) rereadPay(ctx context.Context, op string, o paysync.PayOrder) (paysync.PayOrder, error) {
	fresh, err := s.store.GetPayOrder(ctx, o.OrderNo)
	if err != nil {
		return o, storeError(op, err)
	}
	return fresh, nil
}

// closeAtChannel closes o's trade at the channel and records the outcome in
// a (docs/channel.md, ClosePay). It returns an error only when the outcome
// is unknown.
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
		a.rep = rep
		return nil
	}
	return err
}

// queryPay asks the channel within this Syncer's rate limit for it. An
// answer in a state the engine does not know is an error (the outcome is
// unknown), returned with the report so that its record keeps what the
// channel said.
func (s *Syncer) queryPay(ctx context.Context, ch channel.Channel, o paysync.PayOrder) (channel.PayReport, error) {
	if err := s.limits.wait(ctx, o.Channel); err != nil {
		return channel.PayReport{}, err
	}
	rep, err := ch.QueryPay(ctx, o)
	if err == nil && !rep.State.Valid() {
		err = errors.New("channel answered unknown state " + string(rep.State))
	}
	return rep, err
}
