// Package paysync is the domain of the paysync engine: pay orders, allocation
// orders and their receivers, the records every sync leaves behind, the outbox
// events a host delivers, and the error model shared by every package.
//
// The status codes are DaxPay's wire codes, so a host that speaks that protocol
// needs no mapping. This package imports no other package of the module; the
// engine lives in syncer, the ports in channel and repository.
package paysync
