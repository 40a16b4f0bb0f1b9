package paysync

import (
	"time"

	"github.com/google/uuid"
)

// EventType is the type of an outbox event.
type EventType string

// Status event types: exactly one per status change.
const (
	EventPaySuccess        EventType = "pay.success"
	EventPayClosed         EventType = "pay.closed"
	EventPayCancelled      EventType = "pay.cancelled"
	EventPayFailed         EventType = "pay.failed"
	EventPayProgress       EventType = "pay.progress"         // wait → progress
	EventPayPaidAfterClose EventType = "pay.paid_after_close" // close/cancel → success
	EventAllocationEnd     EventType = "allocation.end"
	EventAllocationProcess EventType = "allocation.processing" // failed → processing
	EventAllocReceiver     EventType = "allocation.receiver"   // a receiver's result became final
)

// Other event types, counted apart from status events.
const (
	EventPayAnomaly        EventType = "pay.anomaly"        // once per order and code
	EventAllocationAnomaly EventType = "allocation.anomaly" // once per order and code
	EventSyncExhausted     EventType = "sync.exhausted"     // once, when the schedule ends
)

// StatusEventTypes lists the event types that announce a state change.
func StatusEventTypes() []EventType {
	return []EventType{EventPaySuccess, EventPayClosed, EventPayCancelled, EventPayFailed,
		EventPayProgress, EventPayPaidAfterClose, EventAllocationEnd, EventAllocationProcess,
		EventAllocReceiver}
}

// EventTypes lists every event type.
func EventTypes() []EventType {
	return append(StatusEventTypes(), EventPayAnomaly, EventAllocationAnomaly, EventSyncExhausted)
}

// IsStatus reports whether t announces a state change.
func (t EventType) IsStatus() bool {
	switch t {
	case EventPayAnomaly, EventAllocationAnomaly, EventSyncExhausted:
		return false
	}
	return t.Valid()
}

// Valid reports whether t is one of the event types.
func (t EventType) Valid() bool {
	for _, v := range EventTypes() {
		if v == t {
			return true
		}
	}
	return false
}

// Event is an outbox row, committed with the change it announces. Payload is
// JSON: the order's state after the change (for pay orders including
// RefundStatus), and for anomaly events the code.
type Event struct {
	ID          uuid.UUID
	Type        EventType
	TradeType   TradeType
	TradeNo     string
	Payload     []byte
	CreatedAt   time.Time
	DeliveredAt time.Time // zero until delivered
}
