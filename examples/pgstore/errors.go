package pgstore

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/paysync/paysync"
)

// uniqueViolation is PostgreSQL's SQLSTATE for a duplicate key.
const uniqueViolation = "23505"

// fail turns an error of a database step into a paysync error for op. When
// ctx has ended it is paysync.ErrCanceled wrapping ctx's error, whatever the
// step said: pgx reports a cancelled acquire, query or commit in several
// ways, and the caller needs one. Otherwise a paysync error (a conflict a
// transaction found) passes through, a duplicate key becomes
// paysync.ErrDuplicate and anything else paysync.ErrInternal, with the cause
// in the chain.
func fail(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := paysync.ContextError(ctx, op); cerr != nil {
		return cerr
	}
	var pe *paysync.Error
	if errors.As(err, &pe) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == uniqueViolation {
		return paysync.E(op, paysync.ErrDuplicate, err)
	}
	return paysync.E(op, paysync.ErrInternal, err)
}

// invalid returns an error of paysync.ErrInvalidRequest for op.
func invalid(op, message string) error {
	return paysync.Ef(op, paysync.ErrInvalidRequest, message, nil)
}
