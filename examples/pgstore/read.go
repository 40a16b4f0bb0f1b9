package pgstore

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/paysync/paysync"
)

// get reads one row by key with sql. It returns an error wrapping notFound
// when there is no such row, paysync.ErrCanceled when ctx ends and
// paysync.ErrInternal when the database fails.
func get[K, T any](ctx context.Context, s *Store, op, sql string, key K, scan func(pgx.Row) (T, error), notFound *paysync.Error) (T, error) {
	var zero T
	db, err := s.db(op)
	if err != nil {
		return zero, err
	}
	o, err := scan(db.QueryRow(ctx, sql, key))
	if errors.Is(err, pgx.ErrNoRows) {
		if cerr := paysync.ContextError(ctx, op); cerr != nil {
			return zero, cerr
		}
		return zero, paysync.E(op, notFound, nil)
	}
	if err != nil {
		return zero, fail(ctx, op, err)
	}
	return o, nil
}

// list runs head filtered by w and limited to limit, and returns the rows in
// the order they were stored (see query).
func list[T any](ctx context.Context, s *Store, op, head string, w where, limit int, scan pgx.RowToFunc[T]) ([]T, error) {
	sql := w.query(head, limit)
	return query(ctx, s, op, sql, w.args, scan)
}

// query runs sql with args and returns the rows in the statement's order; an
// empty slice (never nil) when none match, an error wrapping
// paysync.ErrCanceled when ctx ends and paysync.ErrInternal when the
// database fails.
func query[T any](ctx context.Context, s *Store, op, sql string, args []any, scan pgx.RowToFunc[T]) ([]T, error) {
	db, err := s.db(op)
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fail(ctx, op, err)
	}
	out, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, fail(ctx, op, err)
	}
	return nonNil(out), nil
}
