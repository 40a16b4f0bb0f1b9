package main

import (
	"context"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// meteredStore is a repository.Store that tells m when the sweep claims pay
// orders, when it writes a sweep sync of one (a commit, or a SyncRecord saved
// alone) and when it releases their leases. Only writes that succeed finish
// an order. Every other method is the wrapped store's.
type meteredStore struct {
	repository.Store
	m *meter
}

var _ repository.Store = meteredStore{}

// ClaimPayOrders is the wrapped store's, timed and counted.
func (s meteredStore) ClaimPayOrders(ctx context.Context, c repository.Claim) ([]paysync.PayOrder, error) {
	s.m.claiming()
	orders, err := s.Store.ClaimPayOrders(ctx, c)
	s.m.claimedN(len(orders))
	return orders, err
}

// ReleasePayOrders is the wrapped store's; the leases it is asked to drop
// are counted as released when it succeeds.
func (s meteredStore) ReleasePayOrders(ctx context.Context, owner string, orderNos ...string) error {
	err := s.Store.ReleasePayOrders(ctx, owner, orderNos...)
	if err == nil {
		s.m.releasedN(len(orderNos))
	}
	return err
}

// CommitPayOrder is the wrapped store's; a sweep commit that succeeds
// finishes o.
func (s meteredStore) CommitPayOrder(ctx context.Context, o paysync.PayOrder, e repository.Entries) error {
	err := s.Store.CommitPayOrder(ctx, o, e)
	if err == nil && e.Sync.Source == paysync.SourceSweep {
		s.m.committed(o.OrderNo)
	}
	return err
}

// SaveEntries is the wrapped store's; a sweep record of a pay order that is
// saved alone finishes the order.
func (s meteredStore) SaveEntries(ctx context.Context, e repository.Entries) error {
	err := s.Store.SaveEntries(ctx, e)
	if r := e.Sync; err == nil && r.Source == paysync.SourceSweep && r.TradeType == paysync.TradePay {
		s.m.committed(r.TradeNo)
	}
	return err
}
