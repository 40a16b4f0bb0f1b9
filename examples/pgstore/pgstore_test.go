package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paysync/paysync/examples/pgstore"
)

// databaseURL names the PostgreSQL database the tests use; each test gets a
// schema of its own in it.
const databaseURL = "PAYSYNC_TEST_DATABASE_URL"

// testDatabase returns the test database's URL, or skips tb when none is
// configured.
func testDatabase(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv(databaseURL)
	if url == "" {
		tb.Skipf("%s is not set: run `bash .ci/postgres.sh` (it starts a throwaway PostgreSQL and "+
			"runs these tests), or set it to a database URL, e.g. postgres://postgres@127.0.0.1:5432/paysync",
			databaseURL)
	}
	return url
}

// testSchema is a fresh schema in the test database, dropped when the test
// ends and migrated by the first pool it opens. Every pool open hands out
// finds its tables through search_path, so several pools (several hosts)
// can share the schema.
type testSchema struct {
	tb       testing.TB
	url      string
	name     string
	migrated bool
}

// newSchema creates a schema of its own for tb, or skips tb when no test
// database is configured.
func newSchema(tb testing.TB) *testSchema {
	tb.Helper()
	url := testDatabase(tb)
	ctx := context.Background()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	s := &testSchema{tb: tb, url: url, name: "t_" + hex.EncodeToString(b[:])}

	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatalf("connect to %s: %v", databaseURL, err)
	}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+s.name); err != nil {
		tb.Fatal(err)
	}
	// Registered first, so it runs after every pool's Close.
	tb.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP SCHEMA "+s.name+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", s.name, err)
		}
		admin.Close(context.Background())
	})
	return s
}

// open returns a new pool of at most maxConns connections on the schema,
// closed when tb ends; the first pool a schema opens migrates it.
func (s *testSchema) open(maxConns int32) *pgxpool.Pool {
	s.tb.Helper()
	pool := s.openUnmigrated(maxConns)
	if !s.migrated {
		if err := pgstore.New(pool).Migrate(context.Background()); err != nil {
			s.tb.Fatal(err)
		}
		s.migrated = true
	}
	return pool
}

// openUnmigrated is open without the migration: the schema is as the test
// leaves it.
func (s *testSchema) openUnmigrated(maxConns int32) *pgxpool.Pool {
	s.tb.Helper()
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(s.url)
	if err != nil {
		s.tb.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = s.name
	cfg.MaxConns = maxConns
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		s.tb.Fatal(err)
	}
	s.tb.Cleanup(pool.Close) // Close may run twice: a test may close a pool to crash a host
	return pool
}

// newPool returns a pool on a fresh, migrated schema that is dropped when tb
// ends, or skips tb when no test database is configured.
func newPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	return newSchema(tb).open(16) // room for the concurrent tests and benchmarks
}

// newStore returns a Store on a fresh schema (see newPool).
func newStore(tb testing.TB) *pgstore.Store {
	tb.Helper()
	return pgstore.New(newPool(tb))
}
