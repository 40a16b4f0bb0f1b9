package memstore

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

var refundKind = kind[paysync.RefundOrder]{
	notFound: paysync.ErrRefundNotFound,
	in:       refundIn,
	summary: func(o paysync.RefundOrder) repository.OrderSummary {
		return repository.OrderSummary{TradeType: paysync.TradeRefund, TradeNo: o.RefundNo, BizNo: o.BizRefundNo,
			OutNo: o.OutRefundNo, Channel: o.Channel, Amount: o.Amount, Currency: o.Currency,
			Status: string(o.Status), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version,
			Schedule: o.Schedule}
	},
	parent:    func(o *paysync.RefundOrder) string { return o.OrderNo },
	scheduled: (*paysync.RefundOrder).Scheduled,
	schedule:  func(o *paysync.RefundOrder) *paysync.Schedule { return &o.Schedule },
	version:   func(o *paysync.RefundOrder) *int64 { return &o.Version },
	keep: func(o *paysync.RefundOrder, stored paysync.RefundOrder) {
		o.BizRefundNo, o.OrderNo, o.CreatedAt = stored.BizRefundNo, stored.OrderNo, stored.CreatedAt
	},
	clone: func(o paysync.RefundOrder) paysync.RefundOrder { return o }, // it has no slices
}

// refundIn returns r as the store keeps it, or ErrInvalidRequest for an
// unknown status.
func refundIn(op string, r paysync.RefundOrder) (paysync.RefundOrder, error) {
	if !r.Status.Valid() {
		return r, invalid(op, "unknown refund status "+string(r.Status))
	}
	r.FinishedAt, r.CreatedAt, r.UpdatedAt = utc(r.FinishedAt), utc(r.CreatedAt), utc(r.UpdatedAt)
	return r, nil
}

// checkPay returns the pay order that pay changes for a refund of pay order
// orderNo. It returns ErrInvalidRequest for a change of another order or to
// an unknown refund status, ErrOrderNotFound or ErrVersionConflict.
func (s *Store) checkPay(op, orderNo string, pay repository.PayRefundChange) (*entry[paysync.PayOrder], error) {
	if pay.OrderNo != orderNo || orderNo == "" {
		return nil, invalid(op, "the pay order's change is not for the refund's pay order")
	}
	if !pay.RefundStatus.Valid() {
		return nil, invalid(op, "unknown pay refund status "+string(pay.RefundStatus))
	}
	return s.pays.check(op, pay.OrderNo, pay.Version)
}

// changePay writes c, checked, on pay order p: its refund fields, a new
// UpdatedAt and the next Version.
func (s *Store) changePay(p *entry[paysync.PayOrder], c repository.PayRefundChange) {
	s.pays.update(p, func() {
		o := &p.order
		o.RefundedAmount, o.ReservedAmount, o.RefundStatus = c.RefundedAmount, c.ReservedAmount, c.RefundStatus
		o.UpdatedAt = utc(c.UpdatedAt)
		o.Version++
	})
}

// CreateRefundOrder stores r with Version 1, the refund fields of its pay
// order and e, all or nothing.
func (s *Store) CreateRefundOrder(ctx context.Context, r paysync.RefundOrder, pay repository.PayRefundChange, e repository.Entries) error {
	const op = "memstore.CreateRefundOrder"
	return s.update(ctx, op, func() error {
		refund, err := s.refunds.fresh(op, r)
		if err != nil {
			return err
		}
		p, err := s.checkPay(op, refund.order.OrderNo, pay)
		if err != nil {
			return err
		}
		b, err := s.prepare(op, e)
		if err != nil {
			return err
		}
		s.refunds.insert(refund)
		s.changePay(p, pay)
		s.write(b)
		return nil
	})
}

// GetRefundOrder returns the refund numbered refundNo.
func (s *Store) GetRefundOrder(ctx context.Context, refundNo string) (paysync.RefundOrder, error) {
	return get(ctx, s, "memstore.GetRefundOrder", s.refunds, s.refunds.byNo, refundNo)
}

// GetRefundOrderByBizNo returns the refund with merchant number bizRefundNo.
func (s *Store) GetRefundOrderByBizNo(ctx context.Context, bizRefundNo string) (paysync.RefundOrder, error) {
	return get(ctx, s, "memstore.GetRefundOrderByBizNo", s.refunds, s.refunds.byBiz, bizRefundNo)
}

// ListRefundOrders returns pay order orderNo's refunds in creation order.
func (s *Store) ListRefundOrders(ctx context.Context, orderNo string) ([]paysync.RefundOrder, error) {
	return children(ctx, s, "memstore.ListRefundOrders", s.refunds, orderNo)
}

// CommitRefundOrder stores r as the refund's next version, the refund fields
// of its pay order when pay is not nil, and e, all or nothing.
func (s *Store) CommitRefundOrder(ctx context.Context, r paysync.RefundOrder, pay *repository.PayRefundChange, e repository.Entries) error {
	const op = "memstore.CommitRefundOrder"
	return s.update(ctx, op, func() error {
		r, err := s.refunds.in(op, r)
		if err != nil {
			return err
		}
		if pay != nil && pay.OrderNo != r.OrderNo {
			return invalid(op, "the pay order's change is not for the refund's pay order")
		}
		cur, err := s.refunds.check(op, r.RefundNo, r.Version)
		if err != nil {
			return err
		}
		var p *entry[paysync.PayOrder]
		if pay != nil { // against the stored refund's pay order: r.OrderNo cannot change
			if p, err = s.checkPay(op, cur.order.OrderNo, *pay); err != nil {
				return err
			}
		}
		b, err := s.prepare(op, e)
		if err != nil {
			return err
		}
		s.refunds.commit(cur, r)
		if p != nil {
			s.changePay(p, *pay)
		}
		s.write(b)
		return nil
	})
}

// ClaimRefundOrders leases up to c.Limit due refunds to c.Owner until c.Until.
func (s *Store) ClaimRefundOrders(ctx context.Context, c repository.Claim) ([]paysync.RefundOrder, error) {
	return claim(ctx, s, "memstore.ClaimRefundOrders", s.refunds, c)
}

// ReleaseRefundOrders drops owner's leases on refundNos.
func (s *Store) ReleaseRefundOrders(ctx context.Context, owner string, refundNos ...string) error {
	return release(ctx, s, "memstore.ReleaseRefundOrders", s.refunds, owner, refundNos)
}
