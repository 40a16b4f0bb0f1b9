package pgstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/paysync/paysync"
)

// migrations holds the schema, one numbered file per step (0001_init.sql,
// 0002_….sql); a step once released is never edited, only followed.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrateLock is the first key of the advisory lock Migrate holds; the second
// is the schema's name, so stores in different schemas migrate in parallel.
const migrateLock = 0x70617973 // "pays"

const (
	lockSQL            = `SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))`
	migrationsTableSQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now())`
	appliedSQL = `SELECT version FROM schema_migrations`
	recordSQL  = `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`
)

// migration is one numbered step of the schema.
type migration struct {
	version int
	name    string
	sql     string
}

// Migrate brings the schema in the pool's search_path up to date: it applies,
// in one transaction, the embedded migrations that schema_migrations does not
// list. It is idempotent, and safe when several instances call it at once: an
// advisory lock makes them take turns, and the later ones find nothing to do.
// It returns an error wrapping paysync.ErrInternal when a migration fails
// (nothing is applied then) or the database does, and paysync.ErrCanceled
// when ctx ends.
func (s *Store) Migrate(ctx context.Context) error { return s.migrate(ctx, 0) }

// migrate is Migrate applying the steps up to version upTo only; 0 means
// every step.
func (s *Store) migrate(ctx context.Context, upTo int) error {
	const op = "pgstore.Migrate"
	db, err := s.db(op)
	if err != nil {
		return err
	}
	steps, err := loadMigrations()
	if err != nil {
		return paysync.E(op, paysync.ErrInternal, err)
	}
	err = pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockSQL, migrateLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, migrationsTableSQL); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, appliedSQL)
		if err != nil {
			return err
		}
		applied, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil {
			return err
		}
		done := make(map[int]bool, len(applied))
		for _, v := range applied {
			done[int(v)] = true
		}
		for _, m := range steps {
			if done[m.version] || upTo > 0 && m.version > upTo {
				continue
			}
			// Exec without arguments uses the simple protocol, which runs a
			// file of many statements.
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, recordSQL, m.version, m.name); err != nil {
				return err
			}
		}
		return nil
	})
	return fail(ctx, op, err)
}

// loadMigrations returns the embedded migrations in version order. A file
// whose name does not start with a number is an error, and so are two files
// with one number.
func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	var steps []migration
	seen := make(map[int]string)
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || version < 1 {
			return nil, fmt.Errorf("migration %q: name must be NNNN_description.sql", name)
		}
		if other, dup := seen[version]; dup {
			return nil, fmt.Errorf("migrations %q and %q share version %d", other, name, version)
		}
		seen[version] = name
		b, err := migrations.ReadFile(path.Join("migrations", name))
		if err != nil {
			return nil, err
		}
		steps = append(steps, migration{version: version, name: name, sql: string(b)})
	}
	sort.Slice(steps, func(i, j int) bool { return steps[i].version < steps[j].version })
	return steps, nil
}
