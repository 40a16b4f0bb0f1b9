// Package pgstore is a PostgreSQL implementation of the paysync storage ports
// (repository.Store) on github.com/jackc/pgx/v5.
//
// It lives in a module of its own so the paysync core keeps no database
// dependency. A host opens a pgxpool.Pool, calls Migrate once at start (safe
// with many instances starting together) and hands New(pool) to the syncer.
//
// Design notes:
//   - A commit writes an order with one SQL statement: a compare-and-swap
//     UPDATE on the order's version with the record and event INSERTs as
//     data-modifying CTEs that read from it, so when the UPDATE matches
//     nothing, nothing else is stored. A refund's pay order and the
//     anomalies follow in the same transaction and the same batch, which is
//     rolled back when any of them finds the stored state other than the
//     engine read it (commit.go, anomalies.go).
//   - Every write runs in an explicit transaction, committed only once its
//     statements succeeded and ctx is live: when ctx ends, pgx drops the
//     connection, and a server still waiting for a lock then rolls back
//     instead of committing later in an implicit transaction. BEGIN travels
//     with the statements, so a write takes two round trips (tx.go).
//   - Claims are one UPDATE over a FOR UPDATE SKIP LOCKED subquery that walks a
//     partial index of scheduled orders in due order, so concurrent sweepers
//     never wait on each other and a claim reads about Limit index entries.
//     Listings walk an index from their cursor's position (listings.go).
//   - Money is numeric and crosses the wire as text, so no value is rounded.
//   - Times are stored as timestamptz, truncated to microseconds and returned
//     in UTC; a zero time.Time is stored as NULL (or, in a column that must
//     not be NULL, as 0001-01-01 UTC, which reads back as the zero time).
//   - When ctx ends, a call returns paysync.ErrCanceled wrapping ctx's error,
//     whatever step it was in, and a write stores nothing — unless ctx ends
//     while the COMMIT itself is in flight, when no client of a networked
//     database can know whether the server committed; a retried commit then
//     meets the version check.
package pgstore
