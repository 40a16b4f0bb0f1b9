package daxpay

import (
	"bytes"
	"encoding/json"
)

// Top-level codes of the envelope (DaxPay 2.0.8 / bootx).
const (
	CodeOK         = 0     // the request was handled; see Data.Code
	CodeMalformed  = 10005 // the body is not one JSON object, or too large
	CodeInvalid    = 10006 // a field is invalid, reqTime is stale, or the nonceStr was used
	CodeBusy       = 10007 // another sync holds the order, or too many requests
	CodeSignFailed = 20052 // the sign is missing or wrong
)

// Codes of Data.
const (
	DataOK     = 0 // the sync ran
	DataFailed = 1 // a business failure, explained by Data.Msg
)

// Envelope is the outer JSON of every answer. Data is present only when Code
// is CodeOK.
type Envelope struct {
	Code    int    `json:"code"`           // CodeOK or a top-level error code
	Msg     string `json:"msg"`            // "success", or what went wrong
	Data    *Data  `json:"data,omitempty"` // the signed business answer; nil on a top-level error
	TraceID string `json:"traceId"`        // random per request, also in the X-Trace-Id header
}

// Data is the business answer, signed by the rule requests are signed by,
// over every field but Sign. Empty fields are left out of the JSON, and so
// out of the signature.
type Data struct {
	Code int    `json:"code"`          // DataOK or DataFailed
	Msg  string `json:"msg,omitempty"` // only when Code is DataFailed

	// Pay, refund and transfer sync: the local status of the pay order,
	// refund or transfer after the sync (the refund's and transfer's as
	// DaxPay 3 names the field).
	OrderStatus string `json:"orderStatus,omitempty"`

	// Allocation sync (beyond the seed, which has code/msg/resTime/sign
	// only): the order's status and result after the sync.
	Status string `json:"status,omitempty"`
	Result string `json:"result,omitempty"`

	// Adjust tells, for every endpoint, whether the sync changed the order
	// (for refund and transfer, not DaxPay 3's inverse).
	Adjust *bool `json:"adjust,omitempty"`

	ResTime int64  `json:"resTime"`        // epoch seconds
	Sign    string `json:"sign,omitempty"` // over every other field present
}

// marshal encodes v without HTML escaping, so a verifier working on the raw
// text sees "&<>" rather than \u0026\u003c\u003e (the rule deletes the
// backslash, which would leave "u0026" behind).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// SignData returns d with Sign set: the signature of the JSON encoding of d's
// other fields, decoded back, so the signature covers exactly what a client
// will read. An unknown sign type is an ErrInvalidRequest error.
func (s Signer) SignData(d Data) (Data, error) {
	d.Sign = ""
	b, err := marshal(d)
	if err != nil {
		return Data{}, err
	}
	o, err := DecodeObject(b)
	if err != nil {
		return Data{}, err
	}
	d.Sign, err = s.Sign(o.Fields())
	return d, err
}
