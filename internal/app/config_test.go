package app

import (
	"testing"
	"time"

	"pageinbox/internal/api"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestRateLimitsDefaultToRule23AndCanBeChangedOrTurnedOff(t *testing.T) {
	cfg, err := ConfigFromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MessagesPerMinute != 60 || cfg.ThreadsPerHour != 10 {
		t.Fatalf("defaults %d/min, %d/hour; rule 23 says 60 and 10", cfg.MessagesPerMinute, cfg.ThreadsPerHour)
	}
	cfg, err = ConfigFromEnv(env(map[string]string{"PAGEINBOX_RATE_MESSAGES_PER_MINUTE": "120", "PAGEINBOX_RATE_THREADS_PER_HOUR": "0"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MessagesPerMinute != 120 || cfg.ThreadsPerHour != 0 {
		t.Fatalf("set to 120 and 0, got %d and %d", cfg.MessagesPerMinute, cfg.ThreadsPerHour)
	}
	for _, bad := range []string{"-1", "ten", "1.5"} {
		if _, err := ConfigFromEnv(env(map[string]string{"PAGEINBOX_RATE_MESSAGES_PER_MINUTE": bad})); err == nil {
			t.Errorf("PAGEINBOX_RATE_MESSAGES_PER_MINUTE=%s accepted", bad)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	cfg, err := ConfigFromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8080" || cfg.DataDir != "data" || cfg.DatabaseURL != "" || cfg.Production {
		t.Fatalf("defaults: %+v", cfg)
	}
	if _, err := ConfigFromEnv(env(map[string]string{"PAGEINBOX_ENV": "staging"})); err == nil {
		t.Error("an unknown PAGEINBOX_ENV must be refused")
	}
}

func TestBoundsDefaultAndCanBeChangedOrTurnedOff(t *testing.T) {
	cfg, err := ConfigFromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if *cfg.Limits != api.DefaultLimits() || *cfg.ConnCaps != api.DefaultConnCaps() {
		t.Fatalf("defaults: %+v %+v", *cfg.Limits, *cfg.ConnCaps)
	}
	cfg, err = ConfigFromEnv(env(map[string]string{
		"PAGEINBOX_MAX_QUERY_TOKENS": "5000", "PAGEINBOX_MAX_ALIASES": "0", "PAGEINBOX_MAX_ERRORS": "20",
		"PAGEINBOX_MAX_QUERY_DEPTH": "12", "PAGEINBOX_MAX_QUERY_COMPLEXITY": "1000",
		"PAGEINBOX_MAX_SUBSCRIPTIONS_PER_SOCKET": "7", "PAGEINBOX_MAX_OPERATIONS_PER_SOCKET": "3",
		"PAGEINBOX_MAX_SOCKETS_PER_PERSON": "4", "PAGEINBOX_MAX_SOCKETS_PER_ADDRESS": "9", "PAGEINBOX_MAX_STREAMS_PER_PERSON": "2",
		"PAGEINBOX_BODY_TIMEOUT": "20s", "PAGEINBOX_UPLOAD_TIMEOUT": "10m",
	}))
	if err != nil {
		t.Fatal(err)
	}
	l, c := cfg.Limits, cfg.ConnCaps
	if l.MaxTokens != 5000 || l.MaxAliases != 0 || l.MaxErrors != 20 || l.MaxDepth != 12 || l.MaxComplexity != 1000 ||
		c.SubscriptionsPerSocket != 7 || c.OperationsPerSocket != 3 || c.SocketsPerPerson != 4 || c.SocketsPerAddress != 9 ||
		c.StreamsPerPerson != 2 || cfg.BodyTimeout != 20*time.Second || cfg.UploadTimeout != 10*time.Minute {
		t.Fatalf("settings not applied: %+v %+v %s %s", *l, *c, cfg.BodyTimeout, cfg.UploadTimeout)
	}
	for name, bad := range map[string]string{"PAGEINBOX_MAX_ERRORS": "-1", "PAGEINBOX_MAX_ALIASES": "many", "PAGEINBOX_BODY_TIMEOUT": "15"} {
		if _, err := ConfigFromEnv(env(map[string]string{name: bad})); err == nil {
			t.Errorf("%s=%s accepted", name, bad)
		}
	}
}

func TestAbuseLimitsDefaultToRule30AndCanBeTurnedOff(t *testing.T) {
	cfg, err := ConfigFromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LoginFailures != 10 || cfg.SignUpsPerHour != 20 {
		t.Fatalf("defaults %d failed log-ins, %d sign-ups/hour; want 10 and 20", cfg.LoginFailures, cfg.SignUpsPerHour)
	}
	cfg, err = ConfigFromEnv(env(map[string]string{"PAGEINBOX_RATE_LOGIN_FAILURES": "0", "PAGEINBOX_RATE_SIGNUPS_PER_HOUR": "0",
		"PAGEINBOX_TRUSTED_PROXIES": "10.0.0.0/8, 2001:db8::/32, 192.0.2.1"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LoginFailures != 0 || cfg.SignUpsPerHour != 0 {
		t.Fatalf("0 must turn the limits off: %d, %d", cfg.LoginFailures, cfg.SignUpsPerHour)
	}
	for name, bad := range map[string]string{"PAGEINBOX_RATE_LOGIN_FAILURES": "-1", "PAGEINBOX_RATE_SIGNUPS_PER_HOUR": "many",
		"PAGEINBOX_TRUSTED_PROXIES": "10.0.0.0/99"} {
		if _, err := ConfigFromEnv(env(map[string]string{name: bad})); err == nil {
			t.Errorf("%s=%s accepted", name, bad)
		}
	}
}

// TestEventRetentionIsAtLeastSevenDays is rule 34's floor for the event
// log's retention.
func TestEventRetentionIsAtLeastSevenDays(t *testing.T) {
	cfg, err := ConfigFromEnv(env(map[string]string{"PAGEINBOX_EVENT_RETENTION": "720h"}))
	if err != nil || cfg.EventRetention != 30*24*time.Hour {
		t.Fatalf("720h: %s, %v", cfg.EventRetention, err)
	}
	for _, bad := range []string{"24h", "167h", "week", "-1h"} {
		if _, err := ConfigFromEnv(env(map[string]string{"PAGEINBOX_EVENT_RETENTION": bad})); err == nil {
			t.Errorf("PAGEINBOX_EVENT_RETENTION=%s accepted", bad)
		}
	}
}

func TestVAPIDSubjectIsAMailtoOrHTTPSURL(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{nil, ""}, // internal/webpush's placeholder
		{map[string]string{"PAGEINBOX_PUBLIC_URL": "https://inbox.example.com/"}, "https://inbox.example.com"},
		{map[string]string{"PAGEINBOX_PUBLIC_URL": "http://localhost:8080"}, ""},
		{map[string]string{"PAGEINBOX_VAPID_SUBJECT": "mailto:ops@example.com", "PAGEINBOX_PUBLIC_URL": "https://x.example"}, "mailto:ops@example.com"},
	}
	for _, c := range cases {
		cfg, err := ConfigFromEnv(env(c.env))
		if err != nil || cfg.VAPIDSubject != c.want {
			t.Errorf("%v: %q, %v; want %q", c.env, cfg.VAPIDSubject, err, c.want)
		}
	}
	for _, bad := range []string{"ops@example.com", "http://example.com"} {
		if _, err := ConfigFromEnv(env(map[string]string{"PAGEINBOX_VAPID_SUBJECT": bad})); err == nil {
			t.Errorf("PAGEINBOX_VAPID_SUBJECT=%s accepted", bad)
		}
	}
}

func TestSessionCacheDefaultsAndCanBeTurnedOff(t *testing.T) {
	for v, want := range map[string]time.Duration{"": 0, "5s": 5 * time.Second, "0": -1} {
		cfg, err := ConfigFromEnv(env(map[string]string{"PAGEINBOX_SESSION_CACHE": v}))
		if err != nil || cfg.SessionCache != want {
			t.Errorf("PAGEINBOX_SESSION_CACHE=%q: %v, %v; want %v (0 = the default, negative = off)", v, cfg.SessionCache, err, want)
		}
	}
	for _, bad := range []string{"ten", "0s", "2m", "-1s"} {
		if _, err := ConfigFromEnv(env(map[string]string{"PAGEINBOX_SESSION_CACHE": bad})); err == nil {
			t.Errorf("PAGEINBOX_SESSION_CACHE=%s accepted", bad)
		}
	}
}
