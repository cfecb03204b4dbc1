// Command migration writes the versioned migration that takes the
// committed migrations (internal/store/migrations/{postgres,sqlite}) to
// the schema in ent/schema, one file pair per dialect, with Atlas (through
// ent's schema package): it replays the existing files on an empty
// development database, compares the result with ent's tables and writes
// the difference in golang-migrate's format.
//
//	go generate ./...                     # first: ent/migrate must be current
//	make migration name=add_x             # or: go run ./cmd/migration -name add_x
//
// It needs a PostgreSQL server where it may create and drop a scratch
// database (PAGEINBOX_DEV_DATABASE_URL, default the local server,
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable); SQLite's
// development database is in memory.
//
// It never writes a migration that drops a column or an index unless
// run with -destructive (make migration name=x destructive=1); such a file
// starts with migrations.DestructiveMarker and the server refuses to apply
// it unless PAGEINBOX_MIGRATE_ALLOW_DESTRUCTIVE=1.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqltool"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	entmigrate "pageinbox/ent/migrate"
	"pageinbox/internal/store/migrations"
)

func main() {
	name := flag.String("name", "", "what the migration does, in snake_case (add_push_outbox)")
	dir := flag.String("dir", "internal/store/migrations", "the migrations directory (one sub-directory per dialect)")
	destructive := flag.Bool("destructive", false, "allow dropping columns and indexes that ent/schema no longer has")
	flag.Parse()
	if err := run(context.Background(), *dir, *name, *destructive); err != nil {
		fmt.Fprintln(os.Stderr, "migration:", err)
		os.Exit(1)
	}
}

var validName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func run(ctx context.Context, dir, name string, destructive bool) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("-name must be snake_case (got %q)", name)
	}
	devURL := os.Getenv("PAGEINBOX_DEV_DATABASE_URL")
	if devURL == "" {
		devURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	pg, dropDev, err := scratchPostgres(ctx, devURL)
	if err != nil {
		return fmt.Errorf("a PostgreSQL development database is needed (PAGEINBOX_DEV_DATABASE_URL): %w", err)
	}
	defer dropDev()
	lite, err := sql.Open("sqlite", "file:dev?mode=memory&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer lite.Close()
	lite.SetMaxOpenConns(1) // one connection: the in-memory database lives in it
	for _, d := range []struct {
		sub     string
		dialect string
		db      *sql.DB
	}{{migrations.Postgres, dialect.Postgres, pg}, {migrations.SQLite, dialect.SQLite, lite}} {
		path := filepath.Join(dir, d.sub)
		wrote, err := diff(ctx, path, name, d.dialect, d.db, destructive)
		if err != nil {
			return fmt.Errorf("%s: %w", d.sub, err)
		}
		if wrote == "" {
			fmt.Printf("%s: no changes: ent/schema matches the migrations\n", path)
			continue
		}
		fmt.Printf("%s: wrote %s\n", path, wrote)
	}
	return nil
}

// diff writes one dialect's migration and returns the new up file ("" =
// nothing to do).
func diff(ctx context.Context, path, name, dia string, db *sql.DB, destructive bool) (string, error) {
	if err := os.MkdirAll(path, 0o750); err != nil {
		return "", err
	}
	dir, err := sqltool.NewGolangMigrateDir(path)
	if err != nil {
		return "", err
	}
	before, err := dir.Files()
	if err != nil {
		return "", err
	}
	opts := []schema.MigrateOption{
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dia),
		schema.WithFormatter(sqltool.GolangMigrateFormatter),
		schema.WithDropColumn(destructive),
		schema.WithDropIndex(destructive),
	}
	opts = append(opts, migrations.DiffOptions()...)
	m, err := schema.NewMigrate(entsql.OpenDB(dia, db), opts...)
	if err != nil {
		return "", err
	}
	if err := m.NamedDiff(ctx, name, entmigrate.Tables...); err != nil {
		return "", err
	}
	after, err := dir.Files()
	if err != nil {
		return "", err
	}
	if len(after) == len(before) {
		return "", nil
	}
	up := filepath.Join(path, after[len(after)-1].Name())
	if destructive {
		return up, markDestructive(dir, up)
	}
	return up, nil
}

// markDestructive heads the up file with the marker the server looks for,
// then rewrites atlas.sum (the directory's checksum) to match.
func markDestructive(dir *sqltool.GolangMigrateDir, up string) error {
	b, err := os.ReadFile(up)
	if err != nil {
		return err
	}
	if err := os.WriteFile(up, append([]byte(migrations.DestructiveMarker+"\n"), b...), 0o600); err != nil {
		return err
	}
	sum, err := dir.Checksum()
	if err != nil {
		return err
	}
	return migrate.WriteSumFile(dir, sum)
}

// scratchPostgres creates an empty database next to devURL's and returns
// it with a function that drops it.
func scratchPostgres(ctx context.Context, devURL string) (*sql.DB, func(), error) {
	admin, err := sql.Open("postgres", devURL)
	if err != nil {
		return nil, nil, err
	}
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		return nil, nil, err
	}
	name := fmt.Sprintf("pageinbox_migration_dev_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		return nil, nil, err
	}
	u, err := url.Parse(devURL)
	if err != nil {
		return nil, nil, err
	}
	u.Path = "/" + name
	db, err := sql.Open("postgres", u.String())
	if err != nil {
		return nil, nil, err
	}
	drop := func() {
		_ = db.Close()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "migration: drop the scratch database:", errors.Join(err))
		}
		_ = admin.Close()
	}
	return db, drop, nil
}
