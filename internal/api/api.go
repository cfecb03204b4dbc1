// Package api is pageinbox's HTTP surface (rules 25-27): one GraphQL
// endpoint, /query, over POST (single or batched, post.go, batch.go), GET
// (queries only, get.go), automatic persisted queries (apq.go), websockets
// (graphql-transport-ws and the legacy graphql-ws subprotocol,
// websocket*.go), server-sent events in graphql-sse's two modes (sse.go,
// sse_single.go) and Apollo's multipart subscriptions
// (multipart_subscription.go), behind CORS (cors.go); GraphiQL at / in
// development; /livez, /readyz (and /healthz) for load balancers (health.go).
//
// It authenticates every operation, bounds every query before it runs, caps
// request bodies, and shapes errors so each carries an ErrorCode and no
// internal detail.
package api

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/apierr"
	"pageinbox/internal/metrics"
)

// Config configures the HTTP surface.
type Config struct {
	// Production turns off introspection, GraphiQL and field suggestions.
	Production bool
	Limits     Limits
	// MaxBodyBytes caps a request body (uploads apart).
	MaxBodyBytes int64
	// MaxUploadBytes caps a multipart request with files; MaxFileBytes
	// each file in it.
	MaxUploadBytes int64
	MaxFileBytes   int64
	// BodyTimeout and UploadTimeout bound how long reading a request's
	// body may take (a client trickling a body holds a connection).
	BodyTimeout   time.Duration
	UploadTimeout time.Duration
	// ConnCaps cap websockets, subscriptions and event streams.
	ConnCaps ConnCaps
	// ClientAddress finds a request's client address (the connection
	// caps of anonymous clients); nil = the TCP peer (RemoteAddress).
	ClientAddress func(*http.Request) string
	// WebsocketWriteTimeout disconnects a client that stops reading.
	WebsocketWriteTimeout time.Duration
	// KeepAlive is the interval of server pings on websockets and SSE.
	KeepAlive time.Duration
	// InitTimeout closes a websocket (4408) without connection_init.
	InitTimeout time.Duration
	// CORSOrigins are the browser origins allowed to call the API (rule
	// 26; "*" = any). nil = the mode's default: any in development, none
	// in production.
	CORSOrigins []string
	// MaxBatch caps the operations of a batched request.
	MaxBatch int
	// PersistedQueries is the size of the automatic persisted query cache.
	PersistedQueries int
	Log              *slog.Logger
	// Metrics, when set, receives the operation and error series.
	Metrics *metrics.Metrics
	// PerResponse, when set, adds state that lives for one response -
	// each query's, and each event of a subscription - to its context:
	// batching loaders, which must not serve a later event stale data.
	PerResponse func(context.Context) context.Context
}

// DefaultConfig returns production-safe defaults (development mode).
func DefaultConfig(log *slog.Logger) Config {
	return Config{
		Limits:                DefaultLimits(),
		MaxBodyBytes:          1 << 20,
		MaxUploadBytes:        10*(25<<20) + 1<<20,
		MaxFileBytes:          25 << 20,
		BodyTimeout:           15 * time.Second,
		UploadTimeout:         5 * time.Minute,
		ConnCaps:              DefaultConnCaps(),
		WebsocketWriteTimeout: 10 * time.Second,
		KeepAlive:             15 * time.Second,
		InitTimeout:           3 * time.Second,
		MaxBatch:              DefaultMaxBatch,
		PersistedQueries:      DefaultPersistedQueries,
		Log:                   log,
	}
}

// Health reports whether the server can do its job (the database answers)
// and returns within its own deadline.
type Health func(ctx context.Context) error

// Server is the HTTP handler with what shutdown needs.
type Server struct {
	http.Handler
	sockets  *websockets
	inFlight atomic.Int64
}

// New builds the handler around the executable schema.
func New(cfg Config, schema graphql.ExecutableSchema, auth Authenticator, health Health) *Server {
	pres := presenter{log: cfg.Log, metrics: cfg.Metrics}
	// graphql-ws: "ka" messages; graphql-transport-ws: ping, expect pong.
	sockets := newWebsockets(cfg, schema.Schema(), wsInit(auth))
	caps := newConnCaps(cfg.ConnCaps, auth, cfg.ClientAddress)
	sockets.caps = caps

	srv := handler.New(schema)
	// Order matters: a transport claims the requests it Supports().
	srv.AddTransport(sockets)
	srv.AddTransport(newSSEStreams(cfg.KeepAlive))
	srv.AddTransport(cappedSSE{sseTransport: sseTransport{transport.SSE{KeepAlivePingInterval: cfg.KeepAlive}}, caps: caps})
	srv.AddTransport(multipartSubscriptions{heartbeat: cfg.KeepAlive})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(getTransport{})
	srv.AddTransport(postTransport{maxBatch: cmp.Or(cfg.MaxBatch, DefaultMaxBatch)})
	srv.AddTransport(uploads{maxPart: cfg.MaxBodyBytes, maxFile: cfg.MaxFileBytes, maxTotal: cfg.MaxUploadBytes, auth: auth, log: cfg.Log})
	srv.AddTransport(refuseTransport{})

	if !cfg.Production {
		srv.Use(extension.Introspection{})
	}
	srv.SetDisableSuggestion(cfg.Production)
	// Parsed and validated operations are reused: clients send the same few
	// documents over and over.
	if cfg.Metrics != nil {
		srv.Use(operationMetrics{cfg.Metrics})
	}
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(persistedQueries(cmp.Or(cfg.PersistedQueries, DefaultPersistedQueries)))
	limits := cfg.Limits
	limits.mu = &sync.Mutex{}
	limits.Introspection = !cfg.Production
	srv.Use(limits)
	srv.SetParserTokenLimit(limits.MaxTokens)
	srv.AroundResponses(capErrors(limits.MaxErrors))
	if cfg.PerResponse != nil {
		srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
			return next(cfg.PerResponse(ctx))
		})
	}
	srv.AroundOperations(aroundOperations(auth, func(err error) *gqlerror.Error { return pres.present(context.Background(), err) }))
	srv.AroundFields(fieldErrors)
	srv.SetErrorPresenter(pres.errorPresenter())
	srv.SetRecoverFunc(pres.recoverPanic)

	mux := http.NewServeMux()
	heavy := newHeavyGate(16 << 10)
	mux.Handle("/query", withCredentials(bodyDeadline(cfg.BodyTimeout, cfg.UploadTimeout, capBody(cfg.MaxBodyBytes, heavy.wrap(srv)))))
	// /livez: the process serves (restart it when this fails). /readyz:
	// the database answered within its deadline (send traffic elsewhere
	// while this fails). /healthz is /readyz, as it always meant "can
	// answer requests".
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	ready := readiness(health, cfg.Log)
	mux.Handle("GET /readyz", ready)
	mux.Handle("GET /healthz", ready)
	if !cfg.Production {
		mux.Handle("/", graphiqlHandler())
	}
	s := &Server{sockets: sockets}
	cors := withCORS(cfg.corsOrigins(), mux)
	s.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") == "" {
			s.inFlight.Add(1)
			defer s.inFlight.Add(-1)
		}
		cors.ServeHTTP(w, withTransport(r))
	})
	return s
}

// InFlight counts HTTP requests being answered (websockets apart).
func (s *Server) InFlight() int { return int(s.inFlight.Load()) }

// capBody bounds request bodies; multipart uploads are bounded by the
// multipart transport's own (larger) limit.
func capBody(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			writeError(w, http.StatusRequestEntityTooLarge, apierr.Errorf(apierr.LimitExceeded, "request body over %d bytes", limit))
			return
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// CloseWebsockets closes every websocket with 1001 (going away).
func (s *Server) CloseWebsockets() { s.sockets.Shutdown() }

// SharedRenders counts subscription deliveries that reused the rendering
// made for another subscriber of the same event (metrics, tests).
func (s *Server) SharedRenders() int64 { return s.sockets.renders.reused.Load() }

// OpenWebsockets counts open websockets.
func (s *Server) OpenWebsockets() int { return s.sockets.Open() }
