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

// orderTable names one kind's table, its number columns and what a read of
// an order selects (in the order the kind's scan reads), for the
// statements every kind shares: claims, releases, listings.
type orderTable struct {
	name, no, biz, out string
	columns            string
}

// orderTableOf returns the table of trade type t; false for an unknown t.
func orderTableOf(t paysync.TradeType) (orderTable, bool) {
	switch t {
	case paysync.TradePay:
		return payTable(), true
	case paysync.TradeAllocation:
		return allocTable(), true
	case paysync.TradeRefund:
		return refundTable(), true
	case paysync.TradeTransfer:
		return transferTable(), true
	}
	return orderTable{}, false
}

// claimSQL is the claim of table t. The subquery walks the partial due
// index (next_sync_at, number) in due order, skipping rows another claim or
// commit holds; the outer UPDATE finds the chosen rows by key. ARRAY(...)
// keeps the planner from turning the subquery into a join.
func (t orderTable) claimSQL() string {
	return `UPDATE ` + t.name + ` SET lease_owner = $1, lease_until = $2
	WHERE ` + t.no + ` = ANY (ARRAY (
		SELECT ` + t.no + ` FROM ` + t.name + `
		WHERE in_schedule AND next_sync_at <= $3 AND (lease_owner IS NULL OR lease_until <= $3)
		ORDER BY next_sync_at, ` + t.no + `
		LIMIT $4
		FOR UPDATE SKIP LOCKED))
	RETURNING ` + t.columns
}

// releaseSQL drops owner $1's leases on the orders numbered in $2.
func (t orderTable) releaseSQL() string {
	return `UPDATE ` + t.name + ` SET lease_owner = NULL, lease_until = NULL
	WHERE ` + t.no + ` = ANY ($2) AND lease_owner = $1`
}

// claim runs t's claim and returns the orders in due order: due time, then
// number, which RETURNING does not give. It returns an error wrapping
// paysync.ErrInvalidRequest when c is invalid, paysync.ErrCanceled when ctx
// ends and paysync.ErrInternal when the database fails.
func claim[T any](ctx context.Context, s *Store, op string, t orderTable, c repository.Claim,
	scan func(pgx.Row) (T, error), key func(*T) (time.Time, string)) ([]T, error) {
	// Validate what will be stored: a lease that ends after Now only in
	// its nanoseconds would end at Now.
	c.Now, c.Until = c.Now.UTC().Truncate(time.Microsecond), c.Until.UTC().Truncate(time.Microsecond)
	if err := c.Validate(); err != nil {
		return nil, paysync.Ef(op, paysync.ErrInvalidRequest, "invalid claim", err)
	}
	var orders []T
	err := s.inTx(ctx, op, func(b *pgx.Batch) {
		b.Queue(t.claimSQL(), c.Owner, tsAlways(c.Until), tsAlways(c.Now), c.Limit).Query(func(rows pgx.Rows) error {
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

// release drops owner's leases on the orders of t numbered keys; with
// nothing to release it asks nothing of the database.
func (s *Store) release(ctx context.Context, op string, t orderTable, owner string, keys []string) error {
	if err := paysync.ContextError(ctx, op); err != nil {
		return err
	}
	if len(keys) == 0 || owner == "" {
		return nil
	}
	return s.inTx(ctx, op, func(b *pgx.Batch) { b.Queue(t.releaseSQL(), owner, keys) }, nil)
}
