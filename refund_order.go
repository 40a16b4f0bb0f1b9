package paysync

import (
	"time"

	"github.com/shopspring/decimal"
)

// RefundOrder is money a host returns, or is about to return, from a paid
// pay order. Several refunds of one pay order may be in flight at once; the
// pay order's RefundedAmount and ReservedAmount account for them
// (docs/refund-sync.md).
type RefundOrder struct {
	// RefundNo is the system number, unique. It is the number the host sends
	// to the channel (WeChat out_refund_no, Alipay out_request_no).
	RefundNo    string
	BizRefundNo string // merchant number, unique
	OutRefundNo string // the channel's refund number, empty until known
	OrderNo     string // the pay order's system number
	Channel     string // the pay order's channel
	Amount      decimal.Decimal
	Currency    string // the pay order's; empty means DefaultCurrency
	Reason      string
	Status      RefundOrderStatus
	// Watched is set on a refund closed because the channel did not know it:
	// a late channel call may still move its money, so the sweeper keeps
	// asking on the refund timetable's long steps. It is cleared when the
	// watch ends or the refund leaves close.
	Watched    bool
	FinishedAt time.Time // when it became success, close or fail
	ErrorCode  string    // the channel's failure code, for fail
	ErrorMsg   string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Version is the optimistic lock: a commit must name the version it read.
	Version  int64
	Schedule Schedule
}

// CurrencyOrDefault returns Currency, or DefaultCurrency when it is empty.
func (o RefundOrder) CurrencyOrDefault() string { return currencyOrDefault(o.Currency) }

// Scheduled reports whether the sweeper syncs refunds in o's state: those in
// progress, and closed ones still watched. A fail refund waits for its host
// (to send it again) or a person.
func (o RefundOrder) Scheduled() bool {
	return o.Status == RefundProgress || o.Status == RefundClose && o.Watched
}
