package pgstore_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/examples/pgstore"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2024, 6, 12, 8, 0, 0, 123456789, time.UTC)

func payOrder(no string) paysync.PayOrder {
	return paysync.PayOrder{OrderNo: no, BizOrderNo: "B" + no, Channel: "wechat",
		Amount: decimal.RequireFromString("12.30"), Status: paysync.PayProgress,
		RefundStatus: paysync.PayRefundNone, CreatedAt: t0, UpdatedAt: t0}
}

// TestMigrateIsIdempotentAndConcurrent: instances that start together on an
// empty schema all migrate it at once; the advisory lock makes them take
// turns, so one applies every step and the others find nothing to do. A
// later Migrate finds nothing to do either.
func TestMigrateIsIdempotentAndConcurrent(t *testing.T) {
	pool := newSchema(t).openUnmigrated(8)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = pgstore.New(pool).Migrate(ctx) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.NoError(t, pgstore.New(pool).Migrate(ctx))
	steps, err := os.ReadDir("migrations")
	require.NoError(t, err)
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n))
	require.Equal(t, len(steps), n, "each step applied once")
}

func TestAmountsKeepEveryDigit(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	o := payOrder("P1")
	o.Amount = decimal.RequireFromString("123456789012345678901234567890.000000000000000000001")
	require.NoError(t, s.CreatePayOrder(ctx, o))
	got, err := s.GetPayOrder(ctx, "P1")
	require.NoError(t, err)
	require.True(t, o.Amount.Equal(got.Amount), "stored %s, read %s", o.Amount, got.Amount)
	require.Equal(t, t0.Truncate(time.Microsecond), got.CreatedAt)
}

func TestLoadPayOrders(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	orders := []paysync.PayOrder{payOrder("P2"), payOrder("P1"), payOrder("P3")}
	orders[2].Status = paysync.PaySuccess // not scheduled
	require.NoError(t, s.LoadPayOrders(ctx, orders))

	got, err := s.GetPayOrder(ctx, "P2")
	require.NoError(t, err)
	want := orders[0]
	want.Version = 1
	want.CreatedAt, want.UpdatedAt = t0.Truncate(time.Microsecond), t0.Truncate(time.Microsecond)
	want.Schedule.NextSyncAt = want.CreatedAt
	for _, amount := range []struct{ want, got *decimal.Decimal }{
		{&want.Amount, &got.Amount}, {&want.RefundedAmount, &got.RefundedAmount},
		{&want.ReservedAmount, &got.ReservedAmount},
	} {
		require.True(t, amount.want.Equal(*amount.got), "%s, want %s", amount.got, amount.want)
		*amount.want = *amount.got // compared by value above
	}
	require.Equal(t, want, got)

	claimed, err := s.ClaimPayOrders(ctx, repository.Claim{Now: t0, Owner: "a", Until: t0.Add(time.Minute), Limit: 10})
	require.NoError(t, err)
	require.Len(t, claimed, 2)
	require.Equal(t, "P1", claimed[0].OrderNo)

	err = s.LoadPayOrders(ctx, []paysync.PayOrder{payOrder("P4"), payOrder("P1")})
	require.ErrorIs(t, err, paysync.ErrDuplicate)
	_, err = s.GetPayOrder(ctx, "P4")
	require.ErrorIs(t, err, paysync.ErrOrderNotFound, "a failed load stores nothing")
}

// TestNilPool asserts that a Store without a pool fails every kind of call
// with an internal error instead of panicking. It needs no database.
func TestNilPool(t *testing.T) {
	s := pgstore.New(nil)
	ctx := context.Background()
	pay := payOrder("P1")
	claim := repository.Claim{Now: t0, Owner: "a", Until: t0.Add(time.Minute), Limit: 1}
	sightings := repository.Entries{Sightings: []repository.AnomalySighting{sighting("P1", paysync.AnomalyTradeMismatch, true)}}
	ignore := func(_ any, err error) error { return err }
	for name, err := range map[string]error{
		"Migrate":           s.Migrate(ctx),
		"CreatePayOrder":    s.CreatePayOrder(ctx, pay),
		"GetPayOrder":       ignore(s.GetPayOrder(ctx, "P1")),
		"CommitPayOrder":    s.CommitPayOrder(ctx, pay, repository.Entries{}),
		"ClaimPayOrders":    ignore(s.ClaimPayOrders(ctx, claim)),
		"ReleasePayOrders":  s.ReleasePayOrders(ctx, "a", "P1"),
		"CreateRefundOrder": s.CreateRefundOrder(ctx, refundOrder("R1", "P1"), reserve(pay, "1"), repository.Entries{}),
		"ListRefundOrders":  ignore(s.ListRefundOrders(ctx, "P1")),
		"SaveEntries":       s.SaveEntries(ctx, sightings),
		"GetSyncRecord":     ignore(s.GetSyncRecord(ctx, newSync(paysync.TradePay, "P1").ID)),
		"ListEvents":        ignore(s.ListEvents(ctx, repository.EventFilter{})),
		"OrderAnomalies":    ignore(s.OrderAnomalies(ctx, paysync.TradePay, "P1")),
		"ListOrders":        ignore(s.ListOrders(ctx, repository.OrderQuery{TradeType: paysync.TradePay, By: repository.ByDue})),
		"CountOrders":       ignore(s.CountOrders(ctx, paysync.TradePay, t0)),
		"LoadPayOrders":     s.LoadPayOrders(ctx, []paysync.PayOrder{pay}),
	} {
		require.ErrorIs(t, err, paysync.ErrInternal, name)
	}
}
