package pgstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/paysync/paysync"
	"github.com/paysync/paysync/examples/pgstore"
	"github.com/paysync/paysync/repository"
	"github.com/stretchr/testify/require"
)

// TestContextEndsMidCall ends a call's ctx while the call waits: inside the
// database for a row another transaction holds (in a one-statement commit,
// and in the second statement of a two-order transaction), or for a
// connection of an exhausted pool. Each call returns ErrCanceled wrapping
// ctx's error, and a write stores nothing.
func TestContextEndsMidCall(t *testing.T) {
	commit := func(ctx context.Context, s *pgstore.Store, o paysync.PayOrder) error {
		o.Status = paysync.PayClose
		return s.CommitPayOrder(ctx, o, repository.Entries{Sync: newSync(paysync.TradePay, "P1"),
			Events: []paysync.Event{newEvent(paysync.EventPayClosed, paysync.TradePay, "P1")}})
	}
	createRefund := func(ctx context.Context, s *pgstore.Store, o paysync.PayOrder) error {
		return s.CreateRefundOrder(ctx, refundOrder("R1", "P1"), reserve(o, "2.00"), repository.Entries{
			Events: []paysync.Event{newEvent(paysync.EventRefundCreated, paysync.TradeRefund, "R1")}})
	}
	read := func(ctx context.Context, s *pgstore.Store, _ paysync.PayOrder) error {
		_, err := s.GetPayOrder(ctx, "P1")
		return err
	}
	for _, tc := range []struct {
		name string
		// waitsOn is the statement the call waits in, found in the server's
		// view of its sessions and then cancelled; "" for a wait on the
		// pool, which ends with a deadline.
		waitsOn string
		call    func(ctx context.Context, s *pgstore.Store, o paysync.PayOrder) error
	}{
		{"commit waits for the order's row", "UPDATE pay_orders SET out_order_no", commit},
		{"refund create waits for the pay order's row", "UPDATE pay_orders SET refunded_amount", createRefund},
		{"commit waits for a connection", "", commit},
		{"refund create waits for a connection", "", createRefund},
		{"read waits for a connection", "", read},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Three connections: the holder's, the call's and the test's
			// look at the server's sessions.
			pool := newSchema(t).open(3)
			s := pgstore.New(pool)
			bg := context.Background()
			o := payOrder("P1")
			o.Status = paysync.PaySuccess // refundable, out of the schedule
			require.NoError(t, s.CreatePayOrder(bg, o))
			stored, err := s.GetPayOrder(bg, "P1")
			require.NoError(t, err)

			// Hold what the call will wait for: P1's row, or every
			// connection of the pool.
			holder, err := pool.Acquire(bg)
			require.NoError(t, err)
			tx, err := holder.Begin(bg)
			require.NoError(t, err)
			_, err = tx.Exec(bg, `SELECT 1 FROM pay_orders WHERE order_no = 'P1' FOR UPDATE`)
			require.NoError(t, err)

			var cause error
			done := make(chan error, 1)
			if tc.waitsOn == "" {
				second, err := pool.Acquire(bg)
				require.NoError(t, err)
				third, err := pool.Acquire(bg)
				require.NoError(t, err)
				ctx, cancel := context.WithTimeout(bg, 20*time.Millisecond)
				defer cancel()
				done <- tc.call(ctx, s, stored)
				second.Release()
				third.Release()
				cause = context.DeadlineExceeded
			} else {
				ctx, cancel := context.WithCancel(bg)
				defer cancel()
				go func() { done <- tc.call(ctx, s, stored) }()
				waitForLockWait(t, pool, tc.waitsOn)
				cancel()
				cause = context.Canceled
			}
			err = <-done
			require.ErrorIs(t, err, paysync.ErrCanceled)
			require.ErrorIs(t, err, cause)
			var pe *paysync.Error
			require.True(t, errors.As(err, &pe))

			require.NoError(t, tx.Rollback(bg))
			holder.Release()
			after, err := s.GetPayOrder(bg, "P1")
			require.NoError(t, err)
			require.Equal(t, stored, after, "nothing of the order is written")
			refunds, err := s.ListRefundOrders(bg, "P1")
			require.NoError(t, err)
			require.Empty(t, refunds)
			events, err := s.ListEvents(bg, repository.EventFilter{})
			require.NoError(t, err)
			require.Empty(t, events)
		})
	}
}
