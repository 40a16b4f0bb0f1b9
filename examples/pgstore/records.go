package pgstore

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// syncColumns is what every read of a sync record selects, in
// scanSyncRecord's order.
const syncColumns = `id, trade_type, trade_no, biz_no, out_no, channel, channel_state, raw, adjusted,
	adjust_no, anomalies, error_code, error_msg, client_ip, source, created_at`

const (
	getSyncSQL    = `SELECT ` + syncColumns + ` FROM sync_records WHERE id = $1`
	listSyncSQL   = `SELECT ` + syncColumns + ` FROM sync_records`
	listAdjustSQL = `SELECT adjust_no, trade_type, trade_no, source, way, before, after, created_at,
	receiver_no, operator, reason FROM adjust_records`
)

// SaveEntries stores e without touching any order (see repository.Records):
// its records and events in one statement, or, with anomaly entries, in one
// transaction with them. Empty entries store nothing. It returns an error
// wrapping paysync.ErrDuplicate when a record or event id or an adjust number
// is taken, paysync.ErrVersionConflict when an anomaly disagrees with e,
// paysync.ErrInvalidRequest for an anomaly entry without a kind, number, code
// or time, paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the
// database fails; in each case nothing is stored.
func (s *Store) SaveEntries(ctx context.Context, e repository.Entries) error {
	const op = "pgstore.SaveEntries"
	if err := paysync.ContextError(ctx, op); err != nil {
		return err
	}
	if e.Sync.ID == uuid.Nil && len(e.Adjusts) == 0 && len(e.Events) == 0 &&
		len(e.Sightings) == 0 && len(e.Resolutions) == 0 {
		return nil
	}
	return s.commit(ctx, op, write{sql: `SELECT 1`}, e, nil, "")
}

// GetSyncRecord returns the sync record with id. It returns an error
// wrapping paysync.ErrRecordNotFound when there is none, paysync.ErrCanceled
// when ctx ends and paysync.ErrInternal when the database fails.
func (s *Store) GetSyncRecord(ctx context.Context, id uuid.UUID) (paysync.SyncRecord, error) {
	return get(ctx, s, "pgstore.GetSyncRecord", getSyncSQL, id, scanSyncRecord, paysync.ErrRecordNotFound)
}

// ListSyncRecords returns the sync records that match f in the order they were
// stored; an empty slice when none match. It returns an error wrapping
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the database
// fails.
func (s *Store) ListSyncRecords(ctx context.Context, f repository.RecordFilter) ([]paysync.SyncRecord, error) {
	return list(ctx, s, "pgstore.ListSyncRecords", listSyncSQL, recordWhere(f), f.Limit,
		func(row pgx.CollectableRow) (paysync.SyncRecord, error) { return scanSyncRecord(row) })
}

// ListAdjustRecords returns the adjust records that match f in the order
// they were stored; an empty slice when none match. It returns an error
// wrapping paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the
// database fails.
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
	err := row.Scan(&a.AdjustNo, &tradeType, &a.TradeNo, &source, &way, &a.Before, &a.After, &created,
		&a.ReceiverNo, &a.Operator, &a.Reason)
	a.TradeType, a.Source, a.Way = paysync.TradeType(tradeType), paysync.Source(source), paysync.AdjustWay(way)
	a.CreatedAt = timeOf(created)
	return a, err
}

// scanSyncRecord reads one row of syncColumns.
func scanSyncRecord(row pgx.Row) (paysync.SyncRecord, error) {
	var (
		r                 paysync.SyncRecord
		tradeType, source string
		anomalies         []string
		created           pgtype.Timestamptz
	)
	err := row.Scan(&r.ID, &tradeType, &r.TradeNo, &r.BizNo, &r.OutNo, &r.Channel, &r.ChannelState, &r.Raw,
		&r.Adjusted, &r.AdjustNo, &anomalies, &r.ErrorCode, &r.ErrorMsg, &r.ClientIP, &source, &created)
	if err != nil {
		return paysync.SyncRecord{}, err
	}
	r.TradeType, r.Source = paysync.TradeType(tradeType), paysync.Source(source)
	r.Anomalies, r.CreatedAt = codesOf(anomalies), timeOf(created)
	return r, nil
}

// nonNil returns s, or an empty slice when s is nil: the ports promise an
// empty slice when nothing matches.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
