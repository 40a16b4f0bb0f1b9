package repository

import (
	"context"

	"github.com/paysync/paysync"
)

// TransferOrders stores transfer (payout) orders. The contracts are those of
// PayOrders, with ErrTransferNotFound for a missing transfer and the schedule
// decided by TransferOrder.Scheduled.
type TransferOrders interface {
	// CreateTransferOrder stores a new transfer with Version 1. It returns an
	// error wrapping paysync.ErrDuplicate when TransferNo or BizTransferNo is
	// taken, paysync.ErrInvalidRequest when either is empty, Status is not a
	// known TransferStatus or CreatedAt is zero.
	CreateTransferOrder(ctx context.Context, t paysync.TransferOrder) error

	// GetTransferOrder returns the transfer with system number transferNo,
	// or an error wrapping paysync.ErrTransferNotFound.
	GetTransferOrder(ctx context.Context, transferNo string) (paysync.TransferOrder, error)

	// GetTransferOrderByBizNo returns the transfer with merchant number
	// bizTransferNo, or an error wrapping paysync.ErrTransferNotFound.
	GetTransferOrderByBizNo(ctx context.Context, bizTransferNo string) (paysync.TransferOrder, error)

	// CommitTransferOrder is CommitPayOrder for transfers.
	CommitTransferOrder(ctx context.Context, t paysync.TransferOrder, e Entries) error

	// ClaimTransferOrders is ClaimPayOrders for transfers, in due order
	// (NextSyncAt, then TransferNo).
	ClaimTransferOrders(ctx context.Context, c Claim) ([]paysync.TransferOrder, error)

	// ReleaseTransferOrders is ReleasePayOrders for transfers.
	ReleaseTransferOrders(ctx context.Context, owner string, transferNos ...string) error
}
