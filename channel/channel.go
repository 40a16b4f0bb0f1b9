// Package channel is the port to a payment channel (WeChat Pay, Alipay, …):
// what a gateway adapter must answer, and the optional capabilities the engine
// finds by type assertion, as database/sql/driver grows.
package channel

import (
	"context"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// Channel is a payment gateway adapter. It must be safe for concurrent use.
type Channel interface {
	// Name returns the name orders carry in their Channel field.
	Name() string
	// QueryPay asks the channel what became of order. It returns a report
	// whose State is one of the PayState values, or an error when the answer
	// is unknown: a timeout, a 5xx, a bad signature, an unmapped state. An error
	// never changes local state. A rate-limit answer must wrap ErrRateLimited.
	// QueryPay must honour ctx.
	QueryPay(ctx context.Context, order paysync.PayOrder) (PayReport, error)
}

// PayCloser is a Channel that can close an unpaid trade.
type PayCloser interface {
	// ClosePay closes order's trade at the channel. It returns nil when the
	// trade is closed there (also when it already was); ErrAlreadyPaid when the
	// channel refuses because the trade is paid (the engine queries again);
	// ErrTradeNotExist when the channel has no such trade (the engine treats
	// it as closed); any other error when the outcome is unknown (no local
	// change). ClosePay must honour ctx.
	ClosePay(ctx context.Context, order paysync.PayOrder) error
}

// PayReport is a channel's answer about one pay order.
type PayReport struct {
	State PayState
	// OrderNo is the order number the channel answered for; empty when the
	// channel did not report it.
	OrderNo string
	// OutOrderNo is the channel's trade number; empty when not reported.
	OutOrderNo string
	// Amount is the order total the channel recorded (WeChat amount.total,
	// Alipay total_amount), never what the payer paid after discounts; zero
	// when not reported.
	Amount decimal.Decimal
	// Currency is empty when not reported.
	Currency string
	// RefundedAmount is the amount refunded at the channel; zero when not
	// reported.
	RefundedAmount decimal.Decimal
	PaidAt         time.Time
	// Raw is the channel's response, stored in the SyncRecord.
	Raw []byte
}

// PayState is the channel's view of a pay order, mapped from the channel's
// own vocabulary by the adapter.
type PayState string

// Pay states.
const (
	PaySuccess   PayState = "success"   // WeChat SUCCESS; Alipay TRADE_SUCCESS, TRADE_FINISHED
	PayProgress  PayState = "progress"  // NOTPAY, USERPAYING, ACCEPT; WAIT_BUYER_PAY
	PayClosed    PayState = "closed"    // CLOSED; TRADE_CLOSED without send_pay_date
	PayCancelled PayState = "cancelled" // REVOKED
	PayFailed    PayState = "failed"    // PAYERROR
	PayRefunded  PayState = "refunded"  // REFUND; TRADE_CLOSED with send_pay_date
	// PayNotFound: the channel definitively has no such trade (ORDER_NOT_EXIST).
	PayNotFound PayState = "not_found"
	// PayNotFoundUnknown: not created yet, the payer has not acted
	// (Alipay ACQ.TRADE_NOT_EXIST).
	PayNotFoundUnknown PayState = "not_found_unknown"
)

// PayStates lists every PayState.
func PayStates() []PayState {
	return []PayState{PaySuccess, PayProgress, PayClosed, PayCancelled, PayFailed, PayRefunded,
		PayNotFound, PayNotFoundUnknown}
}

// Valid reports whether s is one of the pay states.
func (s PayState) Valid() bool {
	for _, v := range PayStates() {
		if v == s {
			return true
		}
	}
	return false
}
