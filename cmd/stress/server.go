package main

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	// SQL drivers for the server process.
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"pageinbox/internal/app"
)

// serveMain is the server process: pageinbox as `go run .` builds it from
// the environment, on 127.0.0.1, in development mode.
func serveMain() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	cfg, err := app.ConfigFromEnv(os.Getenv)
	if err == nil {
		var a *app.App
		log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		if a, err = app.New(ctx, cfg, app.Options{Log: log}); err == nil {
			defer a.Close()
			var ln net.Listener
			if ln, err = net.Listen("tcp", "127.0.0.1:0"); err == nil {
				fmt.Printf("LISTEN %s\n", ln.Addr())
				err = a.Serve(ctx, ln)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

type server struct {
	cmd   *exec.Cmd
	addr  string
	dir   string
	lines atomic.Int64
}

func startServer(ctx context.Context, db string) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pageinbox-stress-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir}
	s.cmd = exec.CommandContext(ctx, self, "-serve")
	s.cmd.Env = append(os.Environ(), "PAGEINBOX_DATA_DIR="+dir, "DATABASE_URL="+db, "PAGEINBOX_ENV=development",
		// The normal traffic sends from one account; the attacks are
		// not about rule 23.
		"PAGEINBOX_RATE_MESSAGES_PER_MINUTE=0", "PAGEINBOX_RATE_THREADS_PER_HOUR=0")
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	logs, err := s.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { // count (and keep a sample of) the server's log lines
		sc := bufio.NewScanner(logs)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if s.lines.Add(1) <= 5 {
				fmt.Fprintln(os.Stderr, "server:", sc.Text())
			}
		}
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "LISTEN ") {
		_ = s.cmd.Process.Kill()
		return nil, fmt.Errorf("server did not start: %q: %w", line, err)
	}
	s.addr = strings.TrimSpace(strings.TrimPrefix(line, "LISTEN "))
	return s, nil
}

func (s *server) pid() int        { return s.cmd.Process.Pid }
func (s *server) logLines() int64 { return s.lines.Load() }

type memory struct{ rss, hwm int64 }

// memory reads the process's resident set and its high-water mark.
func (s *server) memory() (memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid()))
	if err != nil {
		return memory{}, err
	}
	var m memory
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			m.rss = kb << 10
		case "VmHWM:":
			m.hwm = kb << 10
		}
	}
	return m, nil
}

// sampleMemory returns the highest RSS seen every 100 ms until ctx ends.
func sampleMemory(ctx context.Context, s *server) int64 {
	var peak int64
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		if m, err := s.memory(); err == nil {
			peak = max(peak, m.rss)
		}
		select {
		case <-ctx.Done():
			return peak
		case <-t.C:
		}
	}
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(40 * time.Second):
		_ = s.cmd.Process.Kill()
	}
	_ = os.RemoveAll(s.dir)
}
