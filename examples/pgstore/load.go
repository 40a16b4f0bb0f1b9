package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/paysync/paysync"
)

// payCopyColumns returns the columns LoadPayOrders copies, in the order of
// payCreateArgs with version put after updated_at.
func payCopyColumns() []string {
	return []string{"order_no", "biz_order_no", "out_order_no", "channel", "amount", "currency",
		"status", "refund_status", "refunded_amount", "reserved_amount", "expired_at", "paid_at",
		"closed_at", "created_at", "updated_at", "in_schedule", "next_sync_at", "attempts", "exhausted",
		"version"}
}

// LoadPayOrders stores many new orders at once with COPY, for imports and for
// benchmarks that need a large store: each order as CreatePayOrder would
// store it, all or nothing, in one round trip per batch of rows. It returns
// an error wrapping paysync.ErrInvalidRequest for an order CreatePayOrder
// would refuse, paysync.ErrDuplicate when a number is taken (by a stored
// order or another of orders), paysync.ErrCanceled when ctx ends and
// paysync.ErrInternal when the database fails.
func (s *Store) LoadPayOrders(ctx context.Context, orders []paysync.PayOrder) error {
	const op = "pgstore.LoadPayOrders"
	if err := paysync.ContextError(ctx, op); err != nil {
		return err
	}
	for _, o := range orders {
		if err := validatePayOrder(op, o); err != nil {
			return err
		}
	}
	if len(orders) == 0 {
		return nil
	}
	rows := pgx.CopyFromSlice(len(orders), func(i int) ([]any, error) {
		return append(payCreateArgs(orders[i]), int64(1)), nil
	})
	db, err := s.db(op)
	if err != nil {
		return err
	}
	// COPY cannot travel in inTx's batch: this transaction is pgx's, with a
	// round trip for its BEGIN, and needed for inTx's reason.
	return fail(ctx, op, pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"pay_orders"}, payCopyColumns(), rows)
		return err
	}))
}
