// Package repository holds the storage ports of paysync and their contracts.
// Every store — memstore here, PostgreSQL in examples/pgstore, the host's own —
// must honour them; repositorytest asserts every contract, and
// docs/storage.md explains why each exists.
//
// Contracts common to every port:
//   - Reads and writes copy: a caller can never change stored state through a
//     value, pointer or slice it passed in or got back.
//   - Times are stored in UTC truncated to microseconds (what PostgreSQL
//     keeps) and read back that way; decimals are compared by value.
//   - Every method honours ctx: when ctx ends before the method is done it
//     returns an error wrapping paysync.ErrCanceled and ctx's error, and a
//     write then stores nothing.
//   - Errors are paysync errors: errors.Is finds the sentinel named on each
//     method; any other failure is an error with paysync.CodeInternal.
//   - Orders are validated on the way in: an unknown status, result or
//     receiver result, an empty number or a zero CreatedAt is refused with
//     paysync.ErrInvalidRequest, and nothing is stored.
//   - Costs: a get, a commit, a claim and a page of a listing cost the same
//     with ten thousand orders stored as with a million (indexes, not scans);
//     each store proves it in its own tests by counting work.
package repository

// Store is everything the engine and the console need from storage.
type Store interface {
	PayOrders
	AllocationOrders
	RefundOrders
	TransferOrders
	Records
	Outbox
	Anomalies
	Listings
}
