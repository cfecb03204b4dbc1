package app

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"pageinbox/internal/api"
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
	// WebhookAllowPrivate lets webhooks target loopback and private
	// addresses (PAGEINBOX_WEBHOOK_ALLOW_PRIVATE=1).
	WebhookAllowPrivate bool
	// PublicURL is the origin file download URLs start with
	// (PAGEINBOX_PUBLIC_URL, e.g. https://inbox.example.com); empty = the
	// origin of each request.
	PublicURL string
	// MessagesPerMinute and ThreadsPerHour are rule 23's limits per sender
	// (PAGEINBOX_RATE_MESSAGES_PER_MINUTE, default 60, and
	// PAGEINBOX_RATE_THREADS_PER_HOUR, default 10; 0 turns a limit off).
	// ConfigFromEnv sets the defaults; a zero Config has no limits.
	MessagesPerMinute int
	ThreadsPerHour    int
	// CORSOrigins are the browser origins allowed to call the API
	// (PAGEINBOX_CORS_ORIGINS: a comma list, "*" = any; unset = any in
	// development, none in production).
	CORSOrigins []string
	// TypingTTL is how long "typing" holds without renewal (tests shorten
	// it; not an environment setting).
	TypingTTL time.Duration
	// EventBuffer is each subscription's event buffer (default 64; tests
	// shrink it to exercise resynchronisation).
	EventBuffer int
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
	if v := strings.TrimSpace(getenv("PAGEINBOX_CORS_ORIGINS")); v != "" {
		cfg.CORSOrigins = api.ParseCORSOrigins(v)
	}
	cfg.PublicURL = strings.TrimRight(strings.TrimSpace(getenv("PAGEINBOX_PUBLIC_URL")), "/")
	if lvl := getenv("PAGEINBOX_LOG_LEVEL"); lvl != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
			return cfg, fmt.Errorf("PAGEINBOX_LOG_LEVEL: %w", err)
		}
	}
	return cfg, nil
}

// Rule 23's default limits.
const (
	DefaultMessagesPerMinute = 60
	DefaultThreadsPerHour    = 10
)

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
