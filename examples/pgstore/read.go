package pgstore

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/paysync/paysync"
)

// get reads one order by key with sql. It returns an error wrapping
// notFound when there is no such row, and paysync.ErrInternal when the
// database fails.
func get[T any](ctx context.Context, s *Store, op, sql, key string, scan func(pgx.Row) (T, error), notFound *paysync.Error) (T, error) {
	var zero T
	db, err := s.db(op)
	if err != nil {
		return zero, err
	}
	o, err := scan(db.QueryRow(ctx, sql, key))
	if errors.Is(err, pgx.ErrNoRows) {
		return zero, paysync.E(op, notFound, nil)
	}
	if err != nil {
		return zero, fail(ctx, op, err)
	}
	return o, nil
}

// list runs head filtered by w and limited to limit, and returns the rows in
// the statement's order; an empty slice (never nil) when none match, an
// error wrapping paysync.ErrInternal when the database fails.
func list[T any](ctx context.Context, s *Store, op, head string, w where, limit int, scan pgx.RowToFunc[T]) ([]T, error) {
	db, err := s.db(op)
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(ctx, w.query(head, limit), w.args...)
	if err != nil {
		return nil, fail(ctx, op, err)
	}
	out, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, fail(ctx, op, err)
	}
	return nonNil(out), nil
}
