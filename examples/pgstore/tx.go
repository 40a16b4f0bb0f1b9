package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/paysync/paysync"
)

// inTx runs fn in a transaction and commits it only when fn succeeded. It
// returns fn's paysync errors as they are, and fails the others (see fail).
//
// Every write runs this way, even a write of one statement, because of how a
// call's ctx ends: pgx gives up on a statement by closing its connection, and
// a server waiting for a row lock does not notice. In an implicit
// transaction the server would run the statement, and commit it, once the
// lock came free — after the caller was told nothing was stored. In an
// explicit one the COMMIT is sent only after fn returned and while ctx is
// live (pgx sends nothing on an ended ctx), so a server that finds the
// connection gone rolls back. What is left is the COMMIT's own round trip:
// a ctx that ends while it is in flight cannot know whether the server
// committed, as with any networked database.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	if err := paysync.ContextError(ctx, op); err != nil {
		return err
	}
	db, err := s.db(op)
	if err != nil {
		return err
	}
	return fail(ctx, op, pgx.BeginFunc(ctx, db, fn))
}
