package memstore

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

var allocationKind = kind[paysync.AllocationOrder]{
	notFound: paysync.ErrAllocationNotFound,
	in:       allocationIn,
	summary: func(o paysync.AllocationOrder) repository.OrderSummary {
		return repository.OrderSummary{TradeType: paysync.TradeAllocation, TradeNo: o.AllocationNo,
			BizNo: o.BizAllocationNo, OutNo: o.OutAllocationNo, Channel: o.Channel, Amount: o.Amount,
			Currency: o.Currency, Status: string(o.Status), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
			Version: o.Version, Schedule: o.Schedule}
	},
	parent:    func(o *paysync.AllocationOrder) string { return o.OrderNo },
	scheduled: (*paysync.AllocationOrder).Scheduled,
	schedule:  func(o *paysync.AllocationOrder) *paysync.Schedule { return &o.Schedule },
	version:   func(o *paysync.AllocationOrder) *int64 { return &o.Version },
	keep: func(o *paysync.AllocationOrder, stored paysync.AllocationOrder) {
		o.BizAllocationNo, o.CreatedAt = stored.BizAllocationNo, stored.CreatedAt
	},
	clone: paysync.AllocationOrder.Clone,
}

// allocationIn returns a copy of o as the store keeps it, or
// ErrInvalidRequest for an unknown status, result or receiver result.
func allocationIn(op string, o paysync.AllocationOrder) (paysync.AllocationOrder, error) {
	if !o.Status.Valid() {
		return o, invalid(op, "unknown allocation status "+string(o.Status))
	}
	if o.Result != "" && !o.Result.Valid() {
		return o, invalid(op, "unknown allocation result "+string(o.Result))
	}
	o = o.Clone()
	for i := range o.Receivers {
		r := &o.Receivers[i]
		if !r.Result.Valid() {
			return o, invalid(op, "unknown receiver result "+string(r.Result))
		}
		r.FinishedAt = utc(r.FinishedAt)
	}
	o.FinishedAt, o.CreatedAt, o.UpdatedAt = utc(o.FinishedAt), utc(o.CreatedAt), utc(o.UpdatedAt)
	return o, nil
}

// CreateAllocationOrder stores o with Version 1.
func (s *Store) CreateAllocationOrder(ctx context.Context, o paysync.AllocationOrder) error {
	if o.Status == paysync.AllocProcessing && o.Result == "" {
		o.Result = paysync.AllocAllPending // its receivers decide the result when it ends
	}
	return create(ctx, s, "memstore.CreateAllocationOrder", s.allocations, o)
}

// GetAllocationOrder returns the order numbered allocationNo.
func (s *Store) GetAllocationOrder(ctx context.Context, allocationNo string) (paysync.AllocationOrder, error) {
	return get(ctx, s, "memstore.GetAllocationOrder", s.allocations, s.allocations.byNo, allocationNo)
}

// GetAllocationOrderByBizNo returns the order with merchant number
// bizAllocationNo.
func (s *Store) GetAllocationOrderByBizNo(ctx context.Context, bizAllocationNo string) (paysync.AllocationOrder, error) {
	return get(ctx, s, "memstore.GetAllocationOrderByBizNo", s.allocations, s.allocations.byBiz, bizAllocationNo)
}

// ListAllocationOrders returns pay order orderNo's allocation orders in
// creation order.
func (s *Store) ListAllocationOrders(ctx context.Context, orderNo string) ([]paysync.AllocationOrder, error) {
	return children(ctx, s, "memstore.ListAllocationOrders", s.allocations, orderNo)
}

// CommitAllocationOrder stores o as the order's next version with e, all or
// nothing.
func (s *Store) CommitAllocationOrder(ctx context.Context, o paysync.AllocationOrder, e repository.Entries) error {
	return commit(ctx, s, "memstore.CommitAllocationOrder", s.allocations, o, e)
}

// ClaimAllocationOrders leases up to c.Limit due orders to c.Owner until
// c.Until.
func (s *Store) ClaimAllocationOrders(ctx context.Context, c repository.Claim) ([]paysync.AllocationOrder, error) {
	return claim(ctx, s, "memstore.ClaimAllocationOrders", s.allocations, c)
}

// ReleaseAllocationOrders drops owner's leases on allocationNos.
func (s *Store) ReleaseAllocationOrders(ctx context.Context, owner string, allocationNos ...string) error {
	return release(ctx, s, "memstore.ReleaseAllocationOrders", s.allocations, owner, allocationNos)
}
