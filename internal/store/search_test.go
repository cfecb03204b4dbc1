package store_test

import (
	"context"
	"strings"
	"testing"

	"pageinbox/internal/apptest"
	"pageinbox/internal/store"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// TestVisitorNameSearchUsesTheTrigramIndex: the inbox search's "visitor
// name contains" half (ILIKE '%term%', as ent's ContainsFold writes it on
// PostgreSQL) can use an index instead of reading every user.
func TestVisitorNameSearchUsesTheTrigramIndex(t *testing.T) {
	st, err := store.Open(context.Background(), store.Config{DatabaseURL: apptest.DatabaseURL(t, apptest.Postgres), MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.NameIndexMissing {
		t.Fatal("pg_trgm is installed on this server; the index must exist")
	}
	ctx := context.Background()
	conn, err := st.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// On an empty table a scan is cheapest; forbid it to see whether an
	// index can answer at all.
	if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, `EXPLAIN SELECT id FROM users WHERE name ILIKE $1`, "%ann%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	if !strings.Contains(plan.String(), "users_name_trgm_idx") {
		t.Fatalf("name search does not use the trigram index:\n%s", plan.String())
	}
}
