package repository

import (
	"context"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// Listings serves the people who answer anomalies (the console): orders of a
// kind by status, by due time or with an ended schedule, a page at a time,
// and the counts of an overview.
type Listings interface {
	// ListOrders returns a page of one kind's orders as q asks. The cost of
	// a page grows with the page, not with the number of orders stored. It
	// returns an error wrapping paysync.ErrInvalidRequest for an unknown
	// TradeType or By, a ByStatus query without a Status, a negative Limit or
	// a cursor this store did not make.
	ListOrders(ctx context.Context, q OrderQuery) (OrderPage, error)

	// CountOrders returns the overview of one kind at now. Unlike the other
	// reads it may cost a scan in a database; it serves a person's overview,
	// never the engine. It returns an error wrapping
	// paysync.ErrInvalidRequest for an unknown TradeType.
	CountOrders(ctx context.Context, tradeType paysync.TradeType, now time.Time) (OrderCounts, error)
}

// Page sizes of ListOrders and ListOpenAnomalies.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// ListBy is how ListOrders selects and orders a page.
type ListBy int

// Listing orders.
const (
	// ByStatus: orders in q.Status, newest first (CreatedAt, then TradeNo,
	// both descending).
	ByStatus ListBy = iota + 1
	// ByDue: orders in the schedule, soonest due first (NextSyncAt, then
	// TradeNo) — the order claims take them in.
	ByDue
	// ByExhausted: orders whose schedule ended (Schedule.Exhausted), newest
	// first (CreatedAt, then TradeNo, both descending).
	ByExhausted
)

// OrderQuery selects a page of orders of one kind.
type OrderQuery struct {
	TradeType paysync.TradeType
	By        ListBy
	Status    string // for ByStatus: a status of TradeType's kind
	Cursor    string // OrderPage.Next of the page before; empty: the first page
	Limit     int    // 0: DefaultPageSize; above MaxPageSize: MaxPageSize
}

// OrderPage is one page of orders. Next is the cursor of the page that
// follows, empty when this is the last.
type OrderPage struct {
	Orders []OrderSummary
	Next   string
}

// OrderSummary is an order of any kind as a list shows it; the order itself
// is a Get away.
type OrderSummary struct {
	TradeType paysync.TradeType
	TradeNo   string // OrderNo, AllocationNo, RefundNo or TransferNo
	BizNo     string
	OutNo     string
	Channel   string
	Amount    decimal.Decimal
	Currency  string // as stored: empty means paysync.DefaultCurrency
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
	Schedule  paysync.Schedule
}

// OrderCounts is the overview of one kind of order.
type OrderCounts struct {
	// ByStatus counts orders per status; statuses with no order are absent.
	ByStatus map[string]int
	// Due counts orders in the schedule whose NextSyncAt <= now; OldestDue
	// is the earliest such NextSyncAt, zero when none is due.
	Due       int
	OldestDue time.Time
	// Exhausted counts orders whose schedule ended.
	Exhausted int
	// OpenAnomalies counts the open anomalies of this kind.
	OpenAnomalies int
}
