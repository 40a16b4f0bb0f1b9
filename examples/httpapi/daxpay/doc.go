// Package daxpay speaks the DaxPay 2.0.x gateway dialect of the sync
// endpoints — POST /unipay/sync/pay, /unipay/sync/allocation,
// /unipay/sync/refund and /unipay/sync/transfer — over an Engine (in
// practice a *syncer.Syncer).
//
// It owns the wire only: decoding the JSON body in canonical form (so that
// its signed string stands for one request: DecodeRequestObject), the DaxPay
// 2.0.x signature rule (Signer), the reqTime window, the nonceStr replay
// cache (NonceCache), the bounds on body size and requests in flight, the
// response envelope, the mapping of paysync errors to DaxPay codes, and one
// log line per request.
// Everything about orders is the engine's business.
//
// The package is importable so that its tests and fuzz targets need no HTTP
// server, and so that a client (or a test) can sign a body with the very rule
// the server verifies (Signer.SignBody).
package daxpay
