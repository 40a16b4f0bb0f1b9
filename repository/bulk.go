package repository

import (
	"context"

	"github.com/paysync/paysync"
)

// PayOrderLoader is an optional capability of a store, found by type
// assertion (as database/sql/driver grows): creating many pay orders at once,
// for imports and for benchmarks that need a million orders in place.
type PayOrderLoader interface {
	// LoadPayOrders creates orders as CreatePayOrder would each, all or
	// nothing: an error wrapping paysync.ErrDuplicate when any number is
	// taken (in the store or twice in orders), paysync.ErrInvalidRequest when
	// any number is empty; in either case nothing is stored. An empty slice
	// stores nothing and returns nil.
	LoadPayOrders(ctx context.Context, orders []paysync.PayOrder) error
}
