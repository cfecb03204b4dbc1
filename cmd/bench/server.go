package main

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	httppprof "net/http/pprof"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lib/pq"

	"pageinbox/internal/app"
	"pageinbox/internal/store/stmtcache"
)

// serveMain is the server process: pageinbox on 127.0.0.1 with the given
// database, exactly as `go run .` builds it.
func serveMain(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	dbURL := fs.String("db-url", "", "DATABASE_URL")
	dataDir := fs.String("data-dir", "", "PAGEINBOX_DATA_DIR")
	_ = fs.Parse(args)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if path := os.Getenv("PAGEINBOX_BENCH_CPUPROFILE"); path != "" {
		// Profiling the server under load: go tool pprof <path>.
		if f, err := os.Create(fmt.Sprintf("%s.%d", path, os.Getpid())); err == nil {
			_ = pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); _ = f.Close() }()
		}
	}
	if addr := os.Getenv("PAGEINBOX_BENCH_PPROF"); addr != "" {
		// Looking inside the server under load: go tool pprof http://<addr>/debug/pprof/heap
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", httppprof.Index)
		mux.HandleFunc("/debug/pprof/profile", httppprof.Profile)
		go func() { _ = http.ListenAndServe(addr, mux) }()
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	a, err := app.New(ctx, app.Config{DatabaseURL: *dbURL, DataDir: *dataDir, Production: true,
		// The limiter runs, as in production, with room for the load
		// generator's 64 senders at full speed.
		MessagesPerMinute: 1_000_000, ThreadsPerHour: 1_000_000,
		// The push section's push service listens on loopback.
		WebhookAllowPrivate: true}, app.Options{Log: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
	defer a.Close()
	// The load side asks how many subscriptions the server holds, so it
	// measures memory once all of them are registered.
	stats, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
	statsMux := http.NewServeMux()
	statsMux.HandleFunc("/subscribers", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, a.Broker.Subscribers())
	})
	go func() { _ = http.Serve(stats, statsMux) }()
	fmt.Printf("STATS %s\n", stats.Addr())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
	fmt.Printf("LISTEN %s\n", ln.Addr())
	if err := a.Serve(ctx, ln); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
	}
}

// server is a running server process.
type server struct {
	cmd   *exec.Cmd
	addr  string
	stats string
}

func startServer(ctx context.Context, dbURL, dataDir string) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-serve", "-db-url", dbURL, "-data-dir", dataDir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	br := bufio.NewReader(out)
	stats, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(stats, "STATS ") {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("server did not start: %q: %w", stats, err)
	}
	line, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "LISTEN ") {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("server did not start: %q: %w", line, err)
	}
	return &server{cmd: cmd, addr: strings.TrimSpace(strings.TrimPrefix(line, "LISTEN ")),
		stats: strings.TrimSpace(strings.TrimPrefix(stats, "STATS "))}, nil
}

// waitSubscribers waits until the server holds n subscriptions.
func (s *server) waitSubscribers(ctx context.Context, n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	got := -1
	for time.Now().Before(deadline) && ctx.Err() == nil {
		res, err := http.Get("http://" + s.stats + "/subscribers")
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			_ = res.Body.Close()
			if got, err = strconv.Atoi(string(b)); err == nil && got >= n {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("the server holds %d of %d subscriptions", got, n)
}

func (s *server) pid() int      { return s.cmd.Process.Pid }
func (s *server) url() string   { return "http://" + s.addr + "/query" }
func (s *server) wsURL() string { return "ws://" + s.addr + "/query" }

// rss is the server process's resident memory in bytes.
func (s *server) rss() (int64, error) { return processRSS(s.cmd.Process.Pid) }

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	waitOrKill(s.cmd, 35*time.Second)
}

// database is a fresh database for one section.
type database struct {
	url     string // DATABASE_URL ("" = SQLite)
	dataDir string
	drop    func()
}

func newDatabase(o options, name string) (*database, error) {
	dir, err := os.MkdirTemp("", "pageinbox-bench-")
	if err != nil {
		return nil, err
	}
	if o.db == "sqlite" {
		return &database{dataDir: dir, drop: func() { _ = os.RemoveAll(dir) }}, nil
	}
	admin, err := sql.Open("postgres", o.pgURL)
	if err != nil {
		return nil, err
	}
	dbName := fmt.Sprintf("pi_bench_%s_%d", name, time.Now().UnixNano()%1e9)
	if _, err := admin.Exec("CREATE DATABASE " + dbName); err != nil {
		_ = admin.Close()
		return nil, fmt.Errorf("create database: %w", err)
	}
	u, err := url.Parse(o.pgURL)
	if err != nil {
		return nil, err
	}
	u.Path = "/" + dbName
	return &database{url: u.String(), dataDir: dir, drop: func() {
		defer admin.Close()
		_ = os.RemoveAll(dir)
		if !o.keep {
			_, _ = admin.Exec("DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)")
		}
	}}, nil
}

// open opens the benchmark database directly (data generation and the
// raw baseline), with the server's own SQLite settings.
func (d *database) open() (*sql.DB, error) {
	if d.url != "" {
		return sql.Open("postgres", d.url)
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	return sql.Open("sqlite", "file:"+filepath.Join(d.dataDir, "pageinbox.db")+"?"+q.Encode())
}

// openPrepared opens PostgreSQL the way the server does: lib/pq with each
// connection keeping its statements prepared.
func (d *database) openPrepared() (*sql.DB, error) {
	conn, err := pq.NewConnector(d.url)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(stmtcache.New(conn, 0)), nil
}

// postgres reports whether the database is PostgreSQL.
func (d *database) postgres() bool { return d.url != "" }
