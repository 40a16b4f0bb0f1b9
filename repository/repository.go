// Package repository holds the storage ports of paysync and their contracts.
// Every store — memstore here, PostgreSQL in examples/pgstore, the host's own —
// must honour them; repositorytest asserts every contract.
//
// Contracts common to every port:
//   - Reads and writes copy: a caller can never change stored state through a
//     value, pointer or slice it passed in or got back. The engine relies on
//     it: it reuses the memory of a commit's entries once the commit returns.
//   - Times are stored in UTC truncated to microseconds (what PostgreSQL
//     keeps) and read back that way; decimals are compared by value.
//   - Every method honours ctx and returns ctx's error when it ends first.
//   - Errors are paysync errors: errors.Is finds the sentinel named on each
//     method; any other failure is an error with paysync.CodeInternal.
package repository

// Store is everything the engine needs from storage.
type Store interface {
	PayOrders
	AllocationOrders
	Records
	Outbox
}
