package repository

import (
	"context"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
)

// Records stores the audit trail: one SyncRecord per sync attempt, one
// AdjustRecord per state change. Records are written by commits, or by
// SaveEntries for a sync that changed no order.
type Records interface {
	// SaveEntries stores e without touching any order: the SyncRecord of a
	// sync that changed nothing it could commit (a failed sync, a consistent
	// order), the anomalies it saw and the events announcing those that
	// open — all of it or nothing. It returns an error wrapping
	// paysync.ErrDuplicate when a record or event id or an adjust number is
	// taken, and paysync.ErrVersionConflict when a sighting or resolution
	// disagrees with the stored anomaly; nothing is stored then. Empty
	// entries store nothing and return nil.
	SaveEntries(ctx context.Context, e Entries) error

	// GetSyncRecord returns the sync record with id (a sync result's
	// RecordID), or an error wrapping paysync.ErrRecordNotFound.
	GetSyncRecord(ctx context.Context, id uuid.UUID) (paysync.SyncRecord, error)

	// ListSyncRecords returns the sync records that match f, in the order
	// they were stored; an empty slice when none match.
	ListSyncRecords(ctx context.Context, f RecordFilter) ([]paysync.SyncRecord, error)

	// ListAdjustRecords returns the adjust records that match f, in the order
	// they were stored (within one commit, in the order given); an empty slice
	// when none match.
	ListAdjustRecords(ctx context.Context, f RecordFilter) ([]paysync.AdjustRecord, error)
}

// RecordFilter selects records. A zero field matches everything; Limit 0
// means no limit.
type RecordFilter struct {
	TradeType paysync.TradeType
	TradeNo   string
	Limit     int
}
