// Package app wires pageinbox together: store, broker, services, GraphQL
// schema and HTTP surface. server.go (the binary), the tests and the
// benchmark all build the server through it, so they run the same thing.
package app

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/ent"
	"pageinbox/graph"
	"pageinbox/internal/account"
	"pageinbox/internal/api"
	"pageinbox/internal/apierr"
	"pageinbox/internal/apitoken"
	"pageinbox/internal/attachment"
	"pageinbox/internal/blob"
	"pageinbox/internal/clock"
	"pageinbox/internal/inbox"
	"pageinbox/internal/live"
	"pageinbox/internal/messaging"
	"pageinbox/internal/metrics"
	"pageinbox/internal/pages"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/push"
	"pageinbox/internal/ratelimit"
	"pageinbox/internal/requestid"
	"pageinbox/internal/secret"
	"pageinbox/internal/store"
	"pageinbox/internal/teaminbox"
	"pageinbox/internal/viewer"
	"pageinbox/internal/wall"
	"pageinbox/internal/webapp"
	"pageinbox/internal/webhook"
	"pageinbox/internal/webpush"

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
	// Webhooks overrides the delivery policy (tests shorten the poll).
	Webhooks *webhook.Config
	// Push overrides the Web Push delivery policy (tests shorten the
	// poll); its Guard and Subject come from Config.
	Push *webpush.Config
	// Trace sees every SQL statement (tests count them).
	Trace func(ctx context.Context, args ...any)
	// SchedulerPoll is how often the snooze scheduler and the viewers'
	// expiry run (0 = every second; negative = never: tests call
	// App.Snoozer.Wake and App.Viewers.Expire themselves).
	SchedulerPoll time.Duration
}

// App is a running pageinbox.
type App struct {
	Config     Config
	Store      *store.Store
	Client     *ent.Client
	Broker     pubsub.Broker
	Server     *api.Server
	Clock      clock.Clock
	Accounts   *account.Service
	Messaging  *messaging.Service
	Dispatcher *webhook.Dispatcher
	// Pruner keeps the page event log to its retention (rule 34).
	Pruner *webhook.Pruner
	// PushDispatcher sends Web Push notifications (rule 32).
	PushDispatcher *webpush.Dispatcher
	// Snoozer reopens snoozed threads; Viewers knows who has which thread
	// open (the team inbox, rules 36 and 38).
	Snoozer *teaminbox.Snoozer
	Viewers *teaminbox.Viewers
	// Metrics is the app's Prometheus registry and series (/metrics). The
	// event bus reports to it as a metrics.BusObserver; an outbox adds
	// its age with Metrics.OutboxAge.
	Metrics    *metrics.Metrics
	handler    http.Handler
	log        *slog.Logger
	stop       context.CancelFunc
	background sync.WaitGroup
}

// New opens the database, migrates it and builds the server. Background
// work (webhook delivery) runs until Close.
func New(ctx context.Context, cfg Config, opts Options) (a *App, err error) {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	// Log lines written for a request carry its id.
	log = slog.New(requestid.Handler(log.Handler()))
	clk := opts.Clock
	if clk == nil {
		clk = clock.System{}
	}
	st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Trace: opts.Trace,
		IOTimeout: cfg.DBTimeout, AllowDestructive: cfg.MigrateAllowDestructive})
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = st.Close()
		}
	}()
	a = &App{Config: cfg, Store: st, Client: st.Client, Clock: clk, log: log, Metrics: metrics.New()}
	a.Metrics.DB("pageinbox", st.DB)
	if m := st.Migrated; m.From != m.To || m.Adopted {
		log.Info("database migrated", "from", m.From, "to", m.To, "adopted", m.Adopted)
	}
	if st.NameIndexMissing {
		log.Warn("pg_trgm is not available: searching the inbox by visitor name scans all users (install PostgreSQL contrib, or CREATE EXTENSION pg_trgm as a superuser)")
	}
	if a.Broker, err = newBroker(ctx, cfg, st, log); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = a.Broker.Close()
		}
	}()

	blobs, err := blob.NewDir(filepath.Join(dataDir(cfg), "uploads"))
	if err != nil {
		return nil, err
	}
	signer, err := attachment.LoadSigner(ctx, st.Client, clk, cfg.PublicURL)
	if err != nil {
		return nil, err
	}
	files := attachment.New(blobs, signer)

	hookCfg := webhook.DefaultConfig()
	if opts.Webhooks != nil {
		hookCfg = *opts.Webhooks
	}
	hookCfg.Guard = webhook.Guard{AllowPrivate: cfg.WebhookAllowPrivate}
	hookCfg.Observer = a.Metrics
	if b, ok := a.Broker.(interface{ SetObserver(pubsub.Observer) }); ok {
		b.SetObserver(a.Metrics)
	}
	a.Pruner = webhook.NewPruner(st.Client, clk, cmp.Or(cfg.EventRetention, webhook.DefaultRetention), log)

	// Services publish through events, which keeps every replica's
	// session cache in step with revocations and role changes.
	sessions := account.NewSessionCache(clk, cfg.SessionCache)
	events := account.CredentialEvents(a.Broker, sessions)
	credentials := sessions.Watch(a.Broker) // before any request can publish
	a.Accounts, err = account.New(st.Client, clk, events, account.Config{Hash: opts.Hash,
		Limits: ratelimit.New(), LoginFailures: cfg.LoginFailures, SignUpsPerHour: cfg.SignUpsPerHour,
		Sessions: sessions})
	if err != nil {
		return nil, err
	}
	tokens := apitoken.New(st.Client, clk, events, log)
	vapid, err := webpush.LoadKeys(ctx, st.Client, clk)
	if err != nil {
		return nil, err
	}
	pushCfg := webpush.DefaultConfig()
	if opts.Push != nil {
		pushCfg = *opts.Push
	}
	pushCfg.Guard = hookCfg.Guard
	pushCfg.Subject = cmp.Or(cfg.VAPIDSubject, pushCfg.Subject)
	a.PushDispatcher = webpush.NewDispatcher(st.Client, clk, vapid, a.Accounts.LoadRoles, pushCfg, log)
	pushOutbox := webpush.NewOutbox(a.PushDispatcher.Wake)
	a.Metrics.OutboxAge("push", a.PushDispatcher.OldestPending, log)
	a.Dispatcher = webhook.NewDispatcher(st.Client, clk, hookCfg,
		webhook.Notices{Pub: events, Push: pushOutbox}, log)
	a.Metrics.OutboxAge("webhooks", a.Dispatcher.OldestPending, log)
	outbox := webhook.NewOutbox(a.Dispatcher.Wake)
	a.Snoozer = teaminbox.NewSnoozer(st.Client, clk, events, outbox, log)
	a.Viewers = teaminbox.NewViewers(events, clk)
	viewing := a.Viewers.Subscribe() // before any request can publish
	// The notification outbox yields to the live fan-out (Delivering).
	streams := live.New(st.Client, events, live.Config{Clock: clk, Report: reportStreamError, TypingTTL: cfg.TypingTTL}, log)
	a.Messaging = messaging.New(messaging.Deps{
		Client: st.Client, Clock: clk, Events: events,
		Files: files, Outbox: outbox, Push: pushOutbox, Log: log,
		Delivering: streams.Delivering,
	}, messaging.Config{ReplyWindow: cfg.ReplyWindow,
		MessagesPerMinute: cfg.MessagesPerMinute, ThreadsPerHour: cfg.ThreadsPerHour})
	a.Metrics.OutboxAge("notifications", a.Messaging.Notifications().OldestPending, log)
	resolver := &graph.Resolver{
		Client:         st.Client,
		Clock:          clk,
		Accounts:       a.Accounts,
		PageService:    pages.New(st.Client, clk, events, log),
		Messaging:      a.Messaging,
		Inbox:          inbox.New(st.Client, clk, events, outbox, pushOutbox, log),
		Streams:        streams,
		Wall:           wall.New(st.Client, clk, events, outbox, wall.Config{}, log),
		Files:          files,
		WebhookService: webhook.NewService(st.Client, clk, hookCfg.Guard, a.Dispatcher.Wake),
		TokenService:   tokens,
		TeamInbox:      teaminbox.New(st.Client, clk, events, outbox, pushOutbox, a.Viewers, log),
		Push:           webpush.NewService(st.Client, clk, hookCfg.Guard, vapid),
	}
	apiCfg := api.DefaultConfig(log)
	if opts.API != nil {
		apiCfg = *opts.API
		apiCfg.Log = log
	}
	apiCfg.Production = cfg.Production
	if cfg.Limits != nil {
		apiCfg.Limits = *cfg.Limits
	}
	if cfg.ConnCaps != nil {
		apiCfg.ConnCaps = *cfg.ConnCaps
	}
	if cfg.BodyTimeout > 0 {
		apiCfg.BodyTimeout = cfg.BodyTimeout
	}
	if cfg.UploadTimeout > 0 {
		apiCfg.UploadTimeout = cfg.UploadTimeout
	}
	if cfg.CORSOrigins != nil {
		apiCfg.CORSOrigins = cfg.CORSOrigins
	}
	apiCfg.Metrics = a.Metrics
	apiCfg.PerResponse = a.Messaging.WithReactionBatch
	auth := authenticator{accounts: a.Accounts, tokens: tokens}
	a.Server = api.New(apiCfg, graph.NewSchema(resolver), auth, st.Ready)
	a.Metrics.Gauge("pageinbox_websockets_open", "Open websockets.", func() float64 { return float64(a.Server.OpenWebsockets()) })

	mux := http.NewServeMux()
	mux.Handle("GET /files/{message}/{index}", files.Handler(st.Client, auth.Authenticate))
	mux.Handle(webapp.Prefix, webapp.Handler())
	mux.Handle("GET /app", http.RedirectHandler(webapp.Prefix, http.StatusMovedPermanently))
	mux.Handle("GET /metrics", a.Metrics.Handler(cfg.MetricsToken))
	mux.Handle("/", a.Server)
	a.handler = requestid.Middleware(cfg.TrustedProxies.Middleware(mux))

	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	a.stop = stop
	a.background.Go(func() { a.Dispatcher.Run(runCtx) })
	a.background.Go(func() { a.PushDispatcher.Run(runCtx) })
	a.background.Go(func() { a.Messaging.Notifications().Run(runCtx, messaging.ExpanderPoll) })
	a.background.Go(func() { a.Viewers.Run(runCtx, viewing) })
	a.background.Go(func() { sessions.Run(runCtx, credentials) })
	if poll := cmp.Or(opts.SchedulerPoll, schedulerPoll); poll > 0 {
		a.background.Go(func() { a.Snoozer.Run(runCtx, poll) })
		a.background.Go(func() { a.Viewers.RunExpiry(runCtx, poll) })
		a.background.Go(func() { a.Pruner.Run(runCtx, pruneEvery) })
	}
	return a, nil
}

// schedulerPoll is how often each replica looks for due snoozes and
// expired viewers: a snoozed thread opens at most this late.
const schedulerPoll = time.Second

// pruneEvery is how often each replica prunes the page event log: events
// live a little longer than the retention, never shorter.
const pruneEvery = 10 * time.Minute

func dataDir(cfg Config) string {
	if cfg.DataDir == "" {
		return "data"
	}
	return cfg.DataDir
}

// Handler is the HTTP handler.
func (a *App) Handler() http.Handler { return a.handler }

// StopBackground stops the background workers (the webhook dispatcher,
// ...) and waits for them, so no delivery attempt is in flight after it.
// Close does it too.
func (a *App) StopBackground() {
	a.stop()
	a.background.Wait()
}

// Close stops background work and releases the broker and the database.
func (a *App) Close() error {
	a.StopBackground()
	return errors.Join(a.Broker.Close(), a.Store.Close())
}

// authenticator sends each kind of bearer token to its service.
type authenticator struct {
	accounts *account.Service
	tokens   *apitoken.Service
}

func (a authenticator) Authenticate(ctx context.Context, token string) (*viewer.Viewer, error) {
	switch {
	case secret.HasPrefix(token, secret.SessionPrefix):
		return a.accounts.Authenticate(ctx, token)
	case secret.HasPrefix(token, secret.PageAPIPrefix):
		return a.tokens.Authenticate(ctx, token)
	default:
		return nil, apierr.New(apierr.Unauthenticated, "unknown kind of token")
	}
}

// reportStreamError ends a websocket subscription with an error message.
// Server-sent event streams have no error frame; they just complete.
func reportStreamError(ctx context.Context, err *gqlerror.Error) {
	if sink := push.FromContext(ctx); sink != nil {
		sink.Error(err)
	}
}
