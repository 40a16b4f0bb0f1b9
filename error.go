package paysync

import (
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
	CodeInternal    Code = "internal"    // a bug, a misconfiguration or a store failure
)

// Codes lists every Code.
func Codes() []Code {
	return []Code{CodeInvalid, CodeNotFound, CodeConflict, CodeBusy, CodeUnavailable, CodeState, CodeInternal}
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

func sentinel(code Code, message string) *Error { return &Error{Code: code, Message: message} }

// Sentinels: compare with errors.Is. Two sentinels may share a Code.
var (
	ErrInvalidRequest     = sentinel(CodeInvalid, "invalid request")
	ErrOrderNotFound      = sentinel(CodeNotFound, "支付订单不存在")
	ErrAllocationNotFound = sentinel(CodeNotFound, "分账单不存在")
	ErrSyncInProgress     = sentinel(CodeBusy, "sync in progress")
	ErrChannelUnavailable = sentinel(CodeUnavailable, "channel unavailable")
	ErrUnknownChannel     = sentinel(CodeInternal, "unknown channel")
	ErrUnsupported        = sentinel(CodeUnavailable, "channel does not support this operation")
	ErrOrderNotStarted    = sentinel(CodeState, "order not sent to a channel yet")
	ErrVersionConflict    = sentinel(CodeConflict, "version conflict")
	ErrDuplicate          = sentinel(CodeConflict, "duplicate")
	ErrInvalidTransition  = sentinel(CodeState, "invalid state transition")
	ErrInternal           = sentinel(CodeInternal, "internal error")
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
