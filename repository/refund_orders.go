package repository

import (
	"context"

	"github.com/paysync/paysync"
)

// RefundOrders stores refund orders. A refund's amount is accounted on its
// pay order (RefundedAmount, ReservedAmount, RefundStatus), so a refund is
// created and committed together with its pay order's refund fields, in one
// atomic step over the two orders (docs/storage.md). The other contracts are
// those of PayOrders, with ErrRefundNotFound for a missing refund and the
// schedule decided by RefundOrder.Scheduled.
type RefundOrders interface {
	// CreateRefundOrder stores refund r with Version 1 and, in the same
	// atomic step, the reservation on its pay order: pay holds the pay
	// order's refund fields after it, with the pay order's Version the
	// caller read (pay.OrderNo must equal r.OrderNo), and e the entries
	// (the refund.created event). It is the only way to create a refund.
	// It returns an error wrapping paysync.ErrDuplicate when RefundNo or
	// BizRefundNo is taken; paysync.ErrOrderNotFound when the pay order does
	// not exist; paysync.ErrVersionConflict when the pay order's stored
	// Version differs from pay.Version; paysync.ErrInvalidRequest when a
	// number is empty, pay.OrderNo differs from r.OrderNo, Status is not a
	// known RefundOrderStatus, RefundStatus of pay is not known, or CreatedAt
	// is zero. In each case nothing of either order is stored.
	CreateRefundOrder(ctx context.Context, r paysync.RefundOrder, pay PayRefundChange, e Entries) error

	// GetRefundOrder returns the refund with system number refundNo, or an
	// error wrapping paysync.ErrRefundNotFound.
	GetRefundOrder(ctx context.Context, refundNo string) (paysync.RefundOrder, error)

	// GetRefundOrderByBizNo returns the refund with merchant number
	// bizRefundNo, or an error wrapping paysync.ErrRefundNotFound.
	GetRefundOrderByBizNo(ctx context.Context, bizRefundNo string) (paysync.RefundOrder, error)

	// ListRefundOrders returns the refunds of pay order orderNo in creation
	// order (CreatedAt, then RefundNo); an empty slice when there are none,
	// also when no such pay order exists.
	ListRefundOrders(ctx context.Context, orderNo string) ([]paysync.RefundOrder, error)

	// CommitRefundOrder stores r as the refund's new state (compare-and-swap
	// on r.Version, as CommitPayOrder) and, when pay is not nil, the pay
	// order's refund fields (compare-and-swap on pay.Version), together with
	// e — all of it or nothing. A nil pay leaves the pay order's row and
	// Version untouched: the engine passes it only when a refund field
	// changes. It returns an error wrapping paysync.ErrVersionConflict when
	// either order's stored Version differs or a sighting or resolution
	// disagrees with the stored anomaly; paysync.ErrRefundNotFound when there
	// is no such refund; paysync.ErrOrderNotFound when pay names a missing
	// pay order; paysync.ErrDuplicate when a record or event id or an adjust
	// number is taken; paysync.ErrInvalidRequest for an unknown status or a
	// pay.OrderNo other than r.OrderNo. RefundNo, BizRefundNo, OrderNo and
	// CreatedAt cannot change; the lease fields are never written.
	CommitRefundOrder(ctx context.Context, r paysync.RefundOrder, pay *PayRefundChange, e Entries) error

	// ClaimRefundOrders is ClaimPayOrders for refunds, in due order
	// (NextSyncAt, then RefundNo).
	ClaimRefundOrders(ctx context.Context, c Claim) ([]paysync.RefundOrder, error)

	// ReleaseRefundOrders is ReleasePayOrders for refunds.
	ReleaseRefundOrders(ctx context.Context, owner string, refundNos ...string) error
}
