package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/paysync/paysync"
)

// payCopyColumns returns the columns LoadPayOrders copies, in its row order.
func payCopyColumns() []string {
	return []string{"order_no", "biz_order_no", "out_order_no", "channel", "amount",
		"currency", "status", "refund_status", "expired_at", "paid_at", "closed_at", "created_at",
		"updated_at", "version", "announced", "in_schedule", "next_sync_at", "attempts", "exhausted"}
}

// LoadPayOrders stores many new orders at once with COPY, for imports and for
// benchmarks that need a large store: each order as CreatePayOrder would
// store it, all or nothing, in one round trip per batch of rows. It returns
// an error wrapping paysync.ErrInvalidRequest when an order lacks OrderNo or
// BizOrderNo, paysync.ErrDuplicate when a number is taken (by a stored order
// or another of orders), and paysync.ErrInternal when the database fails.
func (s *Store) LoadPayOrders(ctx context.Context, orders []paysync.PayOrder) error {
	const op = "pgstore.LoadPayOrders"
	for _, o := range orders {
		if o.OrderNo == "" || o.BizOrderNo == "" {
			return paysync.Ef(op, paysync.ErrInvalidRequest, "order number and merchant order number are required", nil)
		}
	}
	db, err := s.db(op)
	if err != nil {
		return err
	}
	rows := pgx.CopyFromSlice(len(orders), func(i int) ([]any, error) {
		o := orders[i]
		in, next := schedule(o.Scheduled(), o.Schedule, o.CreatedAt)
		return []any{o.OrderNo, o.BizOrderNo, o.OutOrderNo, o.Channel, o.Amount.String(), o.Currency,
			string(o.Status), string(o.RefundStatus), ts(o.ExpiredAt), ts(o.PaidAt), ts(o.ClosedAt),
			ts(o.CreatedAt), ts(o.UpdatedAt), int64(1), codesArg(o.Announced), in, next,
			int64(o.Schedule.Attempts), o.Schedule.Exhausted}, nil
	})
	_, err = db.CopyFrom(ctx, pgx.Identifier{"pay_orders"}, payCopyColumns(), rows)
	return fail(ctx, op, err)
}
