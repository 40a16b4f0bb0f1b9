package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/paysync/paysync"
)

// uniqueViolation is PostgreSQL's SQLSTATE for a duplicate key.
const uniqueViolation = "23505"

// fail turns a pgx error into a paysync error for op: a duplicate key becomes
// paysync.ErrDuplicate, anything else paysync.ErrInternal. The cause stays in
// the chain, and when ctx has ended its error is put there too, because pgx
// does not always say that a failed query was cancelled.
func fail(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == uniqueViolation {
		return paysync.E(op, paysync.ErrDuplicate, err)
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	return paysync.E(op, paysync.ErrInternal, err)
}
