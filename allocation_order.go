package paysync

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// AllocationOrder splits a paid order's money among receivers.
type AllocationOrder struct {
	AllocationNo    string // system number, unique
	BizAllocationNo string // merchant number, unique
	OutAllocationNo string // the channel's number, empty until known
	OrderNo         string // the pay order's system number
	OutOrderNo      string // the pay order's channel trade number
	Channel         string
	Amount          decimal.Decimal
	Currency        string // the pay order's; empty means DefaultCurrency
	Status          AllocationStatus
	Result          AllocationResult
	Receivers       []AllocationReceiver
	FinishedAt      time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int64
	Schedule        Schedule
}

// AllocationReceiver is one share of an allocation order.
type AllocationReceiver struct {
	ReceiverNo   string
	ReceiverType string // e.g. merchant_no, openid, login_name
	Account      string
	Name         string
	Amount       decimal.Decimal
	Result       ReceiverResult
	OutDetailID  string // the channel's id of this share, learned by sync
	ErrorCode    string
	ErrorMsg     string
	FinishedAt   time.Time
}

// Scheduled reports whether the sweeper syncs orders in o's status.
func (o AllocationOrder) Scheduled() bool {
	return o.Status == AllocProcessing || o.Status == AllocFailed
}

// CurrencyOrDefault returns Currency, or DefaultCurrency when it is empty.
func (o AllocationOrder) CurrencyOrDefault() string { return currencyOrDefault(o.Currency) }

// Clone returns a copy of o that shares no memory with it.
func (o AllocationOrder) Clone() AllocationOrder {
	o.Receivers = slices.Clone(o.Receivers)
	return o
}
