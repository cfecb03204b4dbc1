package migrations_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/privacy"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	_ "pageinbox/ent/runtime"
	"pageinbox/internal/store"
	"pageinbox/internal/store/migrations"
)

// emptyDB returns the URL of a new, empty database ("" = SQLite in dir).
func emptyDB(t *testing.T, dialect string) string {
	t.Helper()
	if dialect == migrations.SQLite {
		return ""
	}
	raw := os.Getenv("PAGEINBOX_TEST_DATABASE_URL")
	if raw == "" {
		if os.Getenv("PAGEINBOX_REQUIRE_POSTGRES") == "1" {
			t.Fatal("PostgreSQL required")
		}
		t.Skip("PAGEINBOX_TEST_DATABASE_URL is not set")
	}
	admin, err := sql.Open("postgres", raw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	name := fmt.Sprintf("pi_t_%d_mig_%s", os.Getpid(), strings.ToLower(strings.NewReplacer("/", "_", "=", "_").Replace(t.Name())))
	if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, _ := url.Parse(raw)
	u.Path = "/" + name
	return u.String()
}

func each(t *testing.T, f func(t *testing.T, dialect string)) {
	for _, d := range []string{migrations.SQLite, migrations.Postgres} {
		t.Run(d, func(t *testing.T) { f(t, d) })
	}
}

// TestMigrationsMatchSchema fails when ent/schema changed without a
// migration (`make migration name=...`): after the committed migrations, ent's
// own diff against the database must have nothing to do.
func TestMigrationsMatchSchema(t *testing.T) {
	each(t, func(t *testing.T, dialect string) {
		st, err := store.Open(t.Context(), store.Config{DatabaseURL: emptyDB(t, dialect), DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var plan bytes.Buffer
		if err := st.Client.Schema.WriteTo(t.Context(), &plan, migrations.DiffOptions()...); err != nil {
			t.Fatal(err)
		}
		var pending []string
		for _, l := range strings.Split(plan.String(), "\n") {
			if l = strings.TrimSpace(l); l != "" && l != "BEGIN;" && l != "COMMIT;" {
				pending = append(pending, l)
			}
		}
		if len(pending) > 0 {
			t.Fatalf("ent/schema differs from the committed migrations; run `make migration name=...`:\n%s", strings.Join(pending, "\n"))
		}
	})
}

// TestReplicasMigrateOnce: replicas starting together on one PostgreSQL
// database all start, and the migrations ran once (one version row, every
// table created once, nobody failed on "already exists").
func TestReplicasMigrateOnce(t *testing.T) {
	dsn := emptyDB(t, migrations.Postgres)
	const n = 5
	var wg sync.WaitGroup
	errs := make([]error, n)
	applied := make([]bool, n)
	for i := range n {
		wg.Go(func() {
			st, err := store.Open(context.Background(), store.Config{DatabaseURL: dsn, MaxOpenConns: 2})
			if err != nil {
				errs[i] = err
				return
			}
			applied[i] = st.Migrated.From != st.Migrated.To
			errs[i] = st.Close()
		})
	}
	wg.Wait()
	ran := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("replica %d: %v", i, errs[i])
		}
		if applied[i] {
			ran++
		}
	}
	if ran != 1 {
		t.Fatalf("%d replicas applied the migrations, want exactly 1", ran)
	}
}

// TestUpgradeKeepsData: a database made by the previous release (ent's
// automatic migration, no migration record: the baseline's schema) with
// people, a page, a thread and messages in it is adopted by the new
// server and upgraded with nothing lost.
func TestUpgradeKeepsData(t *testing.T) {
	each(t, func(t *testing.T, dialect string) {
		dsn, dir := emptyDB(t, dialect), t.TempDir()
		old := openRaw(t, dialect, dsn, dir)
		src, _ := migrations.FS(dialect)
		baseline, _ := fs.Glob(src, "*_baseline.up.sql")
		ddl, err := fs.ReadFile(src, baseline[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := old.Exec(string(ddl)); err != nil {
			t.Fatalf("the previous release's schema: %v", err)
		}
		now := "2026-11-01 10:00:00+00:00"
		for _, q := range []string{
			`INSERT INTO users (id, name, handle, handle_key, email, email_key, password_hash, created_at) VALUES (25769803777, 'Ada', 'ada', 'ada', 'ada@example.com', 'ada@example.com', 'x', '` + now + `')`,
			`INSERT INTO pages (id, name, handle, handle_key, created_at, availability) VALUES (8589934593, 'Shop', 'shop', 'shop', '` + now + `', '[]')`,
			`INSERT INTO threads (id, kind, labels, created_at, last_message_at, updated_at, page_id) VALUES (21474836481, 'DIRECT', '[]', '` + now + `', '` + now + `', '` + now + `', 8589934593)`,
			`INSERT INTO messages (seq, sender_type, body, attachments, created_at, thread_id) VALUES (1, 'VISITOR', 'hello from the old release', '[]', '` + now + `', 21474836481)`,
			`INSERT INTO messages (seq, sender_type, body, attachments, created_at, thread_id) VALUES (2, 'VISITOR', 'and a second message', '[]', '` + now + `', 21474836481)`,
		} {
			if _, err := old.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		_ = old.Close()

		st, err := store.Open(t.Context(), store.Config{DatabaseURL: dsn, DataDir: dir})
		if err != nil {
			t.Fatalf("the new release on the old database: %v", err)
		}
		defer st.Close()
		if !st.Migrated.Adopted {
			t.Fatalf("the old database was not adopted: %+v", st.Migrated)
		}
		ctx := privacy.DecisionContext(t.Context(), privacy.Allow)
		msgs := st.Client.Message.Query().AllX(ctx)
		if len(msgs) != 2 || msgs[0].Body != "hello from the old release" {
			t.Fatalf("messages after the upgrade: %+v", msgs)
		}
		if u := st.Client.User.Query().OnlyX(ctx); u.Email != "ada@example.com" {
			t.Fatalf("user after the upgrade: %+v", u)
		}
		if p := st.Client.Page.Query().OnlyX(ctx); p.Handle != "shop" {
			t.Fatalf("page after the upgrade: %+v", p)
		}
		if th := st.Client.Thread.Query().OnlyX(ctx); th.ID != 21474836481 {
			t.Fatalf("thread after the upgrade: %+v", th)
		}
		// A second start finds nothing to do.
		again, err := store.Open(t.Context(), store.Config{DatabaseURL: dsn, DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if m := again.Migrated; m.Adopted || m.From != m.To {
			t.Fatalf("second start: %+v", m)
		}
		_ = again.Close()
	})
}

func openRaw(t *testing.T, dialect, dsn, dir string) *sql.DB {
	t.Helper()
	if dialect == migrations.Postgres {
		db, err := sql.Open("postgres", dsn)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "pageinbox.db")+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	return db
}
