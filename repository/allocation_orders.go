package repository

import (
	"context"

	"github.com/paysync/paysync"
)

// AllocationOrders stores allocation orders with their receivers. The
// contracts are those of PayOrders, with ErrAllocationNotFound for a missing
// order and the schedule decided by AllocationOrder.Scheduled.
type AllocationOrders interface {
	// CreateAllocationOrder stores a new order with Version 1. It returns an
	// error wrapping paysync.ErrDuplicate when AllocationNo or BizAllocationNo
	// is taken, paysync.ErrInvalidRequest when either is empty, Status is not
	// a known AllocationStatus, Result is neither empty nor a known
	// AllocationResult, a receiver's Result is not a known ReceiverResult, or
	// CreatedAt is zero. An order created in allocation_processing with an
	// empty Result is stored with all_pending: its receivers decide the
	// result when it ends.
	CreateAllocationOrder(ctx context.Context, o paysync.AllocationOrder) error

	// GetAllocationOrder returns the order with system number allocationNo,
	// or an error wrapping paysync.ErrAllocationNotFound.
	GetAllocationOrder(ctx context.Context, allocationNo string) (paysync.AllocationOrder, error)

	// GetAllocationOrderByBizNo returns the order with merchant number
	// bizAllocationNo (looked up in its own column), or an error wrapping
	// paysync.ErrAllocationNotFound.
	GetAllocationOrderByBizNo(ctx context.Context, bizAllocationNo string) (paysync.AllocationOrder, error)

	// ListAllocationOrders returns the allocation orders of pay order
	// orderNo in creation order (CreatedAt, then AllocationNo); an empty
	// slice when there are none, also when no such pay order exists.
	ListAllocationOrders(ctx context.Context, orderNo string) ([]paysync.AllocationOrder, error)

	// CommitAllocationOrder is CommitPayOrder for allocation orders; the
	// receivers are stored whole, in the order given, and validated as on
	// create.
	CommitAllocationOrder(ctx context.Context, o paysync.AllocationOrder, e Entries) error

	// ClaimAllocationOrders is ClaimPayOrders for allocation orders, in due
	// order (NextSyncAt, then AllocationNo).
	ClaimAllocationOrders(ctx context.Context, c Claim) ([]paysync.AllocationOrder, error)

	// ReleaseAllocationOrders is ReleasePayOrders for allocation orders.
	ReleaseAllocationOrders(ctx context.Context, owner string, allocationNos ...string) error
}
