package webpush

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfterReadsSecondsAndDates(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for h, want := range map[string]time.Duration{
		"120": 2 * time.Minute,
		now.Add(time.Hour).Format(http.TimeFormat): time.Hour,
		"":       0, // no header: the backoff decides
		"soon":   0,
		"-5":     0,
		"999999": 24 * time.Hour, // a push service cannot park a push for weeks
	} {
		if got := retryAfter(h, now); got != want {
			t.Errorf("Retry-After %q: %s, want %s", h, got, want)
		}
	}
}
