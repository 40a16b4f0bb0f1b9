package paysync

import (
	"context"
	"errors"
	"strings"
)

// Code classifies an error for hosts: it decides the HTTP or wire answer.
type Code string

// Error codes: a closed set.
const (
	CodeInvalid     Code = "invalid"     // the request is malformed
	CodeNotFound    Code = "not_found"   // the order does not exist
	CodeConflict    Code = "conflict"    // a duplicate, or someone else wrote first
	CodeBusy        Code = "busy"        // another sync holds the order; retry later
	CodeUnavailable Code = "unavailable" // the channel could not answer, or cannot do this
	CodeState       Code = "state"       // the order's state does not allow the operation
	CodeCanceled    Code = "canceled"    // the caller's ctx ended before the call finished
	CodeInternal    Code = "internal"    // a bug, a misconfiguration or a store failure
)

// Codes lists every Code.
func Codes() []Code {
	return []Code{CodeInvalid, CodeNotFound, CodeConflict, CodeBusy, CodeUnavailable, CodeState, CodeCanceled, CodeInternal}
}

// Error is the error every paysync package returns. It wraps a sentinel (so
// errors.Is(err, ErrOrderNotFound) holds) and, where there is one, the cause
// (so errors.Is(err, context.DeadlineExceeded) holds too).
type Error struct {
	Code    Code
	Op      string // the operation that failed, e.g. "syncer.SyncPay"
	Message string // a message a host may show its merchant
	Err     error  // the cause, may be nil

	kind *Error // the sentinel this error is an instance of; nil for a sentinel
}

// Error renders "op: message: cause", leaving out empty parts.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the sentinel and the cause, so errors.Is finds either.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.kind != nil {
		errs = append(errs, e.kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// E returns an error of sentinel's kind for op, wrapping cause (which may be
// nil). A nil sentinel is taken as ErrInternal.
func E(op string, sentinel *Error, cause error) *Error {
	if sentinel == nil {
		sentinel = ErrInternal
	}
	if sentinel.kind != nil { // an instance was passed: keep its sentinel
		sentinel = sentinel.kind
	}
	return &Error{Code: sentinel.Code, Op: op, Message: sentinel.Message, Err: cause, kind: sentinel}
}

// Ef is E with a message of its own instead of the sentinel's.
func Ef(op string, sentinel *Error, message string, cause error) *Error {
	e := E(op, sentinel, cause)
	e.Message = message
	return e
}

// Sentinels: compare with errors.Is. Two sentinels may share a Code; the
// Code decides a host's wire answer, the sentinel tells the case.
var (
	ErrInvalidRequest     = &Error{Code: CodeInvalid, Message: "invalid request"}
	ErrOrderNotFound      = &Error{Code: CodeNotFound, Message: "支付订单不存在"}
	ErrAllocationNotFound = &Error{Code: CodeNotFound, Message: "分账单不存在"}
	ErrRefundNotFound     = &Error{Code: CodeNotFound, Message: "退款订单不存在"}
	ErrTransferNotFound   = &Error{Code: CodeNotFound, Message: "转账订单不存在"}
	ErrRecordNotFound     = &Error{Code: CodeNotFound, Message: "sync record not found"}
	ErrSyncInProgress     = &Error{Code: CodeBusy, Message: "sync in progress"}
	ErrChannelUnavailable = &Error{Code: CodeUnavailable, Message: "channel unavailable"}
	ErrUnknownChannel     = &Error{Code: CodeInternal, Message: "unknown channel"}
	ErrUnsupported        = &Error{Code: CodeUnavailable, Message: "channel does not support this operation"}
	ErrOrderNotStarted    = &Error{Code: CodeState, Message: "order not sent to a channel yet"}
	ErrVersionConflict    = &Error{Code: CodeConflict, Message: "version conflict"}
	ErrDuplicate          = &Error{Code: CodeConflict, Message: "duplicate"}
	ErrInvalidTransition  = &Error{Code: CodeState, Message: "invalid state transition"}
	// ErrInsufficientBalance: a refund asks for more than the pay order's
	// refundable balance.
	ErrInsufficientBalance = &Error{Code: CodeState, Message: "退款金额超过可退余额"}
	// ErrOpenAnomaly: a person must resolve an open anomaly of the order
	// before this operation.
	ErrOpenAnomaly = &Error{Code: CodeState, Message: "order has an open anomaly a person must resolve first"}
	// ErrCanceled: the caller's ctx ended, whatever step the call was in (a
	// lock wait, a channel call, a store call). It wraps ctx's error, so
	// errors.Is(err, context.Canceled) or context.DeadlineExceeded holds too.
	ErrCanceled = &Error{Code: CodeCanceled, Message: "canceled"}
	ErrInternal = &Error{Code: CodeInternal, Message: "internal error"}
)

// ErrorCode returns the Code of the first *Error in err's chain, CodeInternal
// for an error that is not paysync's, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the message of the first *Error in err's chain (the
// text a host may show a merchant), "internal error" for an error that is not
// paysync's, and "" for nil.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ErrInternal.Message
}

// ContextError returns, when ctx has ended, an error of ErrCanceled for op
// wrapping ctx.Err(); nil while ctx is live. Every paysync call checks it
// where a step may have ended because the caller's ctx did, so a host tells
// "the caller gave up" from a failure.
func ContextError(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return E(op, ErrCanceled, err)
	}
	return nil
}
