package pgstore_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/examples/pgstore"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/require"
)

// roundTrips counts what a pgx connection sends and waits for: each query,
// exec (BEGIN and COMMIT included), batch and COPY is one round trip.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}
func (r *roundTrips) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}

// TestRoundTrips pins how many round trips each write and read takes once
// its statements are prepared: a write is two, BEGIN with its statements
// and then COMMIT, however many orders, records and anomalies it touches; a
// read is one. Each call runs twice on a pool of one connection,
// and the second is counted, so the statement cache's first PREPARE is not.
func TestRoundTrips(t *testing.T) {
	pool := newPool(t)
	cfg := pool.Config()
	cfg.MaxConns = 1
	var rt roundTrips
	cfg.ConnConfig.Tracer = &rt
	counted, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(counted.Close)
	s, plain := pgstore.New(counted), pgstore.New(pool)
	ctx := context.Background()

	paidOrder(t, plain, "P1")
	require.NoError(t, plain.CreatePayOrder(ctx, payOrder("P2")))
	pay, err := plain.GetPayOrder(ctx, "P1")
	require.NoError(t, err)
	require.NoError(t, plain.CreateRefundOrder(ctx, refundOrder("R1", "P1"), reserve(pay, "1.00"), repository.Entries{}))

	serial := 0
	no := func(prefix string) string { serial++; return fmt.Sprintf("%s%d", prefix, serial) }
	sightings := func(tradeNo string) []repository.AnomalySighting {
		return []repository.AnomalySighting{sighting(tradeNo, paysync.AnomalyAmountMismatch, false),
			sighting(tradeNo, paysync.AnomalyTradeMismatch, false)}
	}
	require.NoError(t, plain.SaveEntries(ctx, repository.Entries{Sightings: []repository.AnomalySighting{
		sighting("P2", paysync.AnomalyAmountMismatch, true), sighting("P2", paysync.AnomalyTradeMismatch, true)}}))

	for _, tc := range []struct {
		name    string
		call    func() error
		want    int64
		wantErr *paysync.Error
	}{
		{"GetPayOrder", func() error { _, err := s.GetPayOrder(ctx, "P1"); return err }, 1, nil},
		{"CreatePayOrder", func() error { return s.CreatePayOrder(ctx, payOrder(no("C"))) }, 2, nil},
		{"CommitPayOrder", func() error {
			o, err := plain.GetPayOrder(ctx, "P2")
			require.NoError(t, err)
			return s.CommitPayOrder(ctx, o, repository.Entries{Sync: newSync(paysync.TradePay, "P2"),
				Events: []paysync.Event{newEvent(paysync.EventPayAnomaly, paysync.TradePay, "P2")}})
		}, 2, nil},
		{"CommitPayOrder with two sightings", func() error {
			o, err := plain.GetPayOrder(ctx, "P2")
			require.NoError(t, err)
			return s.CommitPayOrder(ctx, o, repository.Entries{Sync: newSync(paysync.TradePay, "P2"),
				Sightings: sightings("P2")})
		}, 2, nil},
		{"SaveEntries with two sightings", func() error {
			return s.SaveEntries(ctx, repository.Entries{Sync: newSync(paysync.TradePay, "P2"), Sightings: sightings("P2")})
		}, 2, nil},
		{"CreateRefundOrder", func() error {
			pay, err := plain.GetPayOrder(ctx, "P1")
			require.NoError(t, err)
			r := no("R")
			return s.CreateRefundOrder(ctx, refundOrder(r, "P1"), reserve(pay, "0.01"), repository.Entries{
				Events: []paysync.Event{newEvent(paysync.EventRefundCreated, paysync.TradeRefund, r)}})
		}, 2, nil},
		{"CommitRefundOrder with its pay order", func() error {
			pay, err := plain.GetPayOrder(ctx, "P1")
			require.NoError(t, err)
			r, err := plain.GetRefundOrder(ctx, "R1")
			require.NoError(t, err)
			change := reserve(pay, "0")
			return s.CommitRefundOrder(ctx, r, &change, repository.Entries{Sync: newSync(paysync.TradeRefund, "R1")})
		}, 2, nil},
		{"ClaimPayOrders", func() error {
			_, err := s.ClaimPayOrders(ctx, repository.Claim{Now: t0, Owner: "a", Until: t0.Add(time.Minute), Limit: 10})
			return err
		}, 2, nil},
		{"ReleasePayOrders", func() error { return s.ReleasePayOrders(ctx, "a", "P2") }, 2, nil},
		// A refusal adds the query that explains it and the ROLLBACK.
		{"CommitPayOrder at a stale version", func() error {
			o, err := plain.GetPayOrder(ctx, "P2")
			require.NoError(t, err)
			o.Version--
			return s.CommitPayOrder(ctx, o, repository.Entries{Sync: newSync(paysync.TradePay, "P2")})
		}, 3, paysync.ErrVersionConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(err error, call string) {
				if tc.wantErr == nil {
					require.NoError(t, err, call)
				} else {
					require.ErrorIs(t, err, tc.wantErr, call)
				}
			}
			check(tc.call(), "first call")
			before := rt.n.Load()
			check(tc.call(), "second call")
			require.Equal(t, tc.want, rt.n.Load()-before)
		})
	}
}
