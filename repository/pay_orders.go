package repository

import (
	"context"

	"github.com/paysync/paysync"
)

// PayOrders stores pay orders.
type PayOrders interface {
	// CreatePayOrder stores a new order with Version 1 (the given Version is
	// ignored). It returns an error wrapping paysync.ErrDuplicate when the
	// OrderNo or the BizOrderNo is taken, and paysync.ErrInvalidRequest when
	// OrderNo or BizOrderNo is empty, Status is not a known PayStatus,
	// RefundStatus is neither empty nor a known PayRefundStatus, or CreatedAt
	// is zero (a store never guesses when an order was made: the schedule
	// ages orders from it); in each case nothing is stored. The lease fields
	// are ignored. An order that o.Scheduled() and not Exhausted is in the
	// schedule; a zero Schedule.NextSyncAt is stored as CreatedAt.
	CreatePayOrder(ctx context.Context, o paysync.PayOrder) error

	// GetPayOrder returns the order with system number orderNo, or an error
	// wrapping paysync.ErrOrderNotFound.
	GetPayOrder(ctx context.Context, orderNo string) (paysync.PayOrder, error)

	// GetPayOrderByBizNo returns the order with merchant number bizOrderNo,
	// or an error wrapping paysync.ErrOrderNotFound.
	GetPayOrderByBizNo(ctx context.Context, bizOrderNo string) (paysync.PayOrder, error)

	// CommitPayOrder stores o as the order's new state together with e, all
	// or nothing. o.Version must be the version the caller read: the stored
	// order then gets o.Version+1. It returns an error wrapping
	// paysync.ErrVersionConflict when the stored version differs or a
	// sighting or resolution in e disagrees with the stored anomaly (see
	// AnomalySighting), paysync.ErrOrderNotFound when there is no such
	// order, paysync.ErrDuplicate when a record or event id or an adjust
	// number is taken, and paysync.ErrInvalidRequest for an unknown status;
	// in each case nothing is stored. OrderNo and BizOrderNo cannot change
	// (the stored BizOrderNo is kept), nor can CreatedAt. Every other field
	// is written, RefundedAmount and ReservedAmount included. The lease
	// fields are never written by a commit. Schedule: an order that no longer
	// o.Scheduled(), or is Exhausted, leaves the schedule (NextSyncAt
	// cleared, lease dropped); a zero NextSyncAt on an order in the schedule
	// is stored as o.UpdatedAt.
	CommitPayOrder(ctx context.Context, o paysync.PayOrder, e Entries) error

	// ClaimPayOrders leases up to c.Limit orders that are in the schedule,
	// due (NextSyncAt <= c.Now) and not leased at c.Now (LeaseOwner empty or
	// LeaseUntil <= c.Now, whoever the owner), to c.Owner until c.Until, and
	// returns them with the lease set, in due order (NextSyncAt, then
	// OrderNo). A claim does not change Version. It returns an empty slice
	// when nothing is due, and an error wrapping paysync.ErrInvalidRequest
	// when Owner is empty, Limit < 1 or Until is not after Now. Its cost grows
	// with Limit, not with the number of orders stored.
	ClaimPayOrders(ctx context.Context, c Claim) ([]paysync.PayOrder, error)

	// ReleasePayOrders drops owner's leases on orderNos. An order that is
	// missing, or leased to someone else, or not leased, is passed over
	// without error.
	ReleasePayOrders(ctx context.Context, owner string, orderNos ...string) error
}
