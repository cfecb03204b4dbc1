// Package app wires pageinbox together: store, broker, services, GraphQL
// schema and HTTP surface. server.go (the binary), the tests and the
// benchmark all build the server through it, so they run the same thing.
package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/ent"
	"pageinbox/graph"
	"pageinbox/internal/account"
	"pageinbox/internal/api"
	"pageinbox/internal/apierr"
	"pageinbox/internal/clock"
	"pageinbox/internal/inbox"
	"pageinbox/internal/live"
	"pageinbox/internal/messaging"
	"pageinbox/internal/pages"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/secret"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
	"pageinbox/internal/wall"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	// Privacy policies and hooks of the ent schemas.
	_ "pageinbox/ent/runtime"
)

// Options are what tests and the benchmark change beyond Config.
type Options struct {
	Log   *slog.Logger
	Clock clock.Clock
	// Hash overrides the password hashing cost (tests use a cheap one).
	Hash account.HashParams
	// API overrides the HTTP settings (tests shorten timeouts).
	API *api.Config
	// Trace sees every SQL statement (tests count them).
	Trace func(ctx context.Context, args ...any)
}

// App is a running pageinbox.
type App struct {
	Config    Config
	Store     *store.Store
	Client    *ent.Client
	Broker    pubsub.Broker
	Server    *api.Server
	Clock     clock.Clock
	Accounts  *account.Service
	Messaging *messaging.Service
	log       *slog.Logger
}

// New opens the database, migrates it and builds the server.
func New(ctx context.Context, cfg Config, opts Options) (*App, error) {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	clk := opts.Clock
	if clk == nil {
		clk = clock.System{}
	}
	st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Trace: opts.Trace})
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Store: st, Client: st.Client, Clock: clk, log: log}
	a.Broker = pubsub.NewMemory(pubsub.DefaultBuffer)

	a.Accounts, err = account.New(st.Client, clk, a.Broker, account.Config{Hash: opts.Hash})
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	a.Messaging = messaging.New(st.Client, st.Postgres(), clk, a.Broker, messaging.Config{ReplyWindow: cfg.ReplyWindow}, log)
	streams := live.New(st.Client, a.Broker, live.Config{Clock: clk, Report: reportStreamError, TypingTTL: cfg.TypingTTL}, log)
	resolver := &graph.Resolver{
		Client:      st.Client,
		Clock:       clk,
		Accounts:    a.Accounts,
		PageService: pages.New(st.Client, st.Postgres(), clk, a.Broker, log),
		Messaging:   a.Messaging,
		Inbox:       inbox.New(st.Client, st.Postgres(), clk, a.Broker, log),
		Streams:     streams,
		Wall:        wall.New(st.Client, st.Postgres(), clk, a.Broker, wall.Config{}, log),
	}
	apiCfg := api.DefaultConfig(log)
	if opts.API != nil {
		apiCfg = *opts.API
		apiCfg.Log = log
	}
	apiCfg.Production = cfg.Production
	a.Server = api.New(apiCfg, graph.NewSchema(resolver), authenticator{accounts: a.Accounts}, st.Ping)
	return a, nil
}

// Handler is the HTTP handler.
func (a *App) Handler() http.Handler { return a.Server }

// Close releases the broker and the database.
func (a *App) Close() error {
	return errors.Join(a.Broker.Close(), a.Store.Close())
}

// authenticator sends each kind of bearer token to its service.
type authenticator struct {
	accounts *account.Service
}

func (a authenticator) Authenticate(ctx context.Context, token string) (*viewer.Viewer, error) {
	switch {
	case secret.HasPrefix(token, secret.SessionPrefix):
		return a.accounts.Authenticate(ctx, token)
	default:
		return nil, apierr.New(apierr.Unauthenticated, "unknown kind of token")
	}
}

// reportStreamError ends a websocket subscription with an error message.
// Server-sent event streams have no error frame; they just complete.
func reportStreamError(ctx context.Context, err *gqlerror.Error) {
	defer func() { _ = recover() }() // SSE contexts carry no error slot
	transport.AddSubscriptionError(ctx, err)
}
