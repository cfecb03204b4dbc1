package apptest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"pageinbox/internal/store"
)

// PostgresEnv names the PostgreSQL server the tests may create databases
// on (.ci/run sets it to the machine's local server).
const PostgresEnv = "PAGEINBOX_TEST_DATABASE_URL"

// RequirePostgresEnv, when "1", turns a missing or unreachable PostgreSQL
// into a test failure instead of a skip (.ci/run sets it).
const RequirePostgresEnv = "PAGEINBOX_REQUIRE_POSTGRES"

// postgres hands out fresh databases cloned from a migrated template, one
// template per test process: CREATE DATABASE ... TEMPLATE takes tens of
// milliseconds where a migration takes much longer.
type postgres struct {
	once     sync.Once
	base     *url.URL
	admin    *sql.DB
	template string
	err      error
	mu       sync.Mutex // clones of one template run one at a time
	n        atomic.Int64
}

func (p *postgres) init() error {
	p.once.Do(func() {
		raw := os.Getenv(PostgresEnv)
		if raw == "" {
			p.err = fmt.Errorf("%s is not set", PostgresEnv)
			return
		}
		p.base, p.err = url.Parse(raw)
		if p.err != nil {
			return
		}
		p.admin, p.err = sql.Open("postgres", raw)
		if p.err != nil {
			return
		}
		if p.err = p.admin.Ping(); p.err != nil {
			return
		}
		p.dropStale()
		p.template = fmt.Sprintf("pi_tpl_%d", os.Getpid())
		if _, p.err = p.admin.Exec("CREATE DATABASE " + p.template); p.err != nil {
			return
		}
		st, err := store.Open(context.Background(), store.Config{DatabaseURL: p.urlFor(p.template), MaxOpenConns: 1})
		if err != nil {
			p.err = err
			return
		}
		p.err = st.Close()
	})
	return p.err
}

// urlFor returns the connection URL of database name.
func (p *postgres) urlFor(name string) string {
	u := *p.base
	u.Path = "/" + name
	return u.String()
}

// database creates a fresh database for one test and drops it afterwards.
func (p *postgres) database(t testing.TB) string {
	t.Helper()
	if err := p.init(); err != nil {
		if os.Getenv(RequirePostgresEnv) == "1" {
			t.Fatalf("postgres required: %v", err)
		}
		t.Skipf("postgres tests skipped: %v", err)
	}
	name := fmt.Sprintf("pi_t_%d_%d", os.Getpid(), p.n.Add(1))
	p.mu.Lock()
	_, err := p.admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + p.template)
	p.mu.Unlock()
	if err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := p.admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	return p.urlFor(name)
}

// close drops the template at the end of the test process.
func (p *postgres) close() {
	if p.admin == nil {
		return
	}
	if p.template != "" {
		_, _ = p.admin.Exec("DROP DATABASE IF EXISTS " + p.template + " WITH (FORCE)")
	}
	_ = p.admin.Close()
}

// dropStale removes databases left by test processes that died.
func (p *postgres) dropStale() {
	for _, name := range p.staleDatabases() {
		_, _ = p.admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	}
}

// staleDatabases lists the test databases whose process is gone.
func (p *postgres) staleDatabases() []string {
	rows, err := p.admin.Query(`SELECT datname FROM pg_database WHERE datname LIKE 'pi\_t%'`)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		parts := strings.Split(name, "_")
		if len(parts) < 3 {
			continue
		}
		pid, err := strconv.Atoi(parts[2])
		if err != nil || alive(pid) {
			continue
		}
		stale = append(stale, name)
	}
	if rows.Err() != nil {
		return nil // best effort: the next test process tries again
	}
	return stale
}

func alive(pid int) bool {
	proc, err := os.FindProcess(pid)
	return err == nil && proc.Signal(syscall.Signal(0)) == nil
}
