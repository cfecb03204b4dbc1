// Package migrations holds pageinbox's versioned schema migrations, one
// directory per dialect, and applies them at start-up.
//
// The files are generated from ent/schema by Atlas (cmd/migration, `make
// migration name=...`) in golang-migrate's format and applied with
// golang-migrate, which records the version in schema_migrations. On
// PostgreSQL the whole start-up step runs under an advisory lock, so
// replicas starting together migrate once: the first applies, the others
// wait and find nothing left to do.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database"
	"github.com/golang-migrate/migrate/v4/database/postgres"
	"github.com/golang-migrate/migrate/v4/database/sqlite"
	"github.com/golang-migrate/migrate/v4/source/iofs"
)

// The directories of the two dialects.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// DestructiveMarker heads a migration that drops something (cmd/migration
// -destructive writes it). Apply refuses such a migration unless allowed.
const DestructiveMarker = "-- pageinbox:destructive"

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// FS returns the migration files of a dialect (Postgres or SQLite).
func FS(dir string) (fs.FS, error) { return fs.Sub(files, dir) }

// Options change how Apply behaves.
type Options struct {
	// AllowDestructive applies migrations marked destructive
	// (PAGEINBOX_MIGRATE_ALLOW_DESTRUCTIVE=1).
	AllowDestructive bool
	// After runs once the migrations are applied, still under the lock:
	// the objects ent does not model (full-text indexes), whose
	// CREATE ... IF NOT EXISTS races when replicas run it together.
	After func(ctx context.Context) error
}

// Result says what Apply did.
type Result struct {
	From, To uint // versions before and after (0 = none)
	// Adopted is set when the database was created by a release before
	// versioned migrations (ent's automatic migration) and was recorded as
	// being at the baseline.
	Adopted bool
}

// Apply brings db to the newest migration. db is a dedicated pool that
// Apply closes (golang-migrate's drivers close what they are given).
func Apply(ctx context.Context, db *sql.DB, dir string, opts Options) (res Result, err error) {
	defer func() { err = errors.Join(err, db.Close()) }()
	if dir == Postgres {
		// A session-level advisory lock on one connection, held for the
		// whole step: adopting a pre-versioning database is a read then a
		// write, which golang-migrate's own lock (taken per operation)
		// does not cover.
		conn, err := db.Conn(ctx)
		if err != nil {
			return res, fmt.Errorf("migrations: connect: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockKey); err != nil {
			return res, fmt.Errorf("migrations: lock: %w", err)
		}
		defer func() {
			_, uerr := conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockKey)
			err = errors.Join(err, uerr)
		}()
	}
	if res, err = apply(ctx, db, dir, opts); err != nil || opts.After == nil {
		return res, err
	}
	return res, opts.After(ctx)
}

// lockKey is the advisory lock of pageinbox's migrations (a constant, so
// every replica on one database takes the same one).
var lockKey = int64(crc32.ChecksumIEEE([]byte("pageinbox migrations")))

func apply(ctx context.Context, db *sql.DB, dir string, opts Options) (Result, error) {
	var res Result
	src, err := FS(dir)
	if err != nil {
		return res, err
	}
	versions, err := list(src)
	if err != nil {
		return res, err
	}
	if len(versions) == 0 {
		return res, fmt.Errorf("migrations: no migrations for %s", dir)
	}
	// Whether ent's automatic migration created this database, asked
	// before golang-migrate creates its own table.
	legacy, err := createdByAutoMigration(ctx, db, dir)
	if err != nil {
		return res, err
	}
	var drv database.Driver
	if dir == Postgres {
		drv, err = postgres.WithInstance(db, &postgres.Config{})
	} else {
		drv, err = sqlite.WithInstance(db, &sqlite.Config{})
	}
	if err != nil {
		return res, fmt.Errorf("migrations: open: %w", err)
	}
	source, err := iofs.New(src, ".")
	if err != nil {
		return res, err
	}
	m, err := migrate.NewWithInstance("iofs", source, dir, drv)
	if err != nil {
		return res, fmt.Errorf("migrations: %w", err)
	}
	defer m.Close()
	cur, dirty, err := m.Version()
	switch {
	case errors.Is(err, migrate.ErrNilVersion):
		cur = 0
	case err != nil:
		return res, fmt.Errorf("migrations: read version: %w", err)
	case dirty:
		return res, fmt.Errorf("migrations: version %d failed half-way (schema_migrations.dirty); repair the database by hand, then set dirty = false", cur)
	}
	if cur == 0 && legacy {
		// The previous release's schema is the baseline (the first
		// migration was generated from it), so the database is at it.
		if err := m.Force(int(versions[0].version)); err != nil {
			return res, fmt.Errorf("migrations: adopt: %w", err)
		}
		cur, res.Adopted = versions[0].version, true
	}
	res.From, res.To = cur, cur
	for _, v := range versions {
		if v.version > cur && v.destructive && !opts.AllowDestructive {
			return res, fmt.Errorf("migrations: %s drops data or schema; start with PAGEINBOX_MIGRATE_ALLOW_DESTRUCTIVE=1 to apply it", v.name)
		}
	}
	if err := m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return res, fmt.Errorf("migrations: apply: %w", err)
	}
	res.To = versions[len(versions)-1].version
	return res, nil
}

// createdByAutoMigration reports a database that has pageinbox's tables
// but no migration record: one created by ent's automatic migration
// (releases up to the baseline).
func createdByAutoMigration(ctx context.Context, db *sql.DB, dir string) (bool, error) {
	q := `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`
	if dir == SQLite {
		q = `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1`
	}
	var users, record int
	if err := db.QueryRowContext(ctx, q, "users").Scan(&users); err != nil {
		return false, fmt.Errorf("migrations: inspect: %w", err)
	}
	if err := db.QueryRowContext(ctx, q, "schema_migrations").Scan(&record); err != nil {
		return false, fmt.Errorf("migrations: inspect: %w", err)
	}
	return users > 0 && record == 0, nil
}

type version struct {
	version     uint
	name        string
	destructive bool
}

// list reads the up migrations in order.
func list(src fs.FS) ([]version, error) {
	entries, err := fs.ReadDir(src, ".")
	if err != nil {
		return nil, err
	}
	var out []version
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".up.sql") {
			continue
		}
		n, err := strconv.ParseUint(name[:strings.IndexByte(name, '_')], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("migrations: %s: no version", name)
		}
		b, err := fs.ReadFile(src, name)
		if err != nil {
			return nil, err
		}
		out = append(out, version{version: uint(n), name: path.Base(name),
			destructive: strings.HasPrefix(string(b), DestructiveMarker)})
	}
	return out, nil // ReadDir sorts by name; generated versions are timestamps of one width
}
