// Package pgstore is a PostgreSQL implementation of the paysync storage ports
// (repository.Store) on github.com/jackc/pgx/v5.
//
// It lives in a module of its own so the paysync core keeps no database
// dependency. A host opens a pgxpool.Pool, calls Migrate once at start (safe
// with many instances starting together) and hands New(pool) to the syncer.
//
// Design notes:
//   - A commit is one SQL statement: a compare-and-swap UPDATE on the order's
//     version with the record and event INSERTs as data-modifying CTEs that
//     read from it. One statement is one implicit transaction and one round
//     trip; when the UPDATE matches nothing, nothing else is stored.
//   - Claims are one UPDATE over a FOR UPDATE SKIP LOCKED subquery that walks a
//     partial index of scheduled orders in due order, so concurrent sweepers
//     never wait on each other and a claim reads about Limit index entries.
//   - Money is numeric and crosses the wire as text, so no value is rounded.
//   - Times are stored as timestamptz, truncated to microseconds and returned
//     in UTC; a zero time.Time is stored as NULL.
package pgstore
