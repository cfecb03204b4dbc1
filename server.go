// Command pageinbox serves the pageinbox GraphQL API: people write privately
// to business pages, and the pages' staff answer from a shared inbox in
// real time.
//
//	go run .                                   # SQLite in ./data, http://localhost:8080
//	DATABASE_URL=postgres://... go run .       # PostgreSQL
//
// Settings are environment variables; README.md lists them.
package main

import (
	"context"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	// SQL drivers, registered by name for internal/store.
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"pageinbox/internal/app"
)

func main() {
	if err := run(); err != nil {
		slog.Error("pageinbox stopped", "err", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := app.ConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	slog.SetDefault(log)

	// SIGTERM (and Ctrl-C) start a graceful shutdown.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	a, err := app.New(ctx, cfg, app.Options{Log: log})
	if err != nil {
		return err
	}
	defer a.Close()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("pageinbox listening", app.StartFields(cfg, ln.Addr())...)
	return a.Serve(ctx, ln)
}
