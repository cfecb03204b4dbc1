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
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

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

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	a, err := app.New(ctx, cfg, app.Options{Log: log})
	if err != nil {
		return err
	}
	defer a.Close()

	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	store := "sqlite:" + cfg.DataDir
	if cfg.DatabaseURL != "" {
		store = "postgres"
	}
	log.Info("pageinbox listening", "addr", cfg.Addr, "store", store, "production", cfg.Production)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests, closing websockets with 1001")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Websockets are hijacked connections that http.Server.Shutdown does not
	// track; close them (1001 going away) while in-flight requests finish.
	go a.Server.CloseWebsockets()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
