package memstore

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// ListEvents returns copies of the events that match f, in the order they
// were committed; an empty slice when none match. It returns an error
// wrapping paysync.ErrInvalidRequest when f.Limit is negative, and an error
// wrapping ctx's error when ctx has ended.
func (s *Store) ListEvents(ctx context.Context, f repository.EventFilter) ([]paysync.Event, error) {
	const op = "memstore.ListEvents"
	if err := checkList(ctx, op, f.Limit); err != nil {
		return nil, err
	}
	out := []paysync.Event{}
	s.mu.RLock()
	defer s.mu.RUnlock()
	from := 0
	if f.UndeliveredOnly {
		from = s.log.undelivered
	}
	s.log.events.each(s.listHeads(f.TradeNo).event, from, func(row *eventRow) bool {
		rec := s.log.blobs.get(row.at)
		if isTradeType(rec[len(uuid.Nil):], f.TradeType) && (!f.UndeliveredOnly || !row.delivered) {
			out = append(out, s.log.event(row))
		}
		return f.Limit == 0 || len(out) < f.Limit
	})
	return out, nil
}

// MarkDelivered sets DeliveredAt to at (in UTC, truncated to microseconds) on
// the events with the given ids that are not yet delivered; unknown ids and
// delivered events are passed over. It returns an error wrapping
// paysync.ErrInvalidRequest when at is zero (a zero DeliveredAt means "not
// delivered"), and an error wrapping ctx's error when ctx has ended.
func (s *Store) MarkDelivered(ctx context.Context, at time.Time, ids ...uuid.UUID) error {
	const op = "memstore.MarkDelivered"
	if err := alive(ctx, op); err != nil {
		return err
	}
	at = utc(at)
	if at.IsZero() {
		return paysync.Ef(op, paysync.ErrInvalidRequest, "delivery time is zero", nil)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	events := &s.log.events
	for _, id := range ids {
		if p, ok := s.log.eventIDs.find(id); ok && !events.at(p).v.delivered {
			events.at(p).v.deliver(at)
		}
	}
	for s.log.undelivered < events.len() && events.at(s.log.undelivered).v.delivered {
		s.log.undelivered++
	}
	return nil
}
