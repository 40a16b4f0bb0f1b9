package syncer

import (
	"context"
	"errors"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
)

// NewRefund is a refund a host is about to send to the channel.
type NewRefund struct {
	// RefundNo is the number the host sends to the channel (WeChat
	// out_refund_no, Alipay out_request_no); BizRefundNo the merchant's.
	RefundNo    string
	BizRefundNo string
	OrderNo     string // the paid order to refund
	Amount      decimal.Decimal
	Reason      string
}

// CreateRefund records a refund the host is about to send to the channel,
// and reserves its amount on the pay order (docs/refund-sync.md, creating a
// refund): one commit stores the refund in progress, the pay order's
// ReservedAmount and RefundStatus, and one refund.created event. Channel
// and Currency come from the pay order. Several refunds of one pay order may
// be in flight at once.
//
// An identical retry — the same RefundNo, BizRefundNo, OrderNo and Amount
// (Reason is not compared) — returns the stored refund and writes nothing,
// whatever happened to it since. Otherwise it refuses, writing nothing:
// paysync.ErrDuplicate when RefundNo or BizRefundNo is taken by another
// refund; ErrInvalidRequest when a number is empty or the amount is not
// positive or finer than the currency's minor unit; ErrOrderNotFound when the
// pay order does not exist; ErrInvalidTransition when it is not success;
// ErrOpenAnomaly while it has an open refund_at_channel anomaly (money went
// back at the channel that only a person can place); ErrInsufficientBalance
// when the amount exceeds its RefundableBalance. It also returns
// ErrSyncInProgress when the pay order's lock stayed held past
// Config.LockWait, ErrCanceled when ctx ended, ErrVersionConflict when other
// writers kept winning past Config.ConflictRetries (the balance is checked
// again on every try), ErrInternal when the store failed.
func (s *Syncer) CreateRefund(ctx context.Context, req NewRefund) (paysync.RefundOrder, error) {
	c := call{op: "syncer.CreateRefund", src: paysync.SourceAPI}
	if r, done, err := s.retriedRefund(ctx, c.op, req); done {
		return r, err
	}
	switch {
	case req.RefundNo == "", req.BizRefundNo == "", req.OrderNo == "":
		return paysync.RefundOrder{}, paysync.Ef(c.op, paysync.ErrInvalidRequest, "refundNo, bizRefundNo and orderNo are required", nil)
	case !req.Amount.IsPositive():
		return paysync.RefundOrder{}, paysync.Ef(c.op, paysync.ErrInvalidRequest, "refund amount must be positive", nil)
	}
	release, _, err := s.lock(ctx, c.op, s.payLocks, req.OrderNo)
	if err != nil {
		return paysync.RefundOrder{}, err
	}
	defer release()
	for attempt := 0; ; attempt++ {
		pay, err := s.store.GetPayOrder(ctx, req.OrderNo)
		if err != nil {
			return paysync.RefundOrder{}, readError(c.op, err, paysync.ErrOrderNotFound)
		}
		if err := s.refundable(ctx, c.op, pay, req.Amount); err != nil {
			return paysync.RefundOrder{}, err
		}
		c.answered(s)
		r := paysync.RefundOrder{RefundNo: req.RefundNo, BizRefundNo: req.BizRefundNo, OrderNo: pay.OrderNo,
			Channel: pay.Channel, Amount: req.Amount, Currency: pay.CurrencyOrDefault(), Reason: req.Reason,
			Status: paysync.RefundProgress, CreatedAt: c.now, UpdatedAt: c.now}
		r.Schedule.NextSyncAt = s.cfg.Timetables.Refund.First(r.CreatedAt, r.CreatedAt.Add(-1))
		change, after, _ := settleRefund(pay, r.Amount, "", pProgress, c.now)
		ev, err := s.event(&c, paysync.EventRefundCreated, refundTrade(&r), paysync.NewRefundPayload(r, after))
		if err != nil {
			return paysync.RefundOrder{}, err
		}
		err = s.store.CreateRefundOrder(ctx, r, *change, repository.Entries{Events: []paysync.Event{ev}})
		switch {
		case err == nil:
			r.Version = 1
			return r, nil
		case errors.Is(err, paysync.ErrDuplicate):
			// Another call stored one of these numbers meanwhile: an
			// identical retry that won the race is still this refund.
			if r, done, rerr := s.retriedRefund(ctx, c.op, req); done {
				return r, rerr
			}
			return paysync.RefundOrder{}, paysync.E(c.op, paysync.ErrDuplicate, err)
		case !errors.Is(err, paysync.ErrVersionConflict):
			return paysync.RefundOrder{}, storeError(c.op, err)
		case attempt >= s.cfg.ConflictRetries:
			return paysync.RefundOrder{}, paysync.E(c.op, paysync.ErrVersionConflict, err)
		}
		// The pay order moved on (another refund, a sync): check its
		// balance again and retry.
	}
}

// retriedRefund recognises a call that repeats one already stored: done is
// true with the stored refund when req names it exactly, and with
// ErrDuplicate when one of req's numbers belongs to another refund.
func (s *Syncer) retriedRefund(ctx context.Context, op string, req NewRefund) (paysync.RefundOrder, bool, error) {
	same := func(r paysync.RefundOrder) bool {
		return r.RefundNo == req.RefundNo && r.BizRefundNo == req.BizRefundNo && r.OrderNo == req.OrderNo &&
			r.Amount.Equal(req.Amount)
	}
	for _, look := range []struct {
		no  string
		get func(context.Context, string) (paysync.RefundOrder, error)
	}{{req.RefundNo, s.store.GetRefundOrder}, {req.BizRefundNo, s.store.GetRefundOrderByBizNo}} {
		if look.no == "" {
			continue
		}
		r, err := look.get(ctx, look.no)
		switch {
		case errors.Is(err, paysync.ErrRefundNotFound):
			continue
		case err != nil:
			return paysync.RefundOrder{}, true, storeError(op, err)
		case same(r):
			return r, true, nil
		}
		return paysync.RefundOrder{}, true, paysync.Ef(op, paysync.ErrDuplicate,
			"refund number "+look.no+" belongs to refund "+r.RefundNo+" of order "+r.OrderNo, nil)
	}
	return paysync.RefundOrder{}, false, nil
}

// refundable returns nil when pay may be refunded amount now, and the error
// CreateRefund refuses with otherwise.
func (s *Syncer) refundable(ctx context.Context, op string, pay paysync.PayOrder, amount decimal.Decimal) error {
	cur := pay.CurrencyOrDefault()
	if !paysync.FitsMinorUnit(amount, cur) {
		return paysync.Ef(op, paysync.ErrInvalidRequest, "refund amount "+amount.String()+" is finer than "+cur+" allows", nil)
	}
	if pay.Status != paysync.PaySuccess {
		return paysync.Ef(op, paysync.ErrInvalidTransition, "pay order "+pay.OrderNo+" is "+string(pay.Status)+", not success", nil)
	}
	as, err := s.store.OrderAnomalies(ctx, paysync.TradePay, pay.OrderNo)
	if err != nil {
		return storeError(op, err)
	}
	for _, a := range as {
		if a.Code == paysync.AnomalyRefundAtChannel && a.Open() {
			return paysync.Ef(op, paysync.ErrOpenAnomaly, "pay order "+pay.OrderNo+" has an open refund_at_channel anomaly", nil)
		}
	}
	if amount.GreaterThan(pay.RefundableBalance()) {
		return paysync.E(op, paysync.ErrInsufficientBalance, nil)
	}
	return nil
}
