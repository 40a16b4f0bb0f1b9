package pgstore

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

const (
	listEventsSQL = `SELECT id, type, trade_type, trade_no, payload, created_at, delivered_at FROM events`

	markDeliveredSQL = `UPDATE events SET delivered_at = $1 WHERE id = ANY ($2) AND delivered_at IS NULL`
)

// ListEvents returns the events that match f in the order they were committed
// (events_undelivered serves the outbox poll); an empty slice when none
// match. It returns an error wrapping paysync.ErrInternal when the database
// fails.
func (s *Store) ListEvents(ctx context.Context, f repository.EventFilter) ([]paysync.Event, error) {
	var w where
	w.eq("trade_type", string(f.TradeType))
	w.eq("trade_no", f.TradeNo)
	if f.UndeliveredOnly {
		w.is("delivered_at IS NULL")
	}
	return list(ctx, s, "pgstore.ListEvents", listEventsSQL, w, f.Limit, scanEvent)
}

// scanEvent reads one row of listEventsSQL.
func scanEvent(row pgx.CollectableRow) (paysync.Event, error) {
	var (
		e                  paysync.Event
		typ, tradeType     string
		created, delivered pgtype.Timestamptz
	)
	err := row.Scan(&e.ID, &typ, &tradeType, &e.TradeNo, &e.Payload, &created, &delivered)
	e.Type, e.TradeType = paysync.EventType(typ), paysync.TradeType(tradeType)
	e.CreatedAt, e.DeliveredAt = timeOf(created), timeOf(delivered)
	return e, err
}

// MarkDelivered sets DeliveredAt to at on the undelivered events among ids;
// unknown and already delivered ids are passed over. It returns an error
// wrapping paysync.ErrInvalidRequest when at is zero (it would read back as
// "not delivered" while the database counts the event delivered), and one
// wrapping paysync.ErrInternal when the database fails.
func (s *Store) MarkDelivered(ctx context.Context, at time.Time, ids ...uuid.UUID) error {
	const op = "pgstore.MarkDelivered"
	if err := paysync.ContextError(ctx, op); err != nil {
		return err
	}
	if at.IsZero() {
		return paysync.Ef(op, paysync.ErrInvalidRequest, "delivery time is zero", nil)
	}
	if len(ids) == 0 {
		return nil
	}
	return s.inTx(ctx, op, func(b *pgx.Batch) { b.Queue(markDeliveredSQL, tsAlways(at), ids) }, nil)
}
