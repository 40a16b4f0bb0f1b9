package pgstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// claim runs a claim statement (of any kind) and returns the orders in due
// order: due time, then number, which RETURNING does not give. It returns an
// error wrapping paysync.ErrInvalidRequest when c is invalid,
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the
// database fails.
func claim[T any](ctx context.Context, s *Store, op, sql string, c repository.Claim,
	scan func(pgx.Row) (T, error), key func(*T) (time.Time, string)) ([]T, error) {
	// Validate what will be stored: a lease that ends after Now only in
	// its nanoseconds would end at Now.
	c.Now, c.Until = c.Now.UTC().Truncate(time.Microsecond), c.Until.UTC().Truncate(time.Microsecond)
	if err := c.Validate(); err != nil {
		return nil, paysync.Ef(op, paysync.ErrInvalidRequest, "invalid claim", err)
	}
	var orders []T
	err := s.inTx(ctx, op, func(b *pgx.Batch) {
		b.Queue(sql, c.Owner, tsAlways(c.Until), tsAlways(c.Now), c.Limit).Query(func(rows pgx.Rows) error {
			var err error
			orders, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (T, error) { return scan(row) })
			return err
		})
	}, nil)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(orders, func(a, b T) int {
		ad, an := key(&a)
		bd, bn := key(&b)
		if c := ad.Compare(bd); c != 0 {
			return c
		}
		return strings.Compare(an, bn)
	})
	return orders, nil
}
