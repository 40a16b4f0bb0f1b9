package repository

import (
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// Entries is what a commit stores beside an order's new state: the sync that
// produced it, the state changes it made, the events that announce them and
// the anomalies it saw or a person resolved. A commit stores all of it or
// none of it. A Sync whose ID is the zero uuid is no record: the commit
// stores none.
type Entries struct {
	Sync        paysync.SyncRecord
	Adjusts     []paysync.AdjustRecord
	Events      []paysync.Event
	Sightings   []AnomalySighting
	Resolutions []AnomalyResolution
}

// AnomalySighting is one anomaly seen by a sync. The store keeps one
// paysync.Anomaly per (TradeType, TradeNo, Code) and upserts it, atomically
// with the rest of the commit and without touching the order's row or
// Version:
//   - absent: stored open, FirstSeenAt = OpenedAt = LastSeenAt = At,
//     TimesSeen 1;
//   - open: LastSeenAt = At, TimesSeen+1;
//   - resolved: opened again — OpenedAt = LastSeenAt = At, TimesSeen+1,
//     ResolvedAt, ResolvedBy and Note cleared.
//
// Opens is what the engine read before deciding: true when it found the
// anomaly absent or resolved, so this sighting opens it and the commit
// carries the event announcing it. When the stored anomaly says otherwise
// (another writer opened or a person resolved it meanwhile) the commit is
// refused with paysync.ErrVersionConflict and nothing is stored; the engine
// reads again and decides again, so an opening is announced once.
type AnomalySighting struct {
	TradeType paysync.TradeType
	TradeNo   string
	Code      paysync.AnomalyCode
	At        time.Time
	Opens     bool
}

// AnomalyResolution is a person resolving an open anomaly: ResolvedAt = At,
// ResolvedBy = By, Note = Note. An anomaly that is not open (absent, or
// resolved already) refuses the commit with paysync.ErrVersionConflict.
type AnomalyResolution struct {
	TradeType paysync.TradeType
	TradeNo   string
	Code      paysync.AnomalyCode
	At        time.Time
	By        string
	Note      string
}

// PayRefundChange is the part of a pay order a refund's commit writes: its
// refund fields after the refund's move (docs/refund-sync.md), compare-and-
// swapped on the Version the engine read. The stored pay order gets
// Version+1 and UpdatedAt; nothing else of it changes.
type PayRefundChange struct {
	OrderNo        string
	Version        int64 // the version the caller read
	RefundedAmount decimal.Decimal
	ReservedAmount decimal.Decimal
	RefundStatus   paysync.PayRefundStatus
	UpdatedAt      time.Time
}
