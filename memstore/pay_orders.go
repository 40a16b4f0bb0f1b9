package memstore

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

var payKind = kind[paysync.PayOrder]{
	notFound: paysync.ErrOrderNotFound,
	in:       payIn,
	summary: func(o paysync.PayOrder) repository.OrderSummary {
		return repository.OrderSummary{TradeType: paysync.TradePay, TradeNo: o.OrderNo, BizNo: o.BizOrderNo,
			OutNo: o.OutOrderNo, Channel: o.Channel, Amount: o.Amount, Currency: o.Currency,
			Status: string(o.Status), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version,
			Schedule: o.Schedule}
	},
	scheduled: (*paysync.PayOrder).Scheduled,
	schedule:  func(o *paysync.PayOrder) *paysync.Schedule { return &o.Schedule },
	version:   func(o *paysync.PayOrder) *int64 { return &o.Version },
	keep: func(o *paysync.PayOrder, stored paysync.PayOrder) {
		o.BizOrderNo, o.CreatedAt = stored.BizOrderNo, stored.CreatedAt
	},
	clone: func(o paysync.PayOrder) paysync.PayOrder { return o }, // it has no slices
}

// payIn returns o as the store keeps it, or ErrInvalidRequest for an unknown
// status or refund status.
func payIn(op string, o paysync.PayOrder) (paysync.PayOrder, error) {
	if !o.Status.Valid() {
		return o, invalid(op, "unknown pay status "+string(o.Status))
	}
	if o.RefundStatus != "" && !o.RefundStatus.Valid() {
		return o, invalid(op, "unknown refund status "+string(o.RefundStatus))
	}
	o.ExpiredAt, o.PaidAt, o.ClosedAt = utc(o.ExpiredAt), utc(o.PaidAt), utc(o.ClosedAt)
	o.CreatedAt, o.UpdatedAt = utc(o.CreatedAt), utc(o.UpdatedAt)
	return o, nil
}

// CreatePayOrder stores o with Version 1.
func (s *Store) CreatePayOrder(ctx context.Context, o paysync.PayOrder) error {
	return create(ctx, s, "memstore.CreatePayOrder", s.pays, o)
}

// LoadPayOrders creates orders as CreatePayOrder would each, all or nothing.
func (s *Store) LoadPayOrders(ctx context.Context, orders []paysync.PayOrder) error {
	const op = "memstore.LoadPayOrders"
	return s.update(ctx, op, func() error {
		fresh := make([]*entry[paysync.PayOrder], len(orders))
		nos, bizNos := make(map[string]bool, len(orders)), make(map[string]bool, len(orders))
		for i, o := range orders {
			e, err := s.pays.fresh(op, o)
			if err != nil {
				return err
			}
			if nos[o.OrderNo] || bizNos[o.BizOrderNo] {
				return paysync.Ef(op, paysync.ErrDuplicate, "orders repeat the numbers of "+o.OrderNo, nil)
			}
			nos[o.OrderNo], bizNos[o.BizOrderNo] = true, true
			fresh[i] = e
		}
		for _, e := range fresh {
			s.pays.insert(e)
		}
		return nil
	})
}

// GetPayOrder returns the order numbered orderNo.
func (s *Store) GetPayOrder(ctx context.Context, orderNo string) (paysync.PayOrder, error) {
	return get(ctx, s, "memstore.GetPayOrder", s.pays, s.pays.byNo, orderNo)
}

// GetPayOrderByBizNo returns the order with merchant number bizOrderNo.
func (s *Store) GetPayOrderByBizNo(ctx context.Context, bizOrderNo string) (paysync.PayOrder, error) {
	return get(ctx, s, "memstore.GetPayOrderByBizNo", s.pays, s.pays.byBiz, bizOrderNo)
}

// CommitPayOrder stores o as the order's next version with e, all or nothing.
func (s *Store) CommitPayOrder(ctx context.Context, o paysync.PayOrder, e repository.Entries) error {
	return commit(ctx, s, "memstore.CommitPayOrder", s.pays, o, e)
}

// ClaimPayOrders leases up to c.Limit due orders to c.Owner until c.Until.
func (s *Store) ClaimPayOrders(ctx context.Context, c repository.Claim) ([]paysync.PayOrder, error) {
	return claim(ctx, s, "memstore.ClaimPayOrders", s.pays, c)
}

// ReleasePayOrders drops owner's leases on orderNos.
func (s *Store) ReleasePayOrders(ctx context.Context, owner string, orderNos ...string) error {
	return release(ctx, s, "memstore.ReleasePayOrders", s.pays, owner, orderNos)
}
