package memstore

import (
	"context"
	"iter"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// ListEvents returns the events that match f in the order committed.
func (s *Store) ListEvents(ctx context.Context, f repository.EventFilter) ([]paysync.Event, error) {
	const op = "memstore.ListEvents"
	return view(ctx, s, op, func() ([]paysync.Event, error) {
		positions := s.events.positions(f.TradeNo)
		if f.TradeNo == "" && f.UndeliveredOnly {
			positions = iter.Seq[int](func(yield func(int) bool) { s.undelivered.Ascend(yield) })
		}
		match := func(ev *paysync.Event) bool {
			return (f.TradeType == "" || ev.TradeType == f.TradeType) && (!f.UndeliveredOnly || ev.DeliveredAt.IsZero())
		}
		return s.events.list(op, positions, f.Limit, match, copyEvent)
	})
}

// MarkDelivered sets DeliveredAt to at on the events with ids that are not
// yet delivered, passing over the others.
func (s *Store) MarkDelivered(ctx context.Context, at time.Time, ids ...uuid.UUID) error {
	const op = "memstore.MarkDelivered"
	return s.update(ctx, op, func() error {
		if at = utc(at); at.IsZero() {
			return invalid(op, "a zero delivery time means not delivered")
		}
		for _, id := range ids {
			if p, ok := s.events.at[id]; ok && s.events.rows[p].DeliveredAt.IsZero() {
				s.events.rows[p].DeliveredAt = at
				s.undelivered.Delete(p)
			}
		}
		return nil
	})
}
