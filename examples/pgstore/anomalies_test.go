package pgstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/examples/pgstore"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/require"
)

// TestAnomalyLifecycleInCommit drives one anomaly through every state a
// commit may find it in, each step through CommitPayOrder (the transaction
// path: an order's write, then the anomaly's). A step the stored anomaly
// disagrees with is refused with ErrVersionConflict and stores nothing: not
// the order, not its record or event, not the anomaly.
func TestAnomalyLifecycleInCommit(t *testing.T) {
	const code = paysync.AnomalyAmountMismatch
	t0 := t0.Truncate(time.Microsecond) // as stored
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
	see := func(opens bool, at time.Time) repository.Entries {
		s := sighting("P1", code, opens)
		s.At = at
		return repository.Entries{Sightings: []repository.AnomalySighting{s}}
	}
	resolve := func(at time.Time) repository.Entries {
		return repository.Entries{Resolutions: []repository.AnomalyResolution{{TradeType: paysync.TradePay,
			TradeNo: "P1", Code: code, At: at, By: "ann", Note: "refunded by hand"}}}
	}
	anomaly := func(first, opened, last time.Time, times int) *paysync.Anomaly {
		return &paysync.Anomaly{TradeType: paysync.TradePay, TradeNo: "P1", Code: code, FirstSeenAt: first,
			OpenedAt: opened, LastSeenAt: last, TimesSeen: times}
	}
	resolved := func(a *paysync.Anomaly, at time.Time) *paysync.Anomaly {
		a.ResolvedAt, a.ResolvedBy, a.Note = at, "ann", "refunded by hand"
		return a
	}
	for _, tc := range []struct {
		name    string
		before  []repository.Entries // stored first with SaveEntries
		step    repository.Entries
		refused bool
		want    *paysync.Anomaly // nil: absent
	}{
		{"absent, opens", nil, see(true, t1), false, anomaly(t1, t1, t1, 1)},
		{"absent, seen again", nil, see(false, t1), true, nil},
		{"absent, resolved", nil, resolve(t1), true, nil},
		{"open, opens", []repository.Entries{see(true, t0)}, see(true, t1), true, anomaly(t0, t0, t0, 1)},
		{"open, seen again", []repository.Entries{see(true, t0)}, see(false, t1), false, anomaly(t0, t0, t1, 2)},
		{"open, resolved", []repository.Entries{see(true, t0)}, resolve(t1), false,
			resolved(anomaly(t0, t0, t0, 1), t1)},
		{"resolved, opens again", []repository.Entries{see(true, t0), resolve(t1)}, see(true, t2), false,
			anomaly(t0, t2, t2, 2)},
		{"resolved, seen again", []repository.Entries{see(true, t0), resolve(t1)}, see(false, t2), true,
			resolved(anomaly(t0, t0, t0, 1), t1)},
		{"resolved, resolved", []repository.Entries{see(true, t0), resolve(t1)}, resolve(t2), true,
			resolved(anomaly(t0, t0, t0, 1), t1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			ctx := context.Background()
			require.NoError(t, s.CreatePayOrder(ctx, payOrder("P1")))
			for _, e := range tc.before {
				require.NoError(t, s.SaveEntries(ctx, e))
			}
			o, err := s.GetPayOrder(ctx, "P1")
			require.NoError(t, err)
			e := tc.step
			e.Sync = newSync(paysync.TradePay, "P1")
			e.Events = []paysync.Event{newEvent(paysync.EventPayAnomaly, paysync.TradePay, "P1")}
			o.UpdatedAt = t2
			err = s.CommitPayOrder(ctx, o, e)

			after, gerr := s.GetPayOrder(ctx, "P1")
			require.NoError(t, gerr)
			events, lerr := s.ListEvents(ctx, repository.EventFilter{})
			require.NoError(t, lerr)
			if tc.refused {
				require.ErrorIs(t, err, paysync.ErrVersionConflict)
				require.Equal(t, o.Version, after.Version, "the order is not written")
				require.Empty(t, events, "nor is its event")
				_, rerr := s.GetSyncRecord(ctx, e.Sync.ID)
				require.ErrorIs(t, rerr, paysync.ErrRecordNotFound, "nor its record")
			} else {
				require.NoError(t, err)
				require.Equal(t, o.Version+1, after.Version)
				require.Len(t, events, 1)
			}
			got, err := s.OrderAnomalies(ctx, paysync.TradePay, "P1")
			require.NoError(t, err)
			if tc.want == nil {
				require.Empty(t, got)
				return
			}
			require.Equal(t, []paysync.Anomaly{*tc.want}, got)
		})
	}
}

// TestAnomalyOpenedOnce: hosts that all read a new anomaly as absent save
// its opening at once. Exactly one opening is stored, with its event; every
// other host is refused and stores nothing.
func TestAnomalyOpenedOnce(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	const hosts = 8
	errs := make([]error, hosts)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			errs[i] = s.SaveEntries(ctx, repository.Entries{
				Sightings: []repository.AnomalySighting{sighting("P1", paysync.AnomalyTradeMismatch, true)},
				Events:    []paysync.Event{newEvent(paysync.EventPayAnomaly, paysync.TradePay, "P1")},
			})
		})
	}
	wg.Wait()
	opened := 0
	for _, err := range errs {
		if err == nil {
			opened++
			continue
		}
		require.ErrorIs(t, err, paysync.ErrVersionConflict)
	}
	require.Equal(t, 1, opened)
	events, err := s.ListEvents(ctx, repository.EventFilter{})
	require.NoError(t, err)
	require.Len(t, events, 1, "the opening is announced once")
	got, err := s.OrderAnomalies(ctx, paysync.TradePay, "P1")
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, 1, got[0].TimesSeen)
}

// TestAnomalyOpeningWaitsForAnother holds another transaction's uncommitted
// opening of an anomaly while the store opens it too: the store's INSERT
// waits for that transaction, and then is refused if it committed, or
// stores the opening if it rolled back. The test sees the store wait
// before it ends the other transaction, so the interleaving is the one
// named, not a guess.
func TestAnomalyOpeningWaitsForAnother(t *testing.T) {
	for _, commit := range []bool{true, false} {
		name := map[bool]string{true: "other commits", false: "other rolls back"}[commit]
		t.Run(name, func(t *testing.T) {
			pool := newPool(t)
			s := pgstore.New(pool)
			ctx := context.Background()
			other, err := pool.Begin(ctx)
			require.NoError(t, err)
			defer other.Rollback(ctx) //nolint:errcheck // ended below
			_, err = other.Exec(ctx, `INSERT INTO anomalies (trade_type, trade_no, code, first_seen_at,
				opened_at, last_seen_at, times_seen) VALUES ('pay', 'P1', 'trade_mismatch', $1, $1, $1, 1)`, t0)
			require.NoError(t, err)

			done := make(chan error, 1)
			go func() {
				done <- s.SaveEntries(ctx, repository.Entries{
					Sightings: []repository.AnomalySighting{sighting("P1", paysync.AnomalyTradeMismatch, true)},
					Events:    []paysync.Event{newEvent(paysync.EventPayAnomaly, paysync.TradePay, "P1")},
				})
			}()
			waitForLockWait(t, pool, "INSERT INTO anomalies")
			if commit {
				require.NoError(t, other.Commit(ctx))
				require.ErrorIs(t, <-done, paysync.ErrVersionConflict)
			} else {
				require.NoError(t, other.Rollback(ctx))
				require.NoError(t, <-done)
			}
			events, err := s.ListEvents(ctx, repository.EventFilter{})
			require.NoError(t, err)
			require.Len(t, events, map[bool]int{true: 0, false: 1}[commit])
			got, err := s.OrderAnomalies(ctx, paysync.TradePay, "P1")
			require.NoError(t, err)
			require.Len(t, got, 1)
			require.Equal(t, 1, got[0].TimesSeen)
		})
	}
}

// waitForLockWait returns once a session of the test database waits for a
// lock while running a statement that contains query. It polls the server's
// view of its sessions; it does not time anything.
func waitForLockWait(t *testing.T, pool *pgxpool.Pool, query string) {
	t.Helper()
	for {
		var waiting bool
		require.NoError(t, pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
				AND strpos(query, $1) > 0)`, query).Scan(&waiting))
		if waiting {
			return
		}
		time.Sleep(time.Millisecond)
	}
}
