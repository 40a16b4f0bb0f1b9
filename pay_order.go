package paysync

import (
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
	// RefundedAmount is the money returned: the order's succeeded refunds,
	// plus what the channel reported refunded before any refund order
	// existed (docs/pay-sync.md, footnote 3).
	RefundedAmount decimal.Decimal
	// ReservedAmount is held by refunds in progress or fail.
	ReservedAmount decimal.Decimal
	ExpiredAt      time.Time // zero: never expires
	PaidAt         time.Time
	ClosedAt       time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Version is the optimistic lock: a commit must name the version it read.
	Version  int64
	Schedule Schedule
}

// DefaultCurrency is the currency of an order whose Currency is empty.
const DefaultCurrency = "CNY"

// CurrencyOrDefault returns Currency, or DefaultCurrency when it is empty.
func (o PayOrder) CurrencyOrDefault() string { return currencyOrDefault(o.Currency) }

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

// RefundableBalance is what a new refund may still take: Amount minus
// RefundedAmount and ReservedAmount. It is computed, never stored, and may be
// negative when the channel returned more than was paid (anomaly
// over_refunded).
func (o PayOrder) RefundableBalance() decimal.Decimal {
	return o.Amount.Sub(o.RefundedAmount).Sub(o.ReservedAmount)
}
