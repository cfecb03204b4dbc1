package e2e

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"pageinbox/internal/apptest"
)

// Rule 33 (Standard Webhooks) and rule 34 (the page event log) through the
// real server, with receivers on 127.0.0.1 and the server's clock moved
// instead of waiting.

const (
	rotateSecret = `mutation($id: ID!) { rotateWebhookSecret(input: {id: $id}) { secret webhook { id active disabledReason } } }`
	enableHook   = `mutation($id: ID!) { enableWebhook(input: {id: $id}) { secret webhook { id active disabledReason } } }`
	redeliver    = `mutation($id: ID!) { redeliverWebhookDelivery(input: {id: $id}) { delivery { id event status attempts } } }`
	hookState    = `query($h: String!) { page(handle: $h) { webhooks { id active disabledReason deliveries { totalCount edges { node {
		id event status attempts lastStatusCode lastError nextAttemptAt } } } } } }`
	pageEvents = `query($h: String!, $first: Int, $after: Cursor) { page(handle: $h) { events(first: $first, after: $after) {
		totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id type createdAt payload thread { id } message { id } } } } } }`
)

// TestRule33SignaturesVerifyAndRotateWithOverlap: deliveries verify with
// the Standard Webhooks library; after rotateWebhookSecret both the new
// and the old secret verify for 24 hours (new signature first), then only
// the new one.
func TestRule33SignaturesVerifyAndRotateWithOverlap(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		owner, visitor, mod := s.SignUp("owner"), s.SignUp("visitor"), s.SignUp("mod")
		page := s.CreatePage(owner, "rotate")
		s.SetRole(owner, page, mod, "MODERATOR").OK()
		rec := apptest.NewReceiver(t)
		hook, old := register(t, s, owner, page, rec.URL, "MESSAGE_CREATED")
		if !strings.HasPrefix(old, "whsec_") {
			t.Fatalf("secret %q", old)
		}
		s.SendToPage(visitor, page, "one").OK()
		got := rec.Wait(t, 1)
		checkSigned(t, s, got[0], old)
		if n := len(strings.Fields(got[0].Header.Get("webhook-signature"))); n != 1 {
			t.Fatalf("%d signatures before any rotation", n)
		}
		for _, h := range []string{"X-Pageinbox-Signature", "X-Pageinbox-Timestamp", "X-Pageinbox-Delivery"} {
			if got[0].Header.Get(h) != "" {
				t.Fatalf("old header %s still sent", h)
			}
		}

		s.Do(mod.Token, rotateSecret, apptest.Vars{"id": hook}).WantCode("NOT_FOUND") // webhooks are ADMIN-only
		rotated := s.Do(owner.Token, rotateSecret, apptest.Vars{"id": hook}).OK().String("rotateWebhookSecret.secret")
		if rotated == old || !strings.HasPrefix(rotated, "whsec_") {
			t.Fatalf("rotated secret %q", rotated)
		}
		s.Clock.Advance(23 * time.Hour)
		s.SendToPage(visitor, page, "two").OK()
		got = rec.Wait(t, 2)
		checkSigned(t, s, got[1], rotated, old)
		sigs := strings.Fields(got[1].Header.Get("webhook-signature"))
		if len(sigs) != 2 {
			t.Fatalf("signatures in the overlap: %q", sigs)
		}
		newOnly := got[1].Header.Clone()
		newOnly.Set("webhook-signature", sigs[0])
		if wh, _ := standardwebhooks.NewWebhook(rotated); wh.VerifyIgnoringTimestamp(got[1].Body, newOnly) != nil {
			t.Fatal("the new secret's signature must come first")
		}

		s.Clock.Advance(time.Hour + time.Second) // the overlap is over
		s.SendToPage(visitor, page, "three").OK()
		got = rec.Wait(t, 3)
		checkSigned(t, s, got[2], rotated)
		if wh, _ := standardwebhooks.NewWebhook(old); wh.VerifyIgnoringTimestamp(got[2].Body, got[2].Header) == nil {
			t.Fatal("the old secret still verifies after 24 h")
		}
	})
}

// TestRule33RetryAfterIsHonoured: a 429 with Retry-After in seconds and a
// 503 with an HTTP date put the next attempt exactly there.
func TestRule33RetryAfterIsHonoured(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "busy")
		at := s.Clock.Now().Add(3 * time.Hour).Truncate(time.Second)
		rec := apptest.NewReplyingReceiver(t,
			apptest.Reply{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"7200"}}},
			apptest.Reply{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {at.Add(2 * time.Hour).Format(http.TimeFormat)}}})
		register(t, s, owner, page, rec.URL, "MESSAGE_CREATED")
		sent := s.Clock.Now()
		s.SendToPage(visitor, page, "later please").OK()
		rec.Wait(t, 1)
		d := waitDelivery(t, s, owner, page, func(n map[string]any) bool { return n["attempts"] == 1.0 })
		next, _ := time.Parse(time.RFC3339, d["nextAttemptAt"].(string))
		if got := next.Sub(sent); got < 2*time.Hour-time.Second || got > 2*time.Hour+time.Second || d["lastStatusCode"] != 429.0 {
			t.Fatalf("after 429 Retry-After 7200: next attempt in %s (%v)", got, d)
		}
		s.Clock.Set(at)
		rec.Wait(t, 2)
		d = waitDelivery(t, s, owner, page, func(n map[string]any) bool { return n["attempts"] == 2.0 })
		next, _ = time.Parse(time.RFC3339, d["nextAttemptAt"].(string))
		if !next.Equal(at.Add(2*time.Hour)) || d["lastStatusCode"] != 503.0 {
			t.Fatalf("after 503 with an HTTP date: next attempt %s, want %s", next, at.Add(2*time.Hour))
		}
		s.Clock.Set(next.Add(time.Second))
		rec.Wait(t, 3)
		waitDelivery(t, s, owner, page, func(n map[string]any) bool { return n["status"] == "SUCCEEDED" })
	})
}

// TestRule33GoneSwitchesOffEnableAndRedeliver: a 410 switches the
// endpoint off at once with a reason; nothing more is sent until
// enableWebhook; redeliverWebhookDelivery sends the event again with the
// same webhook-id.
func TestRule33GoneSwitchesOffEnableAndRedeliver(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		owner, visitor, mod := s.SignUp("owner"), s.SignUp("visitor"), s.SignUp("mod")
		page := s.CreatePage(owner, "gone")
		s.SetRole(owner, page, mod, "MODERATOR").OK()
		rec := apptest.NewReceiver(t, http.StatusGone)
		hook, secret := register(t, s, owner, page, rec.URL, "MESSAGE_CREATED")
		live := s.Connect(apptest.TransportWS, owner.Token)
		live.Subscribe("n", `subscription { notificationAdded { kind webhook { id } } }`, nil)
		s.WaitSubscribers(1)
		thread := s.SendToPage(visitor, page, "first").OK().String("sendMessageToPage.thread.id")
		first := rec.Wait(t, 1)[0]
		var st *apptest.Response
		apptest.Eventually(t, 10*time.Second, func() error {
			st = s.Do(owner.Token, hookState, apptest.Vars{"h": page.Handle}).OK()
			if st.Bool("page.webhooks.0.active") {
				return errFalse("still active after 410")
			}
			return nil
		})
		if reason := st.String("page.webhooks.0.disabledReason"); !strings.Contains(reason, "410") {
			t.Fatalf("disabledReason %q", reason)
		}
		wantWebhookDisabledNotice(t, s, owner, mod, hook, thread)
		// Live too (rule 20): after the message's NEW_MESSAGE.
		for i := 0; ; i++ {
			r := live.Data("n", wait)
			if r.String("notificationAdded.kind") == "WEBHOOK_DISABLED" {
				if r.String("notificationAdded.webhook.id") != hook {
					t.Fatalf("live notice: %s", r.Raw)
				}
				break
			}
			if i == 3 {
				t.Fatalf("no live WEBHOOK_DISABLED, last: %s", r.Raw)
			}
		}
		failed := st.Get("page.webhooks.0.deliveries.edges.0.node").(map[string]any)
		if failed["status"] != "FAILED" || failed["attempts"] != 1.0 || failed["lastStatusCode"] != 410.0 {
			t.Fatalf("the 410 delivery: %v", failed)
		}
		// Switched off: new events are not queued, redelivery is refused.
		s.SendToPage(visitor, page, "while off").OK()
		if n := s.Do(owner.Token, hookState, apptest.Vars{"h": page.Handle}).OK().Int("page.webhooks.0.deliveries.totalCount"); n != 1 {
			t.Fatalf("%d deliveries queued for a switched-off endpoint", n)
		}
		s.Do(owner.Token, redeliver, apptest.Vars{"id": failed["id"]}).WantCode("BAD_USER_INPUT")

		s.Do(mod.Token, enableHook, apptest.Vars{"id": hook}).WantCode("NOT_FOUND") // webhooks are ADMIN-only
		on := s.Do(owner.Token, enableHook, apptest.Vars{"id": hook}).OK()
		if on.String("enableWebhook.secret") != "" || !on.Bool("enableWebhook.webhook.active") || !on.Null("enableWebhook.webhook.disabledReason") {
			t.Fatalf("enableWebhook: %s", on.Raw)
		}
		s.Do(mod.Token, redeliver, apptest.Vars{"id": failed["id"]}).WantCode("NOT_FOUND")
		again := s.Do(owner.Token, redeliver, apptest.Vars{"id": failed["id"]}).OK()
		if again.String("redeliverWebhookDelivery.delivery.id") == failed["id"] || again.String("redeliverWebhookDelivery.delivery.event") != "MESSAGE_CREATED" {
			t.Fatalf("redelivery: %s", again.Raw)
		}
		second := rec.Wait(t, 2)[1]
		checkSigned(t, s, second, secret)
		if second.Header.Get("webhook-id") != first.Header.Get("webhook-id") || string(second.Body) != string(first.Body) {
			t.Fatalf("redelivery: webhook-id %q body %s, first %q %s", second.Header.Get("webhook-id"), second.Body,
				first.Header.Get("webhook-id"), first.Body)
		}
		s.SendToPage(visitor, page, "back on").OK()
		if env := checkSigned(t, s, rec.Wait(t, 3)[2], secret); !strings.Contains(string(rec.Wait(t, 3)[2].Body), "back on") || env.Event != "MESSAGE_CREATED" {
			t.Fatal("events flow again after enableWebhook")
		}
	})
}

// TestRule33FiveDaysOfFailuresSwitchOff: an endpoint that has failed every
// attempt for 5 days is switched off, with its reason.
func TestRule33FiveDaysOfFailuresSwitchOff(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		owner, visitor, mod := s.SignUp("owner"), s.SignUp("visitor"), s.SignUp("mod")
		page := s.CreatePage(owner, "failing")
		s.SetRole(owner, page, mod, "MODERATOR").OK()
		statuses := make([]int, 30)
		for i := range statuses {
			statuses[i] = http.StatusInternalServerError
		}
		rec := apptest.NewReceiver(t, statuses...)
		hook, _ := register(t, s, owner, page, rec.URL, "MESSAGE_CREATED")
		thread := s.SendToPage(visitor, page, "day 0").OK().String("sendMessageToPage.thread.id")
		rec.Wait(t, 1)
		waitDelivery(t, s, owner, page, func(n map[string]any) bool { return n["attempts"] == 1.0 })
		// Four days later: failing, but not for 5 days yet.
		s.Clock.Advance(4 * 24 * time.Hour)
		s.SendToPage(visitor, page, "day 4").OK()
		apptest.Eventually(t, 10*time.Second, func() error {
			for _, d := range rec.Wait(t, 1) {
				if strings.Contains(string(d.Body), "day 4") {
					return nil
				}
			}
			return errFalse("day 4 not attempted")
		})
		if !s.Do(owner.Token, hookState, apptest.Vars{"h": page.Handle}).OK().Bool("page.webhooks.0.active") {
			t.Fatal("switched off before 5 days")
		}
		s.Clock.Advance(24*time.Hour + time.Minute)
		s.SendToPage(visitor, page, "day 5").OK()
		var st *apptest.Response
		apptest.Eventually(t, 10*time.Second, func() error {
			st = s.Do(owner.Token, hookState, apptest.Vars{"h": page.Handle}).OK()
			if st.Bool("page.webhooks.0.active") {
				return errFalse("still active after 5 days of failures")
			}
			return nil
		})
		if reason := st.String("page.webhooks.0.disabledReason"); !strings.Contains(reason, "failed") {
			t.Fatalf("disabledReason %q", reason)
		}
		for _, e := range st.Get("page.webhooks.0.deliveries.edges").([]any) {
			if d := e.(map[string]any)["node"].(map[string]any); d["status"] == "PENDING" {
				t.Fatalf("a delivery of a switched-off endpoint is still pending: %v", d)
			}
		}
		// Rule 33: the ADMIN is told, about the failing event's thread.
		wantWebhookDisabledNotice(t, s, owner, mod, hook, thread)
	})
}

// TestWebhookAttemptsTimeOut: an endpoint that does not answer in time is
// a failed attempt (15 s by default; shortened here).
func TestWebhookAttemptsTimeOut(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets(), apptest.WithWebhookTimeout(300*time.Millisecond))
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "slow")
		rec := apptest.NewReplyingReceiver(t, apptest.Reply{Hang: true})
		register(t, s, owner, page, rec.URL, "MESSAGE_CREATED")
		s.SendToPage(visitor, page, "are you there").OK()
		d := waitDelivery(t, s, owner, page, func(n map[string]any) bool { return n["attempts"] == 1.0 })
		if d["status"] != "PENDING" || d["lastStatusCode"] != nil || !strings.Contains(strings.ToLower(d["lastError"].(string)), "timeout") {
			t.Fatalf("timed-out attempt: %v", d)
		}
	})
}

// TestRule34EventLogMatchesDeliveriesAndCatchesUp: every event the
// webhooks carry is in Page.events with the same id and the exact body,
// oldest first; paging with after gets each event once, also the events
// that came after the reader's last cursor. Pages without webhooks have a
// log too.
func TestRule34EventLogMatchesDeliveriesAndCatchesUp(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "eventlog")
		rec := apptest.NewReceiver(t)
		_, secret := register(t, s, owner, page, rec.URL, "THREAD_CREATED", "MESSAGE_CREATED", "MESSAGE_UPDATED", "NOTE_ADDED", "THREAD_UPDATED")
		sent := s.SendToPage(visitor, page, "hello").OK()
		thread, msg := sent.String("sendMessageToPage.thread.id"), sent.String("sendMessageToPage.message.id")
		s.Do(owner.Token, `mutation($t: ID!) { addNote(input: {threadId: $t, body: "VIP customer"}) { note { id } } }`, apptest.Vars{"t": thread}).OK()
		s.Do(visitor.Token, `mutation($m: ID!) { editMessage(input: {messageId: $m, body: "hello there"}) { message { id } } }`, apptest.Vars{"m": msg}).OK()
		s.Do(owner.Token, `mutation($m: ID!) { reactToMessage(input: {messageId: $m, emoji: "👍"}) { message { id } } }`, apptest.Vars{"m": msg}).OK()
		s.Do(owner.Token, updateThread, apptest.Vars{"i": apptest.Vars{"threadId": thread, "status": "DONE"}}).OK()
		const n = 6 // THREAD_CREATED, MESSAGE_CREATED, NOTE_ADDED, MESSAGE_UPDATED x2, THREAD_UPDATED
		delivered := map[string]string{}
		for _, d := range rec.Wait(t, n) {
			env := checkSigned(t, s, d, secret)
			delivered[env.ID] = string(d.Body)
		}

		// Read the whole log two at a time.
		log, cursor := readEvents(t, s, owner.Token, page, nil)
		if len(log) != n {
			t.Fatalf("%d events in the log, want %d", len(log), n)
		}
		var types []string
		for i, e := range log {
			if delivered[e["id"].(string)] != e["payload"] {
				t.Fatalf("event %s: log body %s, delivered %q", e["id"], e["payload"], delivered[e["id"].(string)])
			}
			if i > 0 && e["createdAt"].(string) < log[i-1]["createdAt"].(string) {
				t.Fatal("the log is not oldest first")
			}
			types = append(types, e["type"].(string))
		}
		if want := []string{"THREAD_CREATED", "MESSAGE_CREATED", "NOTE_ADDED", "MESSAGE_UPDATED", "MESSAGE_UPDATED", "THREAD_UPDATED"}; !slices.Equal(types, want) {
			t.Fatalf("event order %v, want %v", types, want)
		}
		if th, _ := log[1]["thread"].(map[string]any); th == nil || th["id"] != thread || log[1]["message"].(map[string]any)["id"] != msg {
			t.Fatalf("MESSAGE_CREATED names its thread and message: %v", log[1])
		}

		// The integration was away: three more events happen; it pages on
		// from its last cursor and gets exactly those.
		s.SendIn(owner, thread, "we are back").OK()
		s.SendToPage(visitor, page, "great").OK()
		more, _ := readEvents(t, s, owner.Token, page, cursor)
		if len(more) != 2 || more[0]["type"] != "MESSAGE_CREATED" || !strings.Contains(more[0]["payload"].(string), "we are back") ||
			!strings.Contains(more[1]["payload"].(string), "great") {
			t.Fatalf("catch-up after the last cursor: %v", more)
		}
		for _, d := range rec.Wait(t, n+2)[n:] {
			env := checkSigned(t, s, d, secret)
			if env.ID != more[0]["id"] && env.ID != more[1]["id"] {
				t.Fatalf("delivered event %s is not in the catch-up page", env.ID)
			}
		}

		// A page without webhooks has its log too.
		quiet := s.CreatePage(owner, "quiet")
		s.SendToPage(visitor, quiet, "anyone?").OK()
		if got, _ := readEvents(t, s, owner.Token, quiet, nil); len(got) != 2 {
			t.Fatalf("a page without webhooks logged %d events, want 2", len(got))
		}
	})
}

// readEvents pages through a page's event log from after, two at a time,
// and returns the events and the last cursor (after itself when none).
func readEvents(t *testing.T, s *apptest.Server, token string, page apptest.Page, after any) ([]map[string]any, any) {
	t.Helper()
	var out []map[string]any
	for {
		r := s.Do(token, pageEvents, apptest.Vars{"h": page.Handle, "first": 2, "after": after}).OK()
		for _, e := range r.Get("page.events.edges").([]any) {
			edge := e.(map[string]any)
			out = append(out, edge["node"].(map[string]any))
			after = edge["cursor"]
		}
		if !r.Bool("page.events.pageInfo.hasNextPage") {
			return out, after
		}
	}
}

// TestRule34EventLogIsForStaffAndReadTokens: ADMIN and MODERATOR staff and
// READ_THREADS tokens of the page read the log; visitors, other people,
// anonymous callers, other scopes and other pages' tokens get null.
func TestRule34EventLogIsForStaffAndReadTokens(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("logreaders")
		mod, stranger := s.SignUp("mod"), s.SignUp("stranger")
		s.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
		other := s.CreatePage(stranger, "otherpage")
		read, _ := newToken(s, c.Owner, c.Page, "READ_THREADS")
		send, _ := newToken(s, c.Owner, c.Page, "SEND_MESSAGES", "MANAGE_PAGE")
		otherRead, _ := newToken(s, stranger, other, "READ_THREADS")
		q := `query($h: String!) { page(handle: $h) { events { totalCount edges { node { id payload } } } } }`
		for name, token := range map[string]string{"admin": c.Owner.Token, "moderator": mod.Token, "READ_THREADS token": read} {
			if r := s.Do(token, q, apptest.Vars{"h": c.Page.Handle}).OK(); r.Int("page.events.totalCount") < 2 {
				t.Errorf("%s: %s", name, r.Raw)
			}
		}
		for name, token := range map[string]string{"visitor": c.Visitor.Token, "stranger": stranger.Token, "anonymous": "",
			"SEND_MESSAGES+MANAGE_PAGE token": send, "another page's READ_THREADS token": otherRead} {
			if r := s.Do(token, q, apptest.Vars{"h": c.Page.Handle}).OK(); !r.Null("page.events") {
				t.Errorf("%s reads the event log: %s", name, r.Raw)
			}
		}
		// node(id:) of an event is filtered the same way.
		id := s.Do(c.Owner.Token, q, apptest.Vars{"h": c.Page.Handle}).OK().String("page.events.edges.0.node.id")
		nodeQ := `query($id: ID!) { node(id: $id) { id ... on PageEvent { payload } } }`
		if s.Do(read, nodeQ, apptest.Vars{"id": id}).OK().Null("node") {
			t.Error("a READ_THREADS token cannot read an event by id")
		}
		if r := s.Do(c.Visitor.Token, nodeQ, apptest.Vars{"id": id}); r.Get("node") != nil {
			t.Errorf("a visitor reads an event by id: %s", r.Raw)
		}
	})
}

// TestRule34EventLogKeepsSevenDays: the pruner drops events past the
// retention (7 days by default), never younger ones.
func TestRule34EventLogKeepsSevenDays(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("retention") // THREAD_CREATED, MESSAGE_CREATED
		count := func() int {
			return s.Do(c.Owner.Token, pageEvents, apptest.Vars{"h": c.Page.Handle}).OK().Int("page.events.totalCount")
		}
		s.Clock.Advance(6 * 24 * time.Hour)
		s.SendIn(c.Visitor, c.ThreadID, "six days later").OK()
		if n, err := s.App.Pruner.Prune(context.Background()); err != nil || n != 0 || count() != 3 {
			t.Fatalf("pruned %d (%v) at 6 days; %d left", n, err, count())
		}
		s.Clock.Advance(24*time.Hour + time.Minute)
		if n, err := s.App.Pruner.Prune(context.Background()); err != nil || n != 2 || count() != 1 {
			t.Fatalf("pruned %d (%v) after 7 days; %d left", n, err, count())
		}
	})
}

// errFalse is a condition not met yet (for apptest.Eventually).
type errFalse string

func (e errFalse) Error() string { return string(e) }
