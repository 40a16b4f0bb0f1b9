package memstore

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

var transferKind = kind[paysync.TransferOrder]{
	notFound: paysync.ErrTransferNotFound,
	in:       transferIn,
	summary: func(o paysync.TransferOrder) repository.OrderSummary {
		return repository.OrderSummary{TradeType: paysync.TradeTransfer, TradeNo: o.TransferNo,
			BizNo: o.BizTransferNo, OutNo: o.OutTransferNo, Channel: o.Channel, Amount: o.Amount,
			Currency: o.Currency, Status: string(o.Status), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
			Version: o.Version, Schedule: o.Schedule}
	},
	scheduled: (*paysync.TransferOrder).Scheduled,
	schedule:  func(o *paysync.TransferOrder) *paysync.Schedule { return &o.Schedule },
	version:   func(o *paysync.TransferOrder) *int64 { return &o.Version },
	keep: func(o *paysync.TransferOrder, stored paysync.TransferOrder) {
		o.BizTransferNo, o.CreatedAt = stored.BizTransferNo, stored.CreatedAt
	},
	clone: func(o paysync.TransferOrder) paysync.TransferOrder { return o }, // it has no slices
}

// transferIn returns t as the store keeps it, or ErrInvalidRequest for an
// unknown status.
func transferIn(op string, t paysync.TransferOrder) (paysync.TransferOrder, error) {
	if !t.Status.Valid() {
		return t, invalid(op, "unknown transfer status "+string(t.Status))
	}
	t.FinishedAt, t.CreatedAt, t.UpdatedAt = utc(t.FinishedAt), utc(t.CreatedAt), utc(t.UpdatedAt)
	return t, nil
}

// CreateTransferOrder stores t with Version 1.
func (s *Store) CreateTransferOrder(ctx context.Context, t paysync.TransferOrder) error {
	return create(ctx, s, "memstore.CreateTransferOrder", s.transfers, t)
}

// GetTransferOrder returns the transfer numbered transferNo.
func (s *Store) GetTransferOrder(ctx context.Context, transferNo string) (paysync.TransferOrder, error) {
	return get(ctx, s, "memstore.GetTransferOrder", s.transfers, s.transfers.byNo, transferNo)
}

// GetTransferOrderByBizNo returns the transfer with merchant number
// bizTransferNo.
func (s *Store) GetTransferOrderByBizNo(ctx context.Context, bizTransferNo string) (paysync.TransferOrder, error) {
	return get(ctx, s, "memstore.GetTransferOrderByBizNo", s.transfers, s.transfers.byBiz, bizTransferNo)
}

// CommitTransferOrder stores t as the transfer's next version with e, all or
// nothing.
func (s *Store) CommitTransferOrder(ctx context.Context, t paysync.TransferOrder, e repository.Entries) error {
	return commit(ctx, s, "memstore.CommitTransferOrder", s.transfers, t, e)
}

// ClaimTransferOrders leases up to c.Limit due transfers to c.Owner until
// c.Until.
func (s *Store) ClaimTransferOrders(ctx context.Context, c repository.Claim) ([]paysync.TransferOrder, error) {
	return claim(ctx, s, "memstore.ClaimTransferOrders", s.transfers, c)
}

// ReleaseTransferOrders drops owner's leases on transferNos.
func (s *Store) ReleaseTransferOrders(ctx context.Context, owner string, transferNos ...string) error {
	return release(ctx, s, "memstore.ReleaseTransferOrders", s.transfers, owner, transferNos)
}
