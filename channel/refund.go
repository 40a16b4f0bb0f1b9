package channel

import (
	"context"
	"slices"
	"time"

	"github.com/paysync/paysync"
	"github.com/shopspring/decimal"
)

// RefundQuerier is a Channel that can report what became of a refund.
type RefundQuerier interface {
	// QueryRefund asks the channel what became of refund (by its RefundNo,
	// which the host sent as out_refund_no / out_request_no). It returns a
	// report whose State is one of the RefundState values — RefundNotFound
	// when the channel does not know the refund — or an error when the answer
	// is unknown (timeout, 5xx, bad signature, unmapped state); an error never
	// changes local state. A rate-limit answer must wrap ErrRateLimited.
	// QueryRefund must honour ctx.
	QueryRefund(ctx context.Context, refund paysync.RefundOrder) (RefundReport, error)
}

// RefundReport is a channel's answer about one refund.
type RefundReport struct {
	State RefundState
	// RefundNo is the refund number the channel answered for; empty when
	// not reported.
	RefundNo string
	// OutRefundNo is the channel's own refund number; empty when not reported.
	OutRefundNo string
	// Amount is the refund's own amount; zero when not reported, and zero
	// when the channel reports a cumulative or other figure (Alipay's notice
	// refund_fee is the trade's total refunded, not this refund's).
	Amount decimal.Decimal
	// Currency is empty when not reported.
	Currency   string
	FinishedAt time.Time // zero when not reported
	// ErrorCode and ErrorMsg are the channel's reason for a failed refund.
	ErrorCode string
	ErrorMsg  string
	// Raw is the channel's response, stored in the SyncRecord.
	Raw []byte
}

// RefundState is the channel's view of a refund, mapped from the channel's
// own vocabulary by the adapter (docs/channel.md):
//
//	state      WeChat v3 status             Alipay refund query
//	success    SUCCESS                      refund_status REFUND_SUCCESS
//	progress   PROCESSING                   —
//	closed     CLOSED                       —
//	failed     ABNORMAL                     —
//	not_found  error RESOURCE_NOT_EXISTS    an answer without refund_status
type RefundState string

// Refund states.
const (
	RefundSuccess  RefundState = "success"
	RefundProgress RefundState = "progress"
	RefundClosed   RefundState = "closed"
	RefundFailed   RefundState = "failed"
	RefundNotFound RefundState = "not_found"
)

// RefundStates lists every RefundState.
func RefundStates() []RefundState {
	return []RefundState{RefundSuccess, RefundProgress, RefundClosed, RefundFailed, RefundNotFound}
}

// Valid reports whether s is one of the refund states.
func (s RefundState) Valid() bool { return slices.Contains(RefundStates(), s) }
