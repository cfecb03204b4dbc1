package app

import "testing"

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
