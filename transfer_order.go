package paysync

import (
	"time"

	"github.com/shopspring/decimal"
)

// TransferOrder is a payout to a person's wallet or a merchant account.
type TransferOrder struct {
	// TransferNo is the system number, unique: the number the host sends to
	// the channel.
	TransferNo    string
	BizTransferNo string // merchant number, unique
	OutTransferNo string // the channel's number, empty until known
	Channel       string
	Amount        decimal.Decimal
	Currency      string // empty means DefaultCurrency
	// PayeeType is the channel's own kind of account (WeChat openid, Alipay
	// ALIPAY_USER_ID, …), compared with what the channel reports as a string.
	PayeeType    string
	PayeeAccount string
	PayeeName    string
	Reason       string
	Status       TransferStatus
	FinishedAt   time.Time // when it became success, close or fail
	ErrorCode    string    // the channel's failure reason, for fail
	ErrorMsg     string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Version is the optimistic lock: a commit must name the version it read.
	Version  int64
	Schedule Schedule
}

// CurrencyOrDefault returns Currency, or DefaultCurrency when it is empty.
func (o TransferOrder) CurrencyOrDefault() string { return currencyOrDefault(o.Currency) }

// Scheduled reports whether the sweeper syncs transfers in o's status: those
// in progress. A fail transfer waits for its host or a person.
func (o TransferOrder) Scheduled() bool { return o.Status == TransferProgress }
