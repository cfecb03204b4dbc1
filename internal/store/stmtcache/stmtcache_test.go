package stmtcache_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/lib/pq"

	"pageinbox/internal/apptest"
	"pageinbox/internal/store/stmtcache"
)

// open opens a fresh PostgreSQL database through the cache, on one
// connection so the test sees that connection's statements.
func open(t *testing.T, size int) *sql.DB {
	t.Helper()
	conn, err := pq.NewConnector(apptest.DatabaseURL(t, apptest.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(stmtcache.New(conn, size))
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// prepared lists the connection's prepared statements.
func prepared(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT statement FROM pg_prepared_statements ORDER BY prepare_time`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestARepeatedQueryIsPreparedOnce(t *testing.T) {
	db := open(t, 0)
	for i := range 5 {
		var n int
		if err := db.QueryRow(`SELECT $1::int + 1`, i).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != i+1 {
			t.Fatalf("got %d, want %d", n, i+1)
		}
	}
	if _, err := db.Exec(`SELECT set_config('application_name', $1, false)`, "pageinbox"); err != nil {
		t.Fatal(err)
	}
	got := prepared(t, db)
	if len(got) != 2 || got[0] != `SELECT $1::int + 1` {
		t.Fatalf("want the query and the exec prepared once each, got %q", got)
	}
}

func TestAQueryMarkedPlanEachTimeIsNotPrepared(t *testing.T) {
	db := open(t, 0)
	q := `SELECT $1::int + 2 ` + stmtcache.PlanEachTime
	for i := range 7 { // past the five runs after which PostgreSQL goes generic
		var n int
		if err := db.QueryRow(q, i).Scan(&n); err != nil || n != i+2 {
			t.Fatalf("got %d, %v", n, err)
		}
	}
	if got := prepared(t, db); len(got) != 0 {
		t.Fatalf("a PlanEachTime query must stay unprepared, got %q", got)
	}
}

func TestTheLeastRecentlyUsedStatementMakesRoom(t *testing.T) {
	db := open(t, 2)
	run := func(q string) {
		t.Helper()
		var n int
		if err := db.QueryRow(q, 1).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	run(`SELECT $1::int`)
	run(`SELECT $1::int * 2`)
	run(`SELECT $1::int`) // used again: now the most recent
	run(`SELECT $1::int * 3`)
	got := strings.Join(prepared(t, db), " | ")
	if got != `SELECT $1::int | SELECT $1::int * 3` {
		t.Fatalf("want the first and last kept, the middle one deallocated, got %q", got)
	}
}

func TestAStatementStaleAfterAMigrationIsPreparedAgain(t *testing.T) {
	db := open(t, 0)
	ctx := context.Background()
	if _, err := db.Exec(`CREATE TABLE t (a int)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO t VALUES ($1)`, 7); err != nil {
		t.Fatal(err)
	}
	query := func() (int, error) {
		rows, err := db.QueryContext(ctx, `SELECT * FROM t WHERE a = $1`, 7)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		return len(cols), rows.Err()
	}
	if n, err := query(); err != nil || n != 1 {
		t.Fatalf("before: %d columns, %v", n, err)
	}
	if _, err := db.Exec(`ALTER TABLE t ADD COLUMN b int`); err != nil {
		t.Fatal(err)
	}
	// PostgreSQL refuses the old statement once; the cache drops it.
	if _, err := query(); err != nil && !strings.Contains(err.Error(), "cached plan") {
		t.Fatalf("unexpected error: %v", err)
	}
	if n, err := query(); err != nil || n != 2 {
		t.Fatalf("after the migration: %d columns, %v (want 2, nil)", n, err)
	}
}
