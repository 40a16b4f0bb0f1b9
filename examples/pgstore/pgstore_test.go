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

// newPool returns a pool on a fresh, migrated schema that is dropped when tb
// ends, or skips tb when no test database is configured.
func newPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	url := testDatabase(tb)
	ctx := context.Background()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b[:])

	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatalf("connect to %s: %v", databaseURL, err)
	}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close(context.Background())
	})

	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = 16 // room for the concurrent tests and benchmarks
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close) // runs before the schema is dropped
	if err := pgstore.New(pool).Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return pool
}

// newStore returns a Store on a fresh schema (see newPool).
func newStore(tb testing.TB) *pgstore.Store {
	tb.Helper()
	return pgstore.New(newPool(tb))
}
