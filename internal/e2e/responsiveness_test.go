package e2e

import (
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

const responsiveness = `query($h: String!) { page(handle: $h) { responsiveness {
	requests answered responseRate medianResponseSeconds veryResponsive windowStart windowEnd } } }`

// TestResponsiveness is rule 16 exactly as documented on the type, driven
// by the test clock.
func TestResponsiveness(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "resp")
		empty := s.Do("", responsiveness, apptest.Vars{"h": page.Handle}).OK()
		if empty.Int("page.responsiveness.requests") != 0 || !empty.Null("page.responsiveness.responseRate") ||
			!empty.Null("page.responsiveness.medianResponseSeconds") || empty.Bool("page.responsiveness.veryResponsive") {
			t.Fatalf("no requests: %s", empty.Raw)
		}
		visitor := func(name, body string) string {
			return s.SendToPage(s.SignUp(name), page, body).OK().String("sendMessageToPage.thread.id")
		}
		// Eight days ago, never answered: outside the window.
		visitor("e", "anyone?")
		s.Clock.Advance(8 * 24 * time.Hour)
		// A: answered after 2 minutes.
		a := visitor("a", "question")
		s.Clock.Advance(2 * time.Minute)
		s.SendIn(owner, a, "answer").OK()
		// B: two messages, one request, answered 4 minutes after the first.
		bID := s.SignUp("b")
		bt := s.SendToPage(bID, page, "first").OK().String("sendMessageToPage.thread.id")
		s.Clock.Advance(time.Minute)
		s.SendToPage(bID, page, "second").OK()
		s.Clock.Advance(3 * time.Minute)
		s.SendIn(owner, bt, "answer").OK()
		// C: only the away message answers - which does not count.
		s.UpdatePage(owner.Token, page, apptest.Vars{"messagingEnabled": false, "awayMessage": "away"}).OK()
		visitor("c", "hello?")
		s.UpdatePage(owner.Token, page, apptest.Vars{"messagingEnabled": true}).OK()
		s.Clock.Advance(24 * time.Hour)
		// D: unanswered but younger than 24 h: left out of both counts.
		visitor("d", "late question")
		s.Clock.Advance(time.Hour)

		r := s.Do("", responsiveness, apptest.Vars{"h": page.Handle}).OK()
		p := "page.responsiveness."
		if r.Int(p+"requests") != 3 || r.Int(p+"answered") != 2 || r.Int(p+"medianResponseSeconds") != 180 || r.Bool(p+"veryResponsive") {
			t.Fatalf("figures: %s", r.Raw)
		}
		if rate := r.Get(p + "responseRate").(float64); rate < 0.666 || rate > 0.667 {
			t.Fatalf("rate %v", rate)
		}
		now := s.Clock.Now()
		if r.String(p+"windowEnd") != now.Format(time.RFC3339) || r.String(p+"windowStart") != now.Add(-7*24*time.Hour).Format(time.RFC3339) {
			t.Fatalf("window: %s", r.Raw)
		}
	})
}

func TestVeryResponsivePage(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "fast")
		for _, delay := range []time.Duration{time.Minute, 3 * time.Minute, 4*time.Minute + 59*time.Second} {
			th := s.SendToPage(s.SignUp("v"), page, "q").OK().String("sendMessageToPage.thread.id")
			s.Clock.Advance(delay)
			s.SendIn(owner, th, "a").OK()
		}
		r := s.Do("", responsiveness, apptest.Vars{"h": page.Handle}).OK()
		if !r.Bool("page.responsiveness.veryResponsive") || r.Int("page.responsiveness.medianResponseSeconds") != 180 {
			t.Fatalf("very responsive: %s", r.Raw)
		}
		// A slow median (>= 5 minutes) loses the badge even at 100 %.
		for range 4 {
			th := s.SendToPage(s.SignUp("slow"), page, "q").OK().String("sendMessageToPage.thread.id")
			s.Clock.Advance(10 * time.Minute)
			s.SendIn(owner, th, "a").OK()
		}
		r = s.Do("", responsiveness, apptest.Vars{"h": page.Handle}).OK()
		if r.Bool("page.responsiveness.veryResponsive") || r.Get("page.responsiveness.responseRate").(float64) != 1 {
			t.Fatalf("slow median: %s", r.Raw)
		}
	})
}
