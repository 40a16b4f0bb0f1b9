package pgstore

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync"
	"github.com/paysync/paysync/repository"
)

// Store is a repository.Store on a PostgreSQL database whose schema Migrate
// has brought up to date. It is safe for concurrent use, by many processes at
// once.
type Store struct {
	pool *pgxpool.Pool
}

var _ repository.Store = (*Store)(nil)

// New returns a Store on pool. The tables are found through pool's
// search_path. A nil pool gives a Store whose every method returns an error
// wrapping paysync.ErrInternal.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool}
}

// db returns the pool, or an error when New was given none.
func (s *Store) db(op string) (*pgxpool.Pool, error) {
	if s == nil || s.pool == nil {
		return nil, paysync.Ef(op, paysync.ErrInternal, "pgstore: no connection pool", nil)
	}
	return s.pool, nil
}
