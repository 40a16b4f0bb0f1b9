package pgstore

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
)

// inTx runs the statements queue adds to a batch in one transaction, in two
// round trips: BEGIN and the statements, then COMMIT, sent only when every
// statement and every callback of the batch succeeded. When one did not,
// explain (if not nil) is called with its error while the transaction is
// still open, to ask the database why a write matched nothing, and returns
// the error to report; then the transaction is rolled back. inTx returns
// the paysync errors of the callbacks and of explain as they are, and fails
// the others (see fail).
//
// Every write runs this way, even a write of one statement, because of how a
// call's ctx ends: pgx gives up on a statement by closing its connection, and
// a server waiting for a row lock does not notice. In an implicit
// transaction the server would run the statement, and commit it, once the
// lock came free — after the caller was told nothing was stored. In an
// explicit one the COMMIT is sent only after the batch was read and while
// ctx is live (pgx sends nothing on an ended ctx), so a server that finds the
// connection gone rolls back. What is left is the COMMIT's own round trip:
// a ctx that ends while it is in flight cannot know whether the server
// committed, as with any networked database.
//
// BEGIN travels in the batch (PostgreSQL keeps a transaction that a
// pipeline's BEGIN opened past the pipeline's end) rather than in a round
// trip of its own, as pgx.BeginFunc would send it.
func (s *Store) inTx(ctx context.Context, op string, queue func(b *pgx.Batch), explain func(conn *pgxpool.Conn, err error) error) error {
	if err := paysync.ContextError(ctx, op); err != nil {
		return err
	}
	db, err := s.db(op)
	if err != nil {
		return err
	}
	conn, err := db.Acquire(ctx)
	if err != nil {
		return fail(ctx, op, err)
	}
	// Release closes, rather than pools, a connection still in a
	// transaction: one whose ROLLBACK below was not sent or failed.
	defer conn.Release()
	var b pgx.Batch
	b.Queue("BEGIN")
	queue(&b)
	err = conn.SendBatch(ctx, &b).Close()
	if err != nil && explain != nil {
		err = explain(conn, err)
	}
	if err != nil {
		_, _ = conn.Exec(ctx, "ROLLBACK") // err is the one to report
		return fail(ctx, op, err)
	}
	tag, err := conn.Exec(ctx, "COMMIT")
	if err == nil && tag.String() != "COMMIT" {
		// PostgreSQL answers ROLLBACK to the COMMIT of a failed
		// transaction; every statement succeeded, so this is not expected.
		err = errors.New("pgstore: COMMIT answered " + tag.String())
	}
	return fail(ctx, op, err)
}
