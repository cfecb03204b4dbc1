package rule

import (
	"testing"
	"time"

	"pageinbox/internal/apierr"
)

// TestMessageChangeLimits is rule 37's edit and unsend windows.
func TestMessageChangeLimits(t *testing.T) {
	sent := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name    string
		after   time.Duration
		edits   int
		removed bool
		want    apierr.Code
	}{
		{"first edit", time.Minute, 0, false, ""},
		{"fifth edit at 15 min", 15 * time.Minute, 4, false, ""},
		{"sixth edit", time.Minute, 5, false, apierr.LimitExceeded},
		{"after 15 min", 15*time.Minute + time.Second, 0, false, apierr.Forbidden},
		{"unsent", time.Minute, 0, true, apierr.BadUserInput},
	} {
		err := MayEdit(sent, c.edits, c.removed, sent.Add(c.after))
		if (c.want == "" && err != nil) || (c.want != "" && apierr.CodeOf(err) != c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if err := MayUnsend(sent, sent.Add(24*time.Hour)); err != nil {
		t.Errorf("unsend at 24 h: %v", err)
	}
	if apierr.CodeOf(MayUnsend(sent, sent.Add(24*time.Hour+time.Second))) != apierr.Forbidden {
		t.Error("unsend after 24 h allowed")
	}
}
