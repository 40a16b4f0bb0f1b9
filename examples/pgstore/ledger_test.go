package pgstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/examples/pgstore"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/require"
)

// ledgerEntry is what the store holds about one pay order: its row, and how
// many records and events name it.
type ledgerEntry struct {
	status     paysync.PayStatus
	version    int64
	leaseOwner string
	leaseUntil time.Time
	synced     int // SyncRecords of completed sweeps (no error code)
	failed     int // SyncRecords with an error code
	adjusted   int // SyncRecords that name an AdjustRecord
	adjusts    int // AdjustRecords
	events     int // status events
}

// readLedger reads every pay order back, the rows by SQL and the records and
// events through the store's own List methods. A record or event naming no
// order fails t.
func readLedger(t *testing.T, db *pgxpool.Pool) map[string]*ledgerEntry {
	t.Helper()
	ctx := context.Background()
	rows, err := db.Query(ctx, `SELECT order_no, status, version, coalesce(lease_owner, ''), lease_until FROM pay_orders`)
	require.NoError(t, err)
	l := map[string]*ledgerEntry{}
	for rows.Next() {
		var (
			no, status string
			e          ledgerEntry
			until      pgtype.Timestamptz
		)
		require.NoError(t, rows.Scan(&no, &status, &e.version, &e.leaseOwner, &until))
		e.status, e.leaseUntil = paysync.PayStatus(status), until.Time.UTC()
		l[no] = &e
	}
	require.NoError(t, rows.Err())

	s := pgstore.New(db)
	entry := func(no, what string) *ledgerEntry {
		e, ok := l[no]
		if !ok {
			t.Errorf("%s for unknown order %s", what, no)
			return &ledgerEntry{}
		}
		return e
	}
	recs, err := s.ListSyncRecords(ctx, repository.RecordFilter{})
	require.NoError(t, err)
	for _, r := range recs {
		e := entry(r.TradeNo, "SyncRecord")
		switch {
		case r.ErrorCode != "":
			e.failed++
		case r.Source != paysync.SourceSweep || r.TradeType != paysync.TradePay:
			t.Errorf("SyncRecord %s of %s: source %s, trade type %s", r.ID, r.TradeNo, r.Source, r.TradeType)
		default:
			e.synced++
		}
		if r.Adjusted {
			e.adjusted++
		}
	}
	adjs, err := s.ListAdjustRecords(ctx, repository.RecordFilter{})
	require.NoError(t, err)
	for _, a := range adjs {
		e := entry(a.TradeNo, "AdjustRecord")
		e.adjusts++
		if a.Before != string(paysync.PayProgress) || a.After != string(paysync.PaySuccess) {
			t.Errorf("AdjustRecord %s of %s: %s → %s, want progress → success", a.AdjustNo, a.TradeNo, a.Before, a.After)
		}
	}
	evs, err := s.ListEvents(ctx, repository.EventFilter{})
	require.NoError(t, err)
	for _, ev := range evs {
		if ev.Type.IsStatus() {
			entry(ev.TradeNo, "status event").events++
		}
	}
	return l
}

// requireWhole fails t unless every order is whole: synced or not, never
// half-written. An order no sweep completed is as loaded (version 1, in
// progress, no record or event); one that a sweep completed was committed
// once with its SyncRecord, and, when its channel reported it paid, is
// successful with exactly one AdjustRecord and one status event. It returns
// the orders no sweep completed.
func requireWhole(t *testing.T, l map[string]*ledgerEntry, paid map[string]bool) (unsynced []string) {
	t.Helper()
	for no, e := range l {
		switch e.synced {
		case 0:
			require.Equal(t, ledgerEntry{status: paysync.PayProgress, version: 1, leaseOwner: e.leaseOwner,
				leaseUntil: e.leaseUntil, failed: e.failed}, *e, "order %s: never synced, so untouched", no)
			unsynced = append(unsynced, no)
		case 1:
			want := ledgerEntry{status: paysync.PayProgress, version: 2, leaseOwner: e.leaseOwner,
				leaseUntil: e.leaseUntil, synced: 1, failed: e.failed}
			if paid[no] {
				want.status, want.adjusted, want.adjusts, want.events = paysync.PaySuccess, 1, 1, 1
			}
			require.Equal(t, want, *e, "order %s: synced once", no)
		default:
			require.Failf(t, "synced twice", "order %s has %d completed sweep SyncRecords", no, e.synced)
		}
	}
	return unsynced
}
