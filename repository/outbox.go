package repository

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/paysync/paysync"
)

// Outbox holds the events commits wrote, for the host to deliver.
type Outbox interface {
	// ListEvents returns the events that match f in the order they were
	// committed (within one commit, in the order given); an empty slice when
	// none match. In a database, commits running at the same time may become
	// visible out of that order: a host delivers what UndeliveredOnly lists
	// and marks it by id, rather than remembering where it stopped.
	ListEvents(ctx context.Context, f EventFilter) ([]paysync.Event, error)

	// MarkDelivered sets DeliveredAt to at on the events with the given ids
	// that are not yet delivered. Unknown ids and events already delivered are
	// passed over without error, so a delivery retry is harmless. It returns
	// an error wrapping paysync.ErrInvalidRequest, and marks nothing, when at
	// is zero: a zero DeliveredAt means "not delivered".
	MarkDelivered(ctx context.Context, at time.Time, ids ...uuid.UUID) error
}

// EventFilter selects events. A zero field matches everything; Limit 0 means
// no limit.
type EventFilter struct {
	TradeType       paysync.TradeType
	TradeNo         string
	UndeliveredOnly bool
	Limit           int
}
