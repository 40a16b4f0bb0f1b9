package paysync

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// PayOrder is a payment the host sent (or is about to send) to a channel.
type PayOrder struct {
	OrderNo      string          // system number, unique
	BizOrderNo   string          // merchant number, unique
	OutOrderNo   string          // the channel's trade number, empty until known
	Channel      string          // channel name in the Registry; empty while wait and not yet routed
	Amount       decimal.Decimal // order total in major units (yuan)
	Currency     string          // ISO 4217; empty means DefaultCurrency
	Status       PayStatus
	RefundStatus PayRefundStatus // empty means PayRefundNone
	ExpiredAt    time.Time       // zero: never expires
	PaidAt       time.Time
	ClosedAt     time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Version is the optimistic lock: a commit must name the version it read.
	Version int64
	// Announced holds the anomaly codes already announced by an event, so each
	// code is announced once per order.
	Announced []AnomalyCode
	Schedule  Schedule
}

// DefaultCurrency is the currency of an order whose Currency is empty.
const DefaultCurrency = "CNY"

// CurrencyOrDefault returns Currency, or DefaultCurrency when it is empty.
func (o PayOrder) CurrencyOrDefault() string {
	if o.Currency == "" {
		return DefaultCurrency
	}
	return o.Currency
}

// Scheduled reports whether the sweeper syncs orders in o's status: wait
// orders that have a channel, and progress orders. A fail order came from a
// definitive channel answer and is synced on demand only.
func (o PayOrder) Scheduled() bool {
	switch o.Status {
	case PayProgress:
		return true
	case PayWait:
		return o.Channel != ""
	}
	return false
}

// Expired reports whether the order has an expiry and it has passed at now.
func (o PayOrder) Expired(now time.Time) bool {
	return !o.ExpiredAt.IsZero() && !now.Before(o.ExpiredAt)
}

// HasAnnounced reports whether an event already announced code for o.
func (o PayOrder) HasAnnounced(code AnomalyCode) bool { return slices.Contains(o.Announced, code) }

// Clone returns a copy of o that shares no memory with it.
func (o PayOrder) Clone() PayOrder {
	o.Announced = slices.Clone(o.Announced)
	return o
}
