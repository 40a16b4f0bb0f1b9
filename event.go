package paysync

import (
	"slices"
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

	EventRefundSuccess           EventType = "refund.success"
	EventRefundClosed            EventType = "refund.closed"
	EventRefundFailed            EventType = "refund.failed"
	EventRefundProgress          EventType = "refund.progress"            // fail or close → progress
	EventRefundSuccessAfterClose EventType = "refund.success_after_close" // close → success

	EventTransferSuccess           EventType = "transfer.success"
	EventTransferClosed            EventType = "transfer.closed"
	EventTransferFailed            EventType = "transfer.failed"
	EventTransferProgress          EventType = "transfer.progress"            // fail or close → progress
	EventTransferSuccessAfterClose EventType = "transfer.success_after_close" // close → success
)

// Other event types, counted apart from status events.
const (
	// An anomaly opened: first seen, or seen again after a person resolved it.
	EventPayAnomaly        EventType = "pay.anomaly"
	EventAllocationAnomaly EventType = "allocation.anomaly"
	EventRefundAnomaly     EventType = "refund.anomaly"
	EventTransferAnomaly   EventType = "transfer.anomaly"
	EventAnomalyResolved   EventType = "anomaly.resolved" // a person resolved one
	EventRefundCreated     EventType = "refund.created"   // CreateRefund recorded a refund and reserved its amount
	EventSyncExhausted     EventType = "sync.exhausted"   // once, when the schedule ends
)

// StatusEventTypes lists the event types that announce a state change.
func StatusEventTypes() []EventType {
	return []EventType{EventPaySuccess, EventPayClosed, EventPayCancelled, EventPayFailed,
		EventPayProgress, EventPayPaidAfterClose, EventAllocationEnd, EventAllocationProcess,
		EventAllocReceiver,
		EventRefundSuccess, EventRefundClosed, EventRefundFailed, EventRefundProgress, EventRefundSuccessAfterClose,
		EventTransferSuccess, EventTransferClosed, EventTransferFailed, EventTransferProgress,
		EventTransferSuccessAfterClose}
}

// otherEventTypes lists the event types that announce no state change.
func otherEventTypes() []EventType {
	return []EventType{EventPayAnomaly, EventAllocationAnomaly, EventRefundAnomaly, EventTransferAnomaly,
		EventAnomalyResolved, EventRefundCreated, EventSyncExhausted}
}

// EventTypes lists every event type.
func EventTypes() []EventType {
	return append(StatusEventTypes(), otherEventTypes()...)
}

// IsStatus reports whether t announces a state change.
func (t EventType) IsStatus() bool { return slices.Contains(StatusEventTypes(), t) }

// Valid reports whether t is one of the event types.
func (t EventType) Valid() bool { return slices.Contains(EventTypes(), t) }

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
