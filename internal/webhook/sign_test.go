package webhook

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// TestSignaturesVerifyWithStandardWebhooks checks the signing against the
// Standard Webhooks reference library (rule 33): a fresh secret, the
// header with two secrets after a rotation, and an old-style secret used
// as raw key material.
func TestSignaturesVerifyWithStandardWebhooks(t *testing.T) {
	body := []byte(`{"id":"e1"}`)
	now := time.Now()
	headers := func(id string, sig string) http.Header {
		h := http.Header{}
		h.Set("webhook-id", id)
		h.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
		h.Set("webhook-signature", sig)
		return h
	}
	fresh, old := NewSecret(), NewSecret()
	if !strings.HasPrefix(fresh, "whsec_") || fresh == old {
		t.Fatalf("secret %q", fresh)
	}
	for _, secret := range []string{fresh, old} {
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			t.Fatal(err)
		}
		// Both secrets of an overlap verify the one header.
		if err := wh.Verify(body, headers("msg_1", SignatureHeader([]string{fresh, old}, "msg_1", now.Unix(), body))); err != nil {
			t.Fatalf("verify: %v", err)
		}
		// The id, the body and the secret are all signed.
		if wh.Verify(body, headers("msg_2", SignatureHeader([]string{secret}, "msg_1", now.Unix(), body))) == nil ||
			wh.Verify([]byte("{}"), headers("msg_1", SignatureHeader([]string{secret}, "msg_1", now.Unix(), body))) == nil {
			t.Fatal("a changed id or body verifies")
		}
	}
	other, _ := standardwebhooks.NewWebhook(NewSecret())
	if other.Verify(body, headers("msg_1", SignatureHeader([]string{fresh}, "msg_1", now.Unix(), body))) == nil {
		t.Fatal("another secret verifies")
	}
	// A secret made before the standard: its key is the whole string.
	legacy := "whsec_" + strings.Repeat("A", 42) + "-"
	raw, err := standardwebhooks.NewWebhookRaw([]byte(legacy))
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Verify(body, headers("msg_1", SignatureHeader([]string{legacy}, "msg_1", now.Unix(), body))); err != nil {
		t.Fatalf("legacy secret: %v", err)
	}
}

// TestRetryScheduleSpansThreeDays is rule 33's schedule: the first retry
// within 10 s, at least 3 days in all, attempts time out after 15 s.
func TestRetryScheduleSpansThreeDays(t *testing.T) {
	c := DefaultConfig()
	var total time.Duration
	for _, w := range c.Retries {
		total += w
	}
	if c.Retries[0]*11/10 > 10*time.Second || total < 3*24*time.Hour || c.Timeout != 15*time.Second ||
		c.DisableAfter != 5*24*time.Hour {
		t.Fatalf("policy: first %s, total %s, timeout %s, disable after %s", c.Retries[0], total, c.Timeout, c.DisableAfter)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"120": 2 * time.Minute, "": 0, "soon": 0, "-5": 0,
		now.Add(time.Hour).Format(http.TimeFormat):  time.Hour,
		now.Add(-time.Hour).Format(http.TimeFormat): 0,
	} {
		if got := RetryAfter(v, now); got != want {
			t.Errorf("Retry-After %q: %s, want %s", v, got, want)
		}
	}
}
