package memstore

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// CreatePayOrder stores a copy of o with Version 1 and no lease. An order
// that o.Scheduled() and is not Exhausted enters the schedule, due at
// NextSyncAt or, when that is zero, at CreatedAt. It returns an error
// wrapping paysync.ErrInvalidRequest when OrderNo or BizOrderNo is empty,
// paysync.ErrDuplicate when either is taken (nothing is stored), and an error
// wrapping ctx's error when ctx has ended.
func (s *Store) CreatePayOrder(ctx context.Context, o paysync.PayOrder) error {
	const op = "memstore.CreatePayOrder"
	if err := alive(ctx, op); err != nil {
		return err
	}
	if o.OrderNo == "" || o.BizOrderNo == "" {
		return paysync.Ef(op, paysync.ErrInvalidRequest, "order needs an OrderNo and a BizOrderNo", nil)
	}
	p, in := payIn(o, o.CreatedAt)
	p.Version = 1
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pays.add(op, p, in, s.adopt)
}

// GetPayOrder returns a copy of the order with system number orderNo. It
// returns an error wrapping paysync.ErrOrderNotFound when there is none, and
// an error wrapping ctx's error when ctx has ended.
func (s *Store) GetPayOrder(ctx context.Context, orderNo string) (paysync.PayOrder, error) {
	const op = "memstore.GetPayOrder"
	if err := alive(ctx, op); err != nil {
		return paysync.PayOrder{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, err := s.pays.lookup(op, orderNo)
	if err != nil {
		return paysync.PayOrder{}, err
	}
	return e.order.Clone(), nil
}

// GetPayOrderByBizNo returns a copy of the order with merchant number
// bizOrderNo. It returns an error wrapping paysync.ErrOrderNotFound when
// there is none, and an error wrapping ctx's error when ctx has ended.
func (s *Store) GetPayOrderByBizNo(ctx context.Context, bizOrderNo string) (paysync.PayOrder, error) {
	const op = "memstore.GetPayOrderByBizNo"
	if err := alive(ctx, op); err != nil {
		return paysync.PayOrder{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, err := s.pays.lookupBiz(op, bizOrderNo)
	if err != nil {
		return paysync.PayOrder{}, err
	}
	return e.order.Clone(), nil
}

// CommitPayOrder stores a copy of o as version o.Version+1 of the order, with
// e, all or nothing; e.Sync is stored unless its ID is zero. The stored
// BizOrderNo and lease are kept, except that an order leaving the schedule
// (no longer o.Scheduled(), or Exhausted) loses its NextSyncAt and lease; a
// zero NextSyncAt in the schedule becomes UpdatedAt. It returns an error
// wrapping paysync.ErrOrderNotFound when there is no such order,
// paysync.ErrVersionConflict when the stored version is not o.Version,
// paysync.ErrDuplicate when a record or event id is taken (in each case
// nothing is stored), and an error wrapping ctx's error when ctx has ended.
func (s *Store) CommitPayOrder(ctx context.Context, o paysync.PayOrder, e repository.Entries) error {
	const op = "memstore.CommitPayOrder"
	if err := alive(ctx, op); err != nil {
		return err
	}
	p, in := payIn(o, o.UpdatedAt)
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, err := s.pays.check(op, p.OrderNo, p.Version)
	if err != nil {
		return err
	}
	if err := s.log.check(op, &e); err != nil {
		return err
	}
	p.BizOrderNo = cur.order.BizOrderNo
	s.pays.replace(cur, &p, in)
	s.log.append(&e, s.commitTrade(p.OrderNo, cur.trade))
	return nil
}

// ClaimPayOrders leases up to c.Limit due orders to c.Owner until c.Until and
// returns copies of them, lease set, in due order (NextSyncAt, then OrderNo);
// an empty slice when none is due. Times are taken in UTC, truncated to
// microseconds. It returns an error wrapping paysync.ErrInvalidRequest when
// the claim is not valid, and an error wrapping ctx's error when ctx has
// ended.
func (s *Store) ClaimPayOrders(ctx context.Context, c repository.Claim) ([]paysync.PayOrder, error) {
	const op = "memstore.ClaimPayOrders"
	c, err := claimIn(ctx, op, c)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	claimed := s.pays.claim(c.Now, c.Until, c.Owner, c.Limit)
	out := make([]paysync.PayOrder, len(claimed))
	for i, e := range claimed {
		out[i] = e.order.Clone()
	}
	return out, nil
}

// ReleasePayOrders drops owner's leases on orderNos; orders missing, not
// leased or leased to someone else are passed over. It returns an error
// wrapping ctx's error when ctx has ended.
func (s *Store) ReleasePayOrders(ctx context.Context, owner string, orderNos ...string) error {
	const op = "memstore.ReleasePayOrders"
	if err := alive(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pays.release(owner, orderNos)
	return nil
}

// claimIn returns c with its times normalised, or an error when ctx has ended
// or c is not valid.
func claimIn(ctx context.Context, op string, c repository.Claim) (repository.Claim, error) {
	if err := alive(ctx, op); err != nil {
		return c, err
	}
	c.Now, c.Until = utc(c.Now), utc(c.Until)
	if err := c.Validate(); err != nil {
		return c, paysync.Ef(op, paysync.ErrInvalidRequest, "invalid claim", err)
	}
	return c, nil
}
