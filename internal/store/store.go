// Package store opens the database pageinbox keeps everything in: an
// embedded SQLite file by default, PostgreSQL when DATABASE_URL says so.
// It also creates and migrates the schema at start-up.
//
// SQLite's driver is registered by the binaries (server.go, cmd/bench and
// tests import modernc.org/sqlite) and used by name; PostgreSQL
// connections come from lib/pq's connector, wrapped so that each keeps
// its statements prepared (package stmtcache).
package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/lib/pq"

	"pageinbox/ent"
	"pageinbox/internal/store/migrations"
	"pageinbox/internal/store/stmtcache"
)

// Store is an open database with its ent client.
type Store struct {
	Client  *ent.Client
	DB      *sql.DB
	Dialect string // dialect.SQLite or dialect.Postgres
	// DSN is the PostgreSQL connection string (empty for SQLite); the
	// cross-replica broker opens its LISTEN connection with it.
	DSN string
	// NameIndexMissing is set when PostgreSQL could not get the trigram
	// index on users' names (pg_trgm unavailable); the server warns.
	NameIndexMissing bool
	// Migrated says what the start-up migration did (the server logs it).
	Migrated migrations.Result
	cfg      Config
	// readyDB is a one-connection pool of its own for readiness checks,
	// whose reads and writes give up after ReadyTimeout (PostgreSQL).
	readyDB *sql.DB
}

// Config says which database to open.
type Config struct {
	// DatabaseURL is a postgres:// or postgresql:// URL; empty means SQLite.
	DatabaseURL string
	// DataDir holds the SQLite file when DatabaseURL is empty.
	DataDir string
	// MaxOpenConns bounds the pool (0 = a default per dialect).
	MaxOpenConns int
	// IOTimeout bounds each read and write on a PostgreSQL connection
	// (0 = DefaultIOTimeout): a hung database fails queries within it
	// instead of holding them for minutes (deadline.go).
	IOTimeout time.Duration
	// ReadyTimeout bounds the readiness check (0 = 1 s).
	ReadyTimeout time.Duration
	// AllowDestructive applies migrations that drop schema
	// (PAGEINBOX_MIGRATE_ALLOW_DESTRUCTIVE=1).
	AllowDestructive bool
	// Trace, when set, is called with every SQL statement ent runs (tests
	// count statements with it to catch N+1 queries).
	Trace func(ctx context.Context, args ...any)
}

// IsPostgres reports whether the URL names a PostgreSQL database.
func IsPostgres(databaseURL string) bool {
	return strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://")
}

// Open opens the database and migrates its schema.
func Open(ctx context.Context, cfg Config, opts ...ent.Option) (*Store, error) {
	var (
		s   *Store
		err error
	)
	switch {
	case cfg.DatabaseURL == "":
		s, err = openSQLite(cfg)
	case IsPostgres(cfg.DatabaseURL):
		s, err = openPostgres(cfg)
	default:
		return nil, fmt.Errorf("store: DATABASE_URL must be a postgres:// URL (got scheme %q)", scheme(cfg.DatabaseURL))
	}
	if err != nil {
		return nil, err
	}
	s.cfg = cfg
	var drv dialect.Driver = entsql.OpenDB(s.Dialect, s.DB)
	if cfg.Trace != nil {
		drv = dialect.DebugWithContext(drv, cfg.Trace)
	}
	s.Client = ent.NewClient(append([]ent.Option{ent.Driver(drv)}, opts...)...)
	if err := s.Migrate(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

func scheme(u string) string {
	if i := strings.Index(u, ":"); i > 0 {
		return u[:i]
	}
	return ""
}

func openSQLite(cfg Config) (*Store, error) {
	dir := cfg.DataDir
	if dir == "" {
		dir = "data"
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("store: create data dir: %w", err)
	}
	db, err := sql.Open("sqlite", sqliteDSN(cfg))
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	n := cfg.MaxOpenConns
	if n == 0 {
		n = 8
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	return &Store{DB: db, Dialect: dialect.SQLite}, nil
}

func sqliteDSN(cfg Config) string {
	path := filepath.Join(cmp.Or(cfg.DataDir, "data"), "pageinbox.db")
	// WAL lets readers run beside the writer; busy_timeout makes writers
	// queue instead of failing; _txlock=immediate takes the write lock at
	// BEGIN, so a transaction never fails half-way when it upgrades from
	// reading to writing.
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

func openPostgres(cfg Config) (*Store, error) {
	conn, err := pq.NewConnector(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	conn.Dialer(newDeadlineDialer(cmp.Or(cfg.IOTimeout, DefaultIOTimeout)))
	db := sql.OpenDB(stmtcache.New(conn, 0))
	n := cfg.MaxOpenConns
	if n == 0 {
		n = 32
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	ready, err := pq.NewConnector(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	ready.Dialer(newDeadlineDialer(readyTimeout(cfg)))
	readyDB := sql.OpenDB(ready)
	readyDB.SetMaxOpenConns(1)
	return &Store{DB: db, Dialect: dialect.Postgres, DSN: cfg.DatabaseURL, readyDB: readyDB}, nil
}

func readyTimeout(cfg Config) time.Duration { return cmp.Or(cfg.ReadyTimeout, time.Second) }

// Migrate applies the versioned migrations (package migrations) and
// then the database-specific objects ent does not model (full-text
// indexes), which are created if missing and never dropped.
func (s *Store) Migrate(ctx context.Context) error {
	if err := s.DB.PingContext(ctx); err != nil {
		return fmt.Errorf("store: reach database: %w", err)
	}
	// A pool of its own, without the connections' I/O deadline: an index
	// build may take longer than a query should. Apply closes it.
	mdb, dir, err := s.migrationDB()
	if err != nil {
		return err
	}
	s.Migrated, err = migrations.Apply(ctx, mdb, dir, migrations.Options{AllowDestructive: s.cfg.AllowDestructive, After: s.searchIndexes})
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// searchIndexes creates the full-text objects if missing.
func (s *Store) searchIndexes(ctx context.Context) error {
	if s.Dialect == dialect.Postgres {
		if err := s.exec(ctx, postgresSearchDDL()...); err != nil {
			return err
		}
		return s.nameSearchIndex(ctx)
	}
	var exists int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'messages_fts'`).Scan(&exists); err != nil {
		return fmt.Errorf("store: inspect search index: %w", err)
	}
	if err := s.exec(ctx, sqliteSearchDDL()...); err != nil {
		return err
	}
	if exists == 0 {
		// A database created before the index existed: index its messages.
		return s.exec(ctx, `INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`)
	}
	return nil
}

// migrationDB opens the pool the migrations run on.
func (s *Store) migrationDB() (*sql.DB, string, error) {
	if s.Dialect == dialect.Postgres {
		db, err := sql.Open("postgres", s.DSN)
		if err != nil {
			return nil, "", fmt.Errorf("store: open postgres: %w", err)
		}
		db.SetMaxOpenConns(2) // the lock's connection and golang-migrate's
		return db, migrations.Postgres, nil
	}
	db, err := sql.Open("sqlite", sqliteDSN(s.cfg))
	if err != nil {
		return nil, "", fmt.Errorf("store: open sqlite: %w", err)
	}
	return db, migrations.SQLite, nil
}

func (s *Store) exec(ctx context.Context, stmts ...string) error {
	for _, stmt := range stmts {
		if _, err := s.DB.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("store: migrate %q: %w", firstLine(stmt), err)
		}
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i > 0 {
		return s[:i]
	}
	return s
}

// Postgres reports whether the store is PostgreSQL.
func (s *Store) Postgres() bool { return s.Dialect == dialect.Postgres }

// Ready checks that the database answers a trivial query within
// ReadyTimeout (/readyz). On PostgreSQL it runs on a connection of its
// own whose reads and writes carry that deadline, so a hung database
// fails the check in time (a context alone cannot: lib/pq's cancel needs
// the hung server) and the connection is discarded.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout(s.cfg))
	defer cancel()
	db := s.DB
	if s.readyDB != nil {
		db = s.readyDB
	}
	var one int
	return db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close closes the client and the pools.
func (s *Store) Close() error {
	if s.readyDB != nil {
		_ = s.readyDB.Close()
	}
	// The ent driver owns the pool: closing the client closes it.
	if s.Client != nil {
		return s.Client.Close()
	}
	return s.DB.Close()
}
