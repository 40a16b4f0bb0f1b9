package pgstore

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

const (
	saveSyncSQL = `INSERT INTO sync_records (id, trade_type, trade_no, biz_no, out_no, channel,
	channel_state, raw, adjusted, adjust_no, anomalies, error_code, error_msg, client_ip, source, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`

	listSyncSQL = `SELECT id, trade_type, trade_no, biz_no, out_no, channel, channel_state, raw,
	adjusted, adjust_no, anomalies, error_code, error_msg, client_ip, source, created_at FROM sync_records`

	listAdjustSQL = `SELECT adjust_no, trade_type, trade_no, source, way, before, after, created_at, receiver_no
	FROM adjust_records`
)

// SaveSyncRecord stores r alone, for a sync that had nothing to commit. It
// returns an error wrapping paysync.ErrDuplicate when r.ID is taken, and
// paysync.ErrInternal when the database fails.
func (s *Store) SaveSyncRecord(ctx context.Context, r paysync.SyncRecord) error {
	const op = "pgstore.SaveSyncRecord"
	db, err := s.db(op)
	if err != nil {
		return err
	}
	_, err = db.Exec(ctx, saveSyncSQL, r.ID, string(r.TradeType), r.TradeNo, r.BizNo, r.OutNo,
		r.Channel, r.ChannelState, r.Raw, r.Adjusted, r.AdjustNo, codesArg(r.Anomalies), r.ErrorCode,
		r.ErrorMsg, r.ClientIP, string(r.Source), ts(r.CreatedAt))
	return fail(ctx, op, err)
}

// ListSyncRecords returns the sync records that match f in the order they were
// stored; an empty slice when none match. It returns an error wrapping
// paysync.ErrInternal when the database fails.
func (s *Store) ListSyncRecords(ctx context.Context, f repository.RecordFilter) ([]paysync.SyncRecord, error) {
	return list(ctx, s, "pgstore.ListSyncRecords", listSyncSQL, recordWhere(f), f.Limit, scanSyncRecord)
}

// ListAdjustRecords returns the adjust records that match f in the order
// they were stored; an empty slice when none match. It returns an error
// wrapping paysync.ErrInternal when the database fails.
func (s *Store) ListAdjustRecords(ctx context.Context, f repository.RecordFilter) ([]paysync.AdjustRecord, error) {
	return list(ctx, s, "pgstore.ListAdjustRecords", listAdjustSQL, recordWhere(f), f.Limit, scanAdjustRecord)
}

// recordWhere turns a record filter into conditions; zero fields match all.
func recordWhere(f repository.RecordFilter) where {
	var w where
	w.eq("trade_type", string(f.TradeType))
	w.eq("trade_no", f.TradeNo)
	return w
}

// scanAdjustRecord reads one row of listAdjustSQL.
func scanAdjustRecord(row pgx.CollectableRow) (paysync.AdjustRecord, error) {
	var (
		a                      paysync.AdjustRecord
		tradeType, source, way string
		created                pgtype.Timestamptz
	)
	err := row.Scan(&a.AdjustNo, &tradeType, &a.TradeNo, &source, &way, &a.Before, &a.After, &created, &a.ReceiverNo)
	a.TradeType, a.Source, a.Way = paysync.TradeType(tradeType), paysync.Source(source), paysync.AdjustWay(way)
	a.CreatedAt = timeOf(created)
	return a, err
}

// scanSyncRecord reads one row of listSyncSQL.
func scanSyncRecord(row pgx.CollectableRow) (paysync.SyncRecord, error) {
	var (
		r                 paysync.SyncRecord
		id                uuid.UUID
		tradeType, source string
		anomalies         []string
		created           pgtype.Timestamptz
	)
	err := row.Scan(&id, &tradeType, &r.TradeNo, &r.BizNo, &r.OutNo, &r.Channel, &r.ChannelState, &r.Raw,
		&r.Adjusted, &r.AdjustNo, &anomalies, &r.ErrorCode, &r.ErrorMsg, &r.ClientIP, &source, &created)
	r.ID, r.TradeType, r.Source = id, paysync.TradeType(tradeType), paysync.Source(source)
	r.Anomalies, r.CreatedAt = codesOf(anomalies), timeOf(created)
	return r, err
}

// nonNil returns s, or an empty slice when s is nil: the ports promise an
// empty slice when nothing matches.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
