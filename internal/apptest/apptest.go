// Package apptest starts real pageinbox servers for tests: the whole HTTP
// stack on 127.0.0.1, over a fresh SQLite file or a fresh PostgreSQL
// database per test, with a clock the test controls. Tests talk to it as
// clients do: GraphQL over HTTP and websockets.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	// SQL drivers for the stores under test.
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"pageinbox/internal/account"
	"pageinbox/internal/api"
	"pageinbox/internal/app"
	"pageinbox/internal/clientaddr"
	"pageinbox/internal/clock"
	"pageinbox/internal/webhook"
	"pageinbox/internal/webpush"
)

// Backend names a database.
type Backend string

// The two stores every rule is tested on.
const (
	SQLite   Backend = "sqlite"
	Postgres Backend = "postgres"
)

// shared is the per-process PostgreSQL template; Main drops it at exit.
var shared = &postgres{}

// Main runs a test package and cleans up the databases it created. Use it
// from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	shared.close()
	os.Exit(code)
}

// Each runs f once per backend, as parallel subtests named after them.
func Each(t *testing.T, f func(t *testing.T, b Backend)) {
	for _, b := range []Backend{SQLite, Postgres} {
		t.Run(string(b), func(t *testing.T) {
			t.Parallel()
			f(t, b)
		})
	}
}

// Server is a pageinbox under test.
type Server struct {
	*app.App
	t       testing.TB
	HTTP    *httptest.Server
	URL     string // the /query endpoint
	Clock   *clock.Manual
	Backend Backend
	DataDir string
	// statements counts SQL statements of marked requests (see
	// CountStatements); counting marks the requests Do sends.
	statements atomic.Int64
	counting   atomic.Bool
	users      atomic.Int64
	salt       string
	problems   *atomic.Int64 // log records at WARN and above
}

// LoggedProblems counts the server's log records at WARN and ERROR so far
// (logs must grow with events, not with load).
func (s *Server) LoggedProblems() int64 { return s.problems.Load() }

// Option changes the server before it starts.
type Option func(*settings)

type settings struct {
	cfg      app.Config
	api      *api.Config
	webhooks *webhook.Config
	push     *webpush.Config
	poll     time.Duration
	logs     io.Writer
}

// WithLogs also writes the server's log records (WARN and above, as text)
// to w, for tests that read them.
func WithLogs(w io.Writer) Option { return func(s *settings) { s.logs = w } }

// WithSchedulerPoll runs the snooze scheduler and the viewers' expiry in
// the background every d. Without it they never run on their own: tests
// move the clock and call Snoozer.Wake and Viewers.Expire, so what they
// assert does not depend on a ticker.
func WithSchedulerPoll(d time.Duration) Option { return func(s *settings) { s.poll = d } }

// WithWebhookTargets lets webhooks reach 127.0.0.1 (the tests' receivers)
// and polls for due deliveries every 20 ms.
func WithWebhookTargets() Option {
	return func(s *settings) {
		s.cfg.WebhookAllowPrivate = true
		s.webhooks.Poll = 20 * time.Millisecond
	}
}

// WithWebhookTimeout shortens a delivery attempt's timeout (15 s), so a
// test sees an attempt time out without waiting for it.
func WithWebhookTimeout(d time.Duration) Option { return func(s *settings) { s.webhooks.Timeout = d } }

// WithPushTargets lets Web Push reach 127.0.0.1 (the tests' push
// services, PushService) and polls for due pushes every 20 ms.
func WithPushTargets() Option {
	return func(s *settings) {
		s.cfg.WebhookAllowPrivate = true
		s.push.Poll = 20 * time.Millisecond
	}
}

// WithWebhookPoll only shortens the delivery poll (the SSRF guard stays on).
func WithWebhookPoll() Option { return func(s *settings) { s.webhooks.Poll = 20 * time.Millisecond } }

// WithPublicURL sets PAGEINBOX_PUBLIC_URL.
func WithPublicURL(u string) Option { return func(s *settings) { s.cfg.PublicURL = u } }

// WithReplyWindow sets PAGEINBOX_REPLY_WINDOW.
func WithReplyWindow(d time.Duration) Option { return func(s *settings) { s.cfg.ReplyWindow = d } }

// WithRateLimits sets rule 23's limits (tests run without them unless
// they ask, so fixtures may send freely).
func WithRateLimits(messagesPerMinute, threadsPerHour int) Option {
	return func(s *settings) {
		s.cfg.MessagesPerMinute, s.cfg.ThreadsPerHour = messagesPerMinute, threadsPerHour
	}
}

// WithAbuseLimits sets rule 30's limits: failed log-ins per account and
// per address in 15 minutes, sign-ups per address per hour (tests run
// without them unless they ask: fixtures sign many people up from
// 127.0.0.1).
func WithAbuseLimits(loginFailures, signUpsPerHour int) Option {
	return func(s *settings) {
		s.cfg.LoginFailures, s.cfg.SignUpsPerHour = loginFailures, signUpsPerHour
	}
}

// WithTrustedProxies sets PAGEINBOX_TRUSTED_PROXIES.
func WithTrustedProxies(list string) Option {
	return func(s *settings) {
		res, err := clientaddr.ParseTrusted(list)
		if err != nil {
			panic(err)
		}
		s.cfg.TrustedProxies = res
	}
}

// DoFrom is Do through a trusted proxy that names the client address in
// X-Forwarded-For.
func (s *Server) DoFrom(addr, token, query string, vars Vars) *Response {
	s.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", addr)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return s.Send(req)
}

// WithTypingTTL shortens how long "typing" holds without renewal.
func WithTypingTTL(d time.Duration) Option { return func(s *settings) { s.cfg.TypingTTL = d } }

// WithEventBuffer sets each subscription's event buffer.
func WithEventBuffer(n int) Option { return func(s *settings) { s.cfg.EventBuffer = n } }

// WithProduction sets PAGEINBOX_ENV=production.
func WithProduction() Option { return func(s *settings) { s.cfg.Production = true } }

// WithDBTimeout sets PAGEINBOX_DB_TIMEOUT (outage tests shorten it).
func WithDBTimeout(d time.Duration) Option { return func(s *settings) { s.cfg.DBTimeout = d } }

// WithMetricsToken sets PAGEINBOX_METRICS_TOKEN.
func WithMetricsToken(token string) Option { return func(s *settings) { s.cfg.MetricsToken = token } }

// WithAPI changes the HTTP settings.
func WithAPI(f func(*api.Config)) Option { return func(s *settings) { f(s.api) } }

// DatabaseURL returns a fresh database URL for the backend ("" = SQLite).
func DatabaseURL(t testing.TB, b Backend) string {
	if b == Postgres {
		return shared.database(t)
	}
	return ""
}

// Start starts a server on a fresh database.
func Start(t testing.TB, b Backend, opts ...Option) *Server {
	t.Helper()
	return StartOn(t, b, DatabaseURL(t, b), t.TempDir(), opts...)
}

// StartOn starts a server on a given database (replica tests start two on
// one database).
func StartOn(t testing.TB, b Backend, databaseURL, dataDir string, opts ...Option) *Server {
	t.Helper()
	problems := &atomic.Int64{}
	hookCfg := webhook.DefaultConfig()
	pushCfg := webpush.DefaultConfig()
	st := &settings{cfg: app.Config{DatabaseURL: databaseURL, DataDir: dataDir}, webhooks: &hookCfg, push: &pushCfg, poll: -1}
	apiCfg := api.DefaultConfig(nil)
	st.api = &apiCfg
	for _, o := range opts {
		o(st)
	}
	var out io.Writer = testWriter{t, problems}
	if st.logs != nil {
		out = io.MultiWriter(out, st.logs)
	}
	log := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st.api.Log = log
	s := &Server{t: t, problems: problems, Clock: clock.NewManual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)), Backend: b, DataDir: dataDir,
		salt: strconv.FormatUint(rand.Uint64()%46656, 36)}
	a, err := app.New(context.Background(), st.cfg, app.Options{
		Log:   log,
		Clock: s.Clock,
		// Cheap hashing keeps sign-ups fast; the format is the real one.
		Hash:          account.HashParams{Time: 1, Memory: 64, Threads: 1},
		API:           st.api,
		Webhooks:      st.webhooks,
		Push:          st.push,
		SchedulerPoll: st.poll,
		Trace: func(ctx context.Context, args ...any) {
			if ctx.Value(countedKey{}) != nil {
				s.statements.Add(1)
			}
			if os.Getenv("PAGEINBOX_TEST_TRACE_SQL") == "1" {
				t.Log(args...)
			}
		},
	})
	if err != nil {
		t.Fatalf("start pageinbox: %v", err)
	}
	s.App = a
	handler := a.Handler()
	s.HTTP = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(countedHeader) != "" {
			r = r.WithContext(context.WithValue(r.Context(), countedKey{}, true))
		}
		handler.ServeHTTP(w, r)
	}))
	s.URL = s.HTTP.URL + "/query"
	t.Cleanup(func() {
		s.Server.CloseWebsockets()
		s.HTTP.Close()
		if err := a.Close(); err != nil {
			t.Errorf("close app: %v", err)
		}
	})
	return s
}

// testWriter sends server logs to the test log, counting them.
type testWriter struct {
	t     testing.TB
	count *atomic.Int64
}

func (w testWriter) Write(p []byte) (int, error) {
	w.count.Add(1)
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// countedHeader marks the requests CountStatements counts the statements
// of; countedKey carries the mark in their context.
const countedHeader = "X-Pageinbox-Test-Count"

type countedKey struct{}

// CountStatements runs f and returns how many SQL statements the requests
// it sends with Do ran - not the server's background work (the webhook
// dispatcher's polls), which would make the count depend on timing.
func (s *Server) CountStatements(f func()) int {
	before := s.statements.Load()
	s.counting.Store(true)
	defer s.counting.Store(false)
	f()
	return int(s.statements.Load() - before)
}

// Response is a GraphQL response.
type Response struct {
	t      testing.TB
	Status int
	Data   map[string]any
	Errors []Error
	Raw    []byte
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code is the error's extensions.code.
func (e Error) Code() string { c, _ := e.Extensions["code"].(string); return c }

// Vars are GraphQL variables.
type Vars = map[string]any

// Do posts an operation as the holder of token ("" = anonymous).
func (s *Server) Do(token, query string, vars Vars) *Response {
	s.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if s.counting.Load() {
		req.Header.Set(countedHeader, "1")
	}
	return s.Send(req)
}

// Send sends a prepared HTTP request and decodes the GraphQL response.
func (s *Server) Send(req *http.Request) *Response {
	s.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("request: %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := &Response{t: s.t, Status: res.StatusCode, Raw: raw}
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []Error        `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		s.t.Fatalf("response is not JSON (%d): %s", res.StatusCode, raw)
	}
	r.Data, r.Errors = out.Data, out.Errors
	return r
}

// OK fails the test when the response has errors, and returns it.
func (r *Response) OK() *Response {
	r.t.Helper()
	if len(r.Errors) > 0 {
		r.t.Fatalf("unexpected errors: %s", r.Raw)
	}
	return r
}

// Code returns the first error's code ("" when there is none).
func (r *Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Code()
}

// WantCode fails unless the first error has the code.
func (r *Response) WantCode(code string) *Response {
	r.t.Helper()
	if r.Code() != code {
		r.t.Fatalf("want error %s, got %s", code, r.Raw)
	}
	return r
}

// Get reads a value by dotted path ("sendMessage.message.seq"; list items
// by index: "threads.edges.0.node.id").
func (r *Response) Get(path string) any {
	r.t.Helper()
	var v any = r.Data
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				r.t.Fatalf("no %q in %s (path %s)", k, r.Raw, path)
			}
		case []any:
			var i int
			if _, err := fmt.Sscan(k, &i); err != nil || i >= len(x) {
				r.t.Fatalf("bad index %q in path %s of %s", k, path, r.Raw)
			}
			v = x[i]
		default:
			r.t.Fatalf("cannot read %q of %v (path %s) in %s", k, v, path, r.Raw)
		}
	}
	return v
}

// String reads a string by path.
func (r *Response) String(path string) string {
	r.t.Helper()
	s, ok := r.Get(path).(string)
	if !ok {
		r.t.Fatalf("%s is not a string in %s", path, r.Raw)
	}
	return s
}

// Int reads a number by path.
func (r *Response) Int(path string) int {
	r.t.Helper()
	f, ok := r.Get(path).(float64)
	if !ok {
		r.t.Fatalf("%s is not a number in %s", path, r.Raw)
	}
	return int(f)
}

// Bool reads a boolean by path.
func (r *Response) Bool(path string) bool {
	r.t.Helper()
	b, ok := r.Get(path).(bool)
	if !ok {
		r.t.Fatalf("%s is not a boolean in %s", path, r.Raw)
	}
	return b
}

// Null reports whether the value at path is null.
func (r *Response) Null(path string) bool {
	r.t.Helper()
	return r.Get(path) == nil
}

// Len is the length of the list at path.
func (r *Response) Len(path string) int {
	r.t.Helper()
	l, ok := r.Get(path).([]any)
	if !ok {
		r.t.Fatalf("%s is not a list in %s", path, r.Raw)
	}
	return len(l)
}

// WaitSubscribers waits until the server holds exactly n open subscriptions, so a
// test can publish knowing the subscribers are registered.
func (s *Server) WaitSubscribers(n int) {
	s.t.Helper()
	Eventually(s.t, 5*time.Second, func() error {
		if have := s.Broker.Subscribers(); have != n {
			return fmt.Errorf("want %d subscriptions, have %d", n, have)
		}
		return nil
	})
}
