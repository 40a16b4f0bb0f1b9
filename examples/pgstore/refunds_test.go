package pgstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/examples/pgstore"
	"github.com/paysync/paysync/repository"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// refundState is what a refund test compares before and after a call: the
// pay order, the refunds of it and every event.
type refundState struct {
	pay     paysync.PayOrder
	refunds []paysync.RefundOrder
	events  int
}

func readRefundState(t *testing.T, s *pgstore.Store, orderNo string) refundState {
	t.Helper()
	ctx := context.Background()
	pay, err := s.GetPayOrder(ctx, orderNo)
	require.NoError(t, err)
	refunds, err := s.ListRefundOrders(ctx, orderNo)
	require.NoError(t, err)
	events, err := s.ListEvents(ctx, repository.EventFilter{})
	require.NoError(t, err)
	return refundState{pay, refunds, len(events)}
}

// paidOrder stores pay order no, paid, and returns it as stored.
func paidOrder(t *testing.T, s *pgstore.Store, no string) paysync.PayOrder {
	t.Helper()
	ctx := context.Background()
	o := payOrder(no)
	o.Status = paysync.PaySuccess
	require.NoError(t, s.CreatePayOrder(ctx, o))
	o, err := s.GetPayOrder(ctx, no)
	require.NoError(t, err)
	return o
}

// TestCreateRefundOrderAllOrNothing: a refund is created with its pay
// order's reservation and its event, or, when any part is refused, nothing
// of either order is stored.
func TestCreateRefundOrderAllOrNothing(t *testing.T) {
	created := func(e *repository.Entries) {
		e.Events = []paysync.Event{newEvent(paysync.EventRefundCreated, paysync.TradeRefund, "R2")}
	}
	for _, tc := range []struct {
		name  string
		edit  func(r *paysync.RefundOrder, pay *repository.PayRefundChange, e *repository.Entries)
		taken string // a refund created first, numbered R1 and bizR1
		want  *paysync.Error
	}{
		{"stored", func(*paysync.RefundOrder, *repository.PayRefundChange, *repository.Entries) {}, "", nil},
		{"stale pay version", func(_ *paysync.RefundOrder, pay *repository.PayRefundChange, _ *repository.Entries) {
			pay.Version--
		}, "", paysync.ErrVersionConflict},
		{"missing pay order", func(r *paysync.RefundOrder, pay *repository.PayRefundChange, _ *repository.Entries) {
			r.OrderNo, pay.OrderNo = "P9", "P9"
		}, "", paysync.ErrOrderNotFound},
		{"refund number taken", func(r *paysync.RefundOrder, _ *repository.PayRefundChange, _ *repository.Entries) {
			r.RefundNo = "R1"
		}, "R1", paysync.ErrDuplicate},
		{"merchant refund number taken", func(r *paysync.RefundOrder, _ *repository.PayRefundChange, _ *repository.Entries) {
			r.BizRefundNo = "BR1"
		}, "R1", paysync.ErrDuplicate},
		{"event id taken", func(_ *paysync.RefundOrder, _ *repository.PayRefundChange, e *repository.Entries) {
			e.Events = append(e.Events, e.Events[0])
		}, "", paysync.ErrDuplicate},
		{"anomaly disagrees", func(_ *paysync.RefundOrder, _ *repository.PayRefundChange, e *repository.Entries) {
			e.Sightings = []repository.AnomalySighting{sighting("P1", paysync.AnomalyOverRefunded, false)}
		}, "", paysync.ErrVersionConflict},
		{"pay change of another order", func(_ *paysync.RefundOrder, pay *repository.PayRefundChange, _ *repository.Entries) {
			pay.OrderNo = "P2"
		}, "", paysync.ErrInvalidRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			ctx := context.Background()
			pay := paidOrder(t, s, "P1")
			paidOrder(t, s, "P2")
			if tc.taken != "" {
				require.NoError(t, s.CreateRefundOrder(ctx, refundOrder("R1", "P1"), reserve(pay, "2.00"), repository.Entries{}))
				pay, _ = s.GetPayOrder(ctx, "P1")
			}
			before := readRefundState(t, s, "P1")
			r, change := refundOrder("R2", "P1"), reserve(pay, "2.00")
			var e repository.Entries
			created(&e)
			tc.edit(&r, &change, &e)
			err := s.CreateRefundOrder(ctx, r, change, e)
			after := readRefundState(t, s, "P1")
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
				require.Equal(t, before, after, "nothing of either order is stored")
				return
			}
			require.NoError(t, err)
			want := before.pay
			want.Version++
			want.ReservedAmount, want.RefundStatus = change.ReservedAmount, change.RefundStatus
			want.UpdatedAt = change.UpdatedAt.Truncate(time.Microsecond)
			require.True(t, want.ReservedAmount.Equal(after.pay.ReservedAmount))
			want.ReservedAmount, want.RefundedAmount = after.pay.ReservedAmount, after.pay.RefundedAmount
			require.Equal(t, want, after.pay, "the pay order's refund fields, version and time change, nothing else")
			require.Len(t, after.refunds, len(before.refunds)+1)
			require.Equal(t, int64(1), after.refunds[len(after.refunds)-1].Version)
			require.Equal(t, before.events+1, after.events)
		})
	}
}

// TestCommitRefundOrderAllOrNothing: a refund's commit writes the refund
// and, when given, its pay order's refund fields, or, when either order's
// version is stale or the change names another pay order, nothing.
func TestCommitRefundOrderAllOrNothing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(r *paysync.RefundOrder, pay *repository.PayRefundChange) *repository.PayRefundChange
		want    *paysync.Error
		payMove bool // the pay order is written
	}{
		{"refund and pay order", func(_ *paysync.RefundOrder, pay *repository.PayRefundChange) *repository.PayRefundChange {
			return pay
		}, nil, true},
		{"refund alone", func(*paysync.RefundOrder, *repository.PayRefundChange) *repository.PayRefundChange {
			return nil
		}, nil, false},
		{"stale refund version", func(r *paysync.RefundOrder, pay *repository.PayRefundChange) *repository.PayRefundChange {
			r.Version--
			return pay
		}, paysync.ErrVersionConflict, false},
		{"stale pay version", func(_ *paysync.RefundOrder, pay *repository.PayRefundChange) *repository.PayRefundChange {
			pay.Version--
			return pay
		}, paysync.ErrVersionConflict, false},
		{"missing refund", func(r *paysync.RefundOrder, pay *repository.PayRefundChange) *repository.PayRefundChange {
			r.RefundNo = "R9"
			return pay
		}, paysync.ErrRefundNotFound, false},
		{"missing pay order", func(r *paysync.RefundOrder, pay *repository.PayRefundChange) *repository.PayRefundChange {
			r.OrderNo, pay.OrderNo = "P9", "P9"
			return pay
		}, paysync.ErrOrderNotFound, false},
		// The refund is stored as P1's; a change of P2 must not book it.
		{"pay order not the refund's", func(r *paysync.RefundOrder, pay *repository.PayRefundChange) *repository.PayRefundChange {
			r.OrderNo, pay.OrderNo = "P2", "P2"
			return pay
		}, paysync.ErrInvalidRequest, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			ctx := context.Background()
			pay := paidOrder(t, s, "P1")
			paidOrder(t, s, "P2")
			require.NoError(t, s.CreateRefundOrder(ctx, refundOrder("R1", "P1"), reserve(pay, "2.00"), repository.Entries{}))
			before := readRefundState(t, s, "P1")
			before2 := readRefundState(t, s, "P2")

			r := before.refunds[0]
			r.Status, r.UpdatedAt, r.FinishedAt = paysync.RefundSuccess, t0.Add(time.Hour), t0.Add(time.Hour)
			change := &repository.PayRefundChange{OrderNo: "P1", Version: before.pay.Version,
				RefundedAmount: decimal.RequireFromString("2.00"), ReservedAmount: decimal.Zero,
				RefundStatus: paysync.PayRefundPartial, UpdatedAt: t0.Add(time.Hour)}
			change = tc.edit(&r, change)
			e := repository.Entries{Events: []paysync.Event{newEvent(paysync.EventRefundSuccess, paysync.TradeRefund, "R1")}}
			err := s.CommitRefundOrder(ctx, r, change, e)

			after := readRefundState(t, s, "P1")
			after2 := readRefundState(t, s, "P2")
			require.Equal(t, before2.pay, after2.pay, "another pay order is never touched")
			require.Equal(t, before2.refunds, after2.refunds)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
				require.Equal(t, before, after, "nothing of either order is stored")
				return
			}
			require.NoError(t, err)
			require.Equal(t, paysync.RefundSuccess, after.refunds[0].Status)
			require.Equal(t, before.refunds[0].Version+1, after.refunds[0].Version)
			require.Equal(t, before.events+1, after.events)
			if !tc.payMove {
				require.Equal(t, before.pay, after.pay, "a nil change leaves the pay order alone")
				return
			}
			require.Equal(t, before.pay.Version+1, after.pay.Version)
			require.True(t, after.pay.RefundedAmount.Equal(decimal.RequireFromString("2.00")))
			require.True(t, after.pay.ReservedAmount.IsZero())
			require.Equal(t, paysync.PayRefundPartial, after.pay.RefundStatus)
		})
	}
}

// TestCreateRefundOrderRace: hosts that all read the pay order at one
// version each create a refund of it at once. One reservation wins; every
// other create is refused and leaves no refund behind.
func TestCreateRefundOrderRace(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pay := paidOrder(t, s, "P1")
	const hosts = 8
	errs := make([]error, hosts)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			no := fmt.Sprintf("R%d", i)
			errs[i] = s.CreateRefundOrder(ctx, refundOrder(no, "P1"), reserve(pay, "2.00"), repository.Entries{
				Events: []paysync.Event{newEvent(paysync.EventRefundCreated, paysync.TradeRefund, no)}})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		require.ErrorIs(t, err, paysync.ErrVersionConflict)
	}
	require.Equal(t, 1, won)
	after := readRefundState(t, s, "P1")
	require.Len(t, after.refunds, 1)
	require.Equal(t, 1, after.events)
	require.Equal(t, pay.Version+1, after.pay.Version)
	require.True(t, after.pay.ReservedAmount.Equal(decimal.RequireFromString("2.00")))
}

// TestCommitRefundOrderLosesToPayWriter holds another transaction's write of
// the pay order while a refund commit runs: the commit writes the refund,
// waits for the pay order's row, finds its version moved on and is refused,
// and its refund write is rolled back with it. The test sees the commit wait
// before it lets the other transaction commit.
func TestCommitRefundOrderLosesToPayWriter(t *testing.T) {
	pool := newPool(t)
	s := pgstore.New(pool)
	ctx := context.Background()
	pay := paidOrder(t, s, "P1")
	require.NoError(t, s.CreateRefundOrder(ctx, refundOrder("R1", "P1"), reserve(pay, "2.00"), repository.Entries{}))
	before := readRefundState(t, s, "P1")

	other, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer other.Rollback(ctx) //nolint:errcheck // committed below
	_, err = other.Exec(ctx, `UPDATE pay_orders SET version = version + 1 WHERE order_no = 'P1'`)
	require.NoError(t, err)

	r := before.refunds[0]
	r.Status, r.UpdatedAt = paysync.RefundClose, t0.Add(time.Hour)
	change := &repository.PayRefundChange{OrderNo: "P1", Version: before.pay.Version,
		RefundedAmount: decimal.Zero, ReservedAmount: decimal.Zero, RefundStatus: paysync.PayRefundNone,
		UpdatedAt: t0.Add(time.Hour)}
	done := make(chan error, 1)
	go func() { done <- s.CommitRefundOrder(ctx, r, change, repository.Entries{}) }()
	waitForLockWait(t, pool, "UPDATE pay_orders SET refunded_amount")
	require.NoError(t, other.Commit(ctx))
	require.ErrorIs(t, <-done, paysync.ErrVersionConflict)

	after := readRefundState(t, s, "P1")
	require.Equal(t, before.refunds, after.refunds, "the refund's write is rolled back with the pay order's")
	require.Equal(t, before.pay.Version+1, after.pay.Version, "only the other writer's change")
	require.True(t, after.pay.ReservedAmount.Equal(before.pay.ReservedAmount))
}
