package daxpay

import "github.com/paysync/paysync"

// Sentinels of this package. They are paysync errors, so paysync.ErrorCode
// classifies them; errors.Is tells them apart where the wire needs to.
var (
	// ErrMalformed: the body is not one well-formed UTF-8 JSON object with
	// unique keys. Answered with top-level code 10005.
	ErrMalformed = &paysync.Error{Code: paysync.CodeInvalid, Message: "请求体无法解析"}

	// ErrSignature: the sign field is missing or does not verify. Answered
	// with top-level code 20052.
	ErrSignature = &paysync.Error{Code: paysync.CodeInvalid, Message: "验签失败"}

	// ErrNonceReplayed: the nonceStr was used in the last NonceTTL. Answered
	// with top-level code 10006.
	ErrNonceReplayed = &paysync.Error{Code: paysync.CodeInvalid, Message: "nonceStr 已使用，请勿重复请求"}

	// ErrTooManyRequests: MaxInFlight requests are being served. Answered
	// with top-level code 10007, before the body is read.
	ErrTooManyRequests = &paysync.Error{Code: paysync.CodeBusy, Message: "请求过多，请稍后重试"}

	// ErrNonceCacheFull: the replay cache holds its capacity of unexpired
	// nonces, so a new one cannot be remembered. Answered with top-level code
	// 10007 (retry later) rather than forgetting a nonce that could then be
	// replayed.
	ErrNonceCacheFull = &paysync.Error{Code: paysync.CodeBusy, Message: "请求过多，请稍后重试"}
)
