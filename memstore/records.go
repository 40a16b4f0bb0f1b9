package memstore

import (
	"context"

	"github.com/google/uuid"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// SaveSyncRecord stores r alone. It returns an error wrapping
// paysync.ErrDuplicate when r.ID is taken, and an error wrapping ctx's error
// when ctx has ended.
func (s *Store) SaveSyncRecord(ctx context.Context, r paysync.SyncRecord) error {
	const op = "memstore.SaveSyncRecord"
	if err := alive(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.log.syncIDs.find(r.ID); ok {
		return paysync.Ef(op, paysync.ErrDuplicate, "sync record "+r.ID.String()+" exists", nil)
	}
	s.log.appendSync(&r, s.trade(r.TradeNo))
	return nil
}

// ListSyncRecords returns copies of the sync records that match f, in the
// order they were stored; an empty slice when none match. It returns an error
// wrapping paysync.ErrInvalidRequest when f.Limit is negative, and an error
// wrapping ctx's error when ctx has ended.
func (s *Store) ListSyncRecords(ctx context.Context, f repository.RecordFilter) ([]paysync.SyncRecord, error) {
	const op = "memstore.ListSyncRecords"
	if err := checkList(ctx, op, f.Limit); err != nil {
		return nil, err
	}
	out := []paysync.SyncRecord{}
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.log.syncs.each(s.listHeads(f.TradeNo).sync, 0, func(at *blobAt) bool {
		if rec := s.log.blobs.get(*at); isTradeType(rec[len(uuid.Nil):], f.TradeType) {
			out = append(out, decodeSync(rec))
		}
		return f.Limit == 0 || len(out) < f.Limit
	})
	return out, nil
}

// ListAdjustRecords returns copies of the adjust records that match f, in the
// order they were stored; an empty slice when none match. It returns an error
// wrapping paysync.ErrInvalidRequest when f.Limit is negative, and an error
// wrapping ctx's error when ctx has ended.
func (s *Store) ListAdjustRecords(ctx context.Context, f repository.RecordFilter) ([]paysync.AdjustRecord, error) {
	const op = "memstore.ListAdjustRecords"
	if err := checkList(ctx, op, f.Limit); err != nil {
		return nil, err
	}
	out := []paysync.AdjustRecord{}
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.log.adjusts.each(s.listHeads(f.TradeNo).adjust, 0, func(at *blobAt) bool {
		if rec := s.log.blobs.get(*at); isTradeType(rec, f.TradeType) {
			out = append(out, decodeAdjust(rec))
		}
		return f.Limit == 0 || len(out) < f.Limit
	})
	return out, nil
}

func checkList(ctx context.Context, op string, limit int) error {
	if err := alive(ctx, op); err != nil {
		return err
	}
	if limit < 0 {
		return paysync.Ef(op, paysync.ErrInvalidRequest, "limit must not be negative", nil)
	}
	return nil
}
