package app

import (
	"fmt"
	"log/slog"
	"pageinbox/internal/pubsub"
	"strconv"
	"strings"
	"time"

	"pageinbox/internal/api"
	"pageinbox/internal/clientaddr"
)

// Config is the server's settings, read from the environment (README lists
// them all).
type Config struct {
	Addr        string        // PAGEINBOX_ADDR, default ":8080"
	DatabaseURL string        // DATABASE_URL: postgres://... ; empty = SQLite
	DataDir     string        // PAGEINBOX_DATA_DIR, default "./data"
	Production  bool          // PAGEINBOX_ENV=production
	ReplyWindow time.Duration // PAGEINBOX_REPLY_WINDOW, e.g. "24h"; empty = none
	LogLevel    slog.Level    // PAGEINBOX_LOG_LEVEL: debug, info, warn, error
	// EventBus selects how replicas share live events
	// (PAGEINBOX_EVENT_BUS): empty = in-process on SQLite, PostgreSQL
	// LISTEN/NOTIFY on PostgreSQL; nats://host:port[/prefix] = NATS
	// JetStream (PostgreSQL only: the outbox lives in the database).
	EventBus string
	// WebhookAllowPrivate lets webhooks target loopback and private
	// addresses (PAGEINBOX_WEBHOOK_ALLOW_PRIVATE=1).
	WebhookAllowPrivate bool
	// PublicURL is the origin file download URLs start with
	// (PAGEINBOX_PUBLIC_URL, e.g. https://inbox.example.com); empty =
	// relative URLs (never the request's Host: rule 31).
	PublicURL string
	// VAPIDSubject is the contact push services see in Web Push requests
	// (PAGEINBOX_VAPID_SUBJECT: a mailto: or https: URL). Empty: the
	// public URL when it is https, else a placeholder address.
	VAPIDSubject string
	// MessagesPerMinute and ThreadsPerHour are rule 23's limits per sender
	// (PAGEINBOX_RATE_MESSAGES_PER_MINUTE, default 60, and
	// PAGEINBOX_RATE_THREADS_PER_HOUR, default 10; 0 turns a limit off).
	// ConfigFromEnv sets the defaults; a zero Config has no limits.
	MessagesPerMinute int
	ThreadsPerHour    int
	// LoginFailures is rule 30's limit on failed log-ins per account and
	// per client address in 15 minutes (PAGEINBOX_RATE_LOGIN_FAILURES,
	// default 10); SignUpsPerHour its limit on sign-ups per client address
	// (PAGEINBOX_RATE_SIGNUPS_PER_HOUR, default 20). 0 turns either off.
	LoginFailures  int
	SignUpsPerHour int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (PAGEINBOX_TRUSTED_PROXIES, comma list of addresses and
	// CIDR ranges; empty = the connection's address is the client's).
	TrustedProxies clientaddr.Resolver
	// CORSOrigins are the browser origins allowed to call the API
	// (PAGEINBOX_CORS_ORIGINS: a comma list, "*" = any; unset = any in
	// development, none in production).
	CORSOrigins []string
	// EventRetention is how long the page event log keeps an event
	// (PAGEINBOX_EVENT_RETENTION, a Go duration; default and minimum 168h,
	// rule 34).
	EventRetention time.Duration
	// TypingTTL is how long "typing" holds without renewal (tests shorten
	// it; not an environment setting).
	TypingTTL time.Duration
	// EventBuffer is each subscription's event buffer (default 64; tests
	// shrink it to exercise resynchronisation).
	EventBuffer int
	// Limits and ConnCaps are rule 29's bounds on requests and live
	// connections (PAGEINBOX_MAX_*); BodyTimeout and UploadTimeout bound
	// reading a body (PAGEINBOX_BODY_TIMEOUT, PAGEINBOX_UPLOAD_TIMEOUT).
	// ConfigFromEnv sets them all; nil or 0 keeps api's defaults.
	Limits        *api.Limits
	ConnCaps      *api.ConnCaps
	BodyTimeout   time.Duration
	UploadTimeout time.Duration
	// DBTimeout bounds each read and write on a PostgreSQL connection
	// (PAGEINBOX_DB_TIMEOUT, default 10s): how long a request waits for a
	// hung database before it is answered UNAVAILABLE. 0 = the default.
	DBTimeout time.Duration
	// MigrateAllowDestructive applies migrations marked destructive
	// (PAGEINBOX_MIGRATE_ALLOW_DESTRUCTIVE=1).
	MigrateAllowDestructive bool
	// MetricsToken, when set, is the bearer token /metrics requires
	// (PAGEINBOX_METRICS_TOKEN; empty = /metrics is open).
	MetricsToken string
	// SessionCache is how long a replica reuses a session token's lookup
	// (PAGEINBOX_SESSION_CACHE, a Go duration; default 10s, "0" = off).
	// Revocations and role changes reach every replica's cache through
	// the event bus well before that (account.SessionCache).
	SessionCache time.Duration
}

// ConfigFromEnv reads the configuration through getenv (os.Getenv).
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{
		Addr:        or(getenv("PAGEINBOX_ADDR"), ":8080"),
		DatabaseURL: strings.TrimSpace(getenv("DATABASE_URL")),
		DataDir:     or(getenv("PAGEINBOX_DATA_DIR"), "data"),
	}
	switch env := strings.ToLower(strings.TrimSpace(getenv("PAGEINBOX_ENV"))); env {
	case "", "development", "dev":
	case "production", "prod":
		cfg.Production = true
	default:
		return cfg, fmt.Errorf("PAGEINBOX_ENV must be development or production, not %q", env)
	}
	if w := strings.TrimSpace(getenv("PAGEINBOX_REPLY_WINDOW")); w != "" {
		d, err := time.ParseDuration(w)
		if err != nil || d < 0 {
			return cfg, fmt.Errorf("PAGEINBOX_REPLY_WINDOW must be a Go duration such as 24h: %q", w)
		}
		cfg.ReplyWindow = d
	}
	if r := strings.TrimSpace(getenv("PAGEINBOX_EVENT_RETENTION")); r != "" {
		d, err := time.ParseDuration(r)
		if err != nil || d < MinEventRetention {
			return cfg, fmt.Errorf("PAGEINBOX_EVENT_RETENTION must be a Go duration of at least 168h (7 days): %q", r)
		}
		cfg.EventRetention = d
	}
	switch v := strings.TrimSpace(getenv("PAGEINBOX_WEBHOOK_ALLOW_PRIVATE")); v {
	case "", "0", "false":
	case "1", "true":
		cfg.WebhookAllowPrivate = true
	default:
		return cfg, fmt.Errorf("PAGEINBOX_WEBHOOK_ALLOW_PRIVATE must be 1 or 0, not %q", v)
	}
	var err error
	if cfg.MessagesPerMinute, err = count(getenv, "PAGEINBOX_RATE_MESSAGES_PER_MINUTE", DefaultMessagesPerMinute); err != nil {
		return cfg, err
	}
	if cfg.ThreadsPerHour, err = count(getenv, "PAGEINBOX_RATE_THREADS_PER_HOUR", DefaultThreadsPerHour); err != nil {
		return cfg, err
	}
	if cfg.LoginFailures, err = count(getenv, "PAGEINBOX_RATE_LOGIN_FAILURES", DefaultLoginFailures); err != nil {
		return cfg, err
	}
	if cfg.SignUpsPerHour, err = count(getenv, "PAGEINBOX_RATE_SIGNUPS_PER_HOUR", DefaultSignUpsPerHour); err != nil {
		return cfg, err
	}
	if cfg.TrustedProxies, err = clientaddr.ParseTrusted(getenv("PAGEINBOX_TRUSTED_PROXIES")); err != nil {
		return cfg, err
	}
	if err := bounds(getenv, &cfg); err != nil {
		return cfg, err
	}
	if v := strings.TrimSpace(getenv("PAGEINBOX_CORS_ORIGINS")); v != "" {
		cfg.CORSOrigins = api.ParseCORSOrigins(v)
	}
	if v := strings.TrimSpace(getenv("PAGEINBOX_DB_TIMEOUT")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return cfg, fmt.Errorf("PAGEINBOX_DB_TIMEOUT must be a positive Go duration such as 10s: %q", v)
		}
		cfg.DBTimeout = d
	}
	if v := strings.TrimSpace(getenv("PAGEINBOX_SESSION_CACHE")); v != "" {
		d, err := time.ParseDuration(v)
		if v == "0" {
			d, err = -1, nil
		}
		if err != nil || d == 0 || (d < 0 && v != "0") || d > time.Minute {
			return cfg, fmt.Errorf(`PAGEINBOX_SESSION_CACHE must be a Go duration up to 1m such as 10s, or "0" for none: %q`, v)
		}
		cfg.SessionCache = d
	}
	switch v := strings.TrimSpace(getenv("PAGEINBOX_MIGRATE_ALLOW_DESTRUCTIVE")); v {
	case "", "0", "false":
	case "1", "true":
		cfg.MigrateAllowDestructive = true
	default:
		return cfg, fmt.Errorf("PAGEINBOX_MIGRATE_ALLOW_DESTRUCTIVE must be 1 or 0, not %q", v)
	}
	cfg.MetricsToken = strings.TrimSpace(getenv("PAGEINBOX_METRICS_TOKEN"))
	cfg.PublicURL = strings.TrimRight(strings.TrimSpace(getenv("PAGEINBOX_PUBLIC_URL")), "/")
	cfg.VAPIDSubject = strings.TrimSpace(getenv("PAGEINBOX_VAPID_SUBJECT"))
	switch {
	case cfg.VAPIDSubject == "" && strings.HasPrefix(cfg.PublicURL, "https://"):
		cfg.VAPIDSubject = cfg.PublicURL
	case cfg.VAPIDSubject != "" && !strings.HasPrefix(cfg.VAPIDSubject, "mailto:") && !strings.HasPrefix(cfg.VAPIDSubject, "https://"):
		return cfg, fmt.Errorf("PAGEINBOX_VAPID_SUBJECT must be a mailto: or https: URL, not %q", cfg.VAPIDSubject)
	}
	if cfg.EventBus = strings.TrimSpace(getenv("PAGEINBOX_EVENT_BUS")); cfg.EventBus != "" {
		if _, _, err := pubsub.ParseBusURL(cfg.EventBus); err != nil {
			return cfg, fmt.Errorf("PAGEINBOX_EVENT_BUS: %w", err)
		}
	}
	if lvl := getenv("PAGEINBOX_LOG_LEVEL"); lvl != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
			return cfg, fmt.Errorf("PAGEINBOX_LOG_LEVEL: %w", err)
		}
	}
	return cfg, nil
}

// MinEventRetention is rule 34's floor for PAGEINBOX_EVENT_RETENTION.
const MinEventRetention = 7 * 24 * time.Hour

// Rule 23's and rule 30's default limits.
const (
	DefaultMessagesPerMinute = 60
	DefaultThreadsPerHour    = 10
	DefaultLoginFailures     = 10
	DefaultSignUpsPerHour    = 20
)

// bounds reads rule 29's settings; every one defaults to api's value.
func bounds(getenv func(string) string, cfg *Config) error {
	l, c := api.DefaultLimits(), api.DefaultConnCaps()
	for _, s := range []struct {
		name string
		v    *int
	}{
		{"PAGEINBOX_MAX_QUERY_TOKENS", &l.MaxTokens},
		{"PAGEINBOX_MAX_QUERY_DEPTH", &l.MaxDepth},
		{"PAGEINBOX_MAX_QUERY_COMPLEXITY", &l.MaxComplexity},
		{"PAGEINBOX_MAX_ALIASES", &l.MaxAliases},
		{"PAGEINBOX_MAX_ERRORS", &l.MaxErrors},
		{"PAGEINBOX_MAX_SUBSCRIPTIONS_PER_SOCKET", &c.SubscriptionsPerSocket},
		{"PAGEINBOX_MAX_OPERATIONS_PER_SOCKET", &c.OperationsPerSocket},
		{"PAGEINBOX_MAX_SOCKETS_PER_PERSON", &c.SocketsPerPerson},
		{"PAGEINBOX_MAX_SOCKETS_PER_ADDRESS", &c.SocketsPerAddress},
		{"PAGEINBOX_MAX_STREAMS_PER_PERSON", &c.StreamsPerPerson},
	} {
		n, err := count(getenv, s.name, *s.v)
		if err != nil {
			return err
		}
		*s.v = n
	}
	cfg.Limits, cfg.ConnCaps = &l, &c
	for _, s := range []struct {
		name string
		v    *time.Duration
	}{{"PAGEINBOX_BODY_TIMEOUT", &cfg.BodyTimeout}, {"PAGEINBOX_UPLOAD_TIMEOUT", &cfg.UploadTimeout}} {
		if v := strings.TrimSpace(getenv(s.name)); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("%s must be a Go duration such as 30s: %q", s.name, v)
			}
			*s.v = d
		}
	}
	return nil
}

// count reads a non-negative whole number, def when unset.
func count(getenv func(string) string, name string, def int) (int, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s must be a whole number >= 0 (0 = no limit), not %q", name, v)
	}
	return n, nil
}

func or(v, def string) string {
	if v = strings.TrimSpace(v); v != "" {
		return v
	}
	return def
}
