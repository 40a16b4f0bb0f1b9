package memstore

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// CreateAllocationOrder stores a copy of o with Version 1 and no lease. An
// order that o.Scheduled() and is not Exhausted enters the schedule, due at
// NextSyncAt or, when that is zero, at CreatedAt. It returns an error
// wrapping paysync.ErrInvalidRequest when AllocationNo or BizAllocationNo is
// empty, paysync.ErrDuplicate when either is taken (nothing is stored), and
// an error wrapping ctx's error when ctx has ended.
func (s *Store) CreateAllocationOrder(ctx context.Context, o paysync.AllocationOrder) error {
	const op = "memstore.CreateAllocationOrder"
	if err := alive(ctx, op); err != nil {
		return err
	}
	if o.AllocationNo == "" || o.BizAllocationNo == "" {
		return paysync.Ef(op, paysync.ErrInvalidRequest, "order needs an AllocationNo and a BizAllocationNo", nil)
	}
	p, in := allocationIn(o, o.CreatedAt)
	p.Version = 1
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.allocations.add(op, p, in, s.adopt)
}

// GetAllocationOrder returns a copy of the order with system number
// allocationNo. It returns an error wrapping paysync.ErrAllocationNotFound
// when there is none, and an error wrapping ctx's error when ctx has ended.
func (s *Store) GetAllocationOrder(ctx context.Context, allocationNo string) (paysync.AllocationOrder, error) {
	const op = "memstore.GetAllocationOrder"
	if err := alive(ctx, op); err != nil {
		return paysync.AllocationOrder{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, err := s.allocations.lookup(op, allocationNo)
	if err != nil {
		return paysync.AllocationOrder{}, err
	}
	return e.order.Clone(), nil
}

// GetAllocationOrderByBizNo returns a copy of the order with merchant number
// bizAllocationNo. It returns an error wrapping paysync.ErrAllocationNotFound
// when there is none, and an error wrapping ctx's error when ctx has ended.
func (s *Store) GetAllocationOrderByBizNo(ctx context.Context, bizAllocationNo string) (paysync.AllocationOrder, error) {
	const op = "memstore.GetAllocationOrderByBizNo"
	if err := alive(ctx, op); err != nil {
		return paysync.AllocationOrder{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, err := s.allocations.lookupBiz(op, bizAllocationNo)
	if err != nil {
		return paysync.AllocationOrder{}, err
	}
	return e.order.Clone(), nil
}

// CommitAllocationOrder stores a copy of o as version o.Version+1 of the
// order, with e, all or nothing; e.Sync is stored unless its ID is zero. The
// stored BizAllocationNo and lease are kept, except that an order leaving the
// schedule (no longer o.Scheduled(), or Exhausted) loses its NextSyncAt and
// lease; a zero NextSyncAt in the schedule becomes UpdatedAt. It returns an
// error wrapping paysync.ErrAllocationNotFound when there is no such order,
// paysync.ErrVersionConflict when the stored version is not o.Version,
// paysync.ErrDuplicate when a record or event id is taken (in each case
// nothing is stored), and an error wrapping ctx's error when ctx has ended.
func (s *Store) CommitAllocationOrder(ctx context.Context, o paysync.AllocationOrder, e repository.Entries) error {
	const op = "memstore.CommitAllocationOrder"
	if err := alive(ctx, op); err != nil {
		return err
	}
	p, in := allocationIn(o, o.UpdatedAt)
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, err := s.allocations.check(op, p.AllocationNo, p.Version)
	if err != nil {
		return err
	}
	if err := s.log.check(op, &e); err != nil {
		return err
	}
	p.BizAllocationNo = cur.order.BizAllocationNo
	s.allocations.replace(cur, &p, in)
	s.log.append(&e, s.commitTrade(p.AllocationNo, cur.trade))
	return nil
}

// ClaimAllocationOrders leases up to c.Limit due orders to c.Owner until
// c.Until and returns copies of them, lease set, in due order (NextSyncAt,
// then AllocationNo); an empty slice when none is due. Times are taken in
// UTC, truncated to microseconds. It returns an error wrapping
// paysync.ErrInvalidRequest when the claim is not valid, and an error
// wrapping ctx's error when ctx has ended.
func (s *Store) ClaimAllocationOrders(ctx context.Context, c repository.Claim) ([]paysync.AllocationOrder, error) {
	const op = "memstore.ClaimAllocationOrders"
	c, err := claimIn(ctx, op, c)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	claimed := s.allocations.claim(c.Now, c.Until, c.Owner, c.Limit)
	out := make([]paysync.AllocationOrder, len(claimed))
	for i, e := range claimed {
		out[i] = e.order.Clone()
	}
	return out, nil
}

// ReleaseAllocationOrders drops owner's leases on allocationNos; orders
// missing, not leased or leased to someone else are passed over. It returns
// an error wrapping ctx's error when ctx has ended.
func (s *Store) ReleaseAllocationOrders(ctx context.Context, owner string, allocationNos ...string) error {
	const op = "memstore.ReleaseAllocationOrders"
	if err := alive(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.allocations.release(owner, allocationNos)
	return nil
}
