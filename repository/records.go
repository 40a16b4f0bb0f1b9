package repository

import (
	"context"

	"github.com/paysync/paysync"
)

// Records stores the audit trail: one SyncRecord per sync attempt, one
// AdjustRecord per state change. Records are written by commits, or alone by
// SaveSyncRecord for a sync that changed nothing it could commit.
type Records interface {
	// SaveSyncRecord stores r alone (a failed sync). It returns an error
	// wrapping paysync.ErrDuplicate when r.ID is taken.
	SaveSyncRecord(ctx context.Context, r paysync.SyncRecord) error

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
