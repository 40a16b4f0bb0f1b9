package channel

import (
	"context"
	"slices"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// TransferQuerier is a Channel that can report what became of a payout.
type TransferQuerier interface {
	// QueryTransfer asks the channel what became of transfer (by its
	// TransferNo). It returns a report whose State is one of the
	// TransferState values — TransferNotFound when the channel does not know
	// the transfer — or an error when the answer is unknown; an error never
	// changes local state. A rate-limit answer must wrap ErrRateLimited.
	// QueryTransfer must honour ctx.
	QueryTransfer(ctx context.Context, transfer paysync.TransferOrder) (TransferReport, error)
}

// TransferReport is a channel's answer about one transfer.
type TransferReport struct {
	State TransferState
	// TransferNo is the transfer number the channel answered for; empty when
	// not reported.
	TransferNo string
	// OutTransferNo is the channel's own number; empty when not reported.
	OutTransferNo string
	// Amount is zero when not reported; Currency empty when not reported.
	Amount   decimal.Decimal
	Currency string
	// PayeeType and PayeeAccount name who the channel pays, in the channel's
	// own terms (WeChat openid, Alipay ALIPAY_USER_ID); empty when not
	// reported.
	PayeeType    string
	PayeeAccount string
	FinishedAt   time.Time // zero when not reported
	// ErrorCode and ErrorMsg are the channel's failure reason.
	ErrorCode string
	ErrorMsg  string
	// Raw is the channel's response, stored in the SyncRecord.
	Raw []byte
}

// TransferState is the channel's view of a transfer, mapped by the adapter
// (docs/channel.md):
//
//	state      WeChat transfer bill state                          Alipay status
//	success    SUCCESS                                             SUCCESS
//	progress   ACCEPTED PROCESSING WAIT_USER_CONFIRM TRANSFERING   DEALING WAIT_PAY
//	           CANCELING
//	closed     CANCELLED                                           CLOSED, REFUND
//	failed     FAIL                                                FAIL
//	not_found  error NOT_FOUND                                     ORDER_NOT_EXIST
type TransferState string

// Transfer states.
const (
	TransferSuccess  TransferState = "success"
	TransferProgress TransferState = "progress"
	TransferClosed   TransferState = "closed"
	TransferFailed   TransferState = "failed"
	TransferNotFound TransferState = "not_found"
)

// TransferStates lists every TransferState.
func TransferStates() []TransferState {
	return []TransferState{TransferSuccess, TransferProgress, TransferClosed, TransferFailed, TransferNotFound}
}

// Valid reports whether s is one of the transfer states.
func (s TransferState) Valid() bool { return slices.Contains(TransferStates(), s) }
