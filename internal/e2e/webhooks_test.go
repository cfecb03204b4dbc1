package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/privacy"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"pageinbox/ent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/webhookdelivery"
	"pageinbox/internal/apptest"
	"pageinbox/internal/webhook"
)

const createWebhook = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id url events active } } }`

const deliveries = `query($h: String!) { page(handle: $h) { webhooks { id deliveries { totalCount edges { node {
	event status attempts lastStatusCode lastError nextAttemptAt } } } } } }`

func register(t *testing.T, s *apptest.Server, admin apptest.User, page apptest.Page, url string, events ...string) (id, secret string) {
	t.Helper()
	r := s.Do(admin.Token, createWebhook, apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "url": url, "events": events}}).OK()
	return r.String("createWebhook.webhook.id"), r.String("createWebhook.secret")
}

// checkSigned verifies a delivery as a receiver would, with the Standard
// Webhooks reference library (README, "Webhooks"): the signature by one
// of secrets, and the webhook-id that names the event in the body. The
// tests' clock is not the wall clock, so the library's 5-minute tolerance
// is left out and the timestamp is checked against the server's clock.
func checkSigned(t *testing.T, s *apptest.Server, d apptest.Delivery, secrets ...string) webhook.Envelope {
	t.Helper()
	for _, secret := range secrets {
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			t.Fatalf("secret %q: %v", secret, err)
		}
		if err := wh.VerifyIgnoringTimestamp(d.Body, d.Header); err != nil {
			t.Fatalf("signature by %q does not verify: %v (%q)", secret, err, d.Header.Get("webhook-signature"))
		}
	}
	ts, err := strconv.ParseInt(d.Header.Get("webhook-timestamp"), 10, 64)
	if err != nil || ts > s.Clock.Now().Unix() || ts < s.Clock.Now().Add(-30*24*time.Hour).Unix() {
		t.Fatalf("webhook-timestamp %q (clock %s)", d.Header.Get("webhook-timestamp"), s.Clock.Now())
	}
	var env webhook.Envelope
	if err := json.Unmarshal(d.Body, &env); err != nil || env.ID == "" {
		t.Fatalf("body %s: %v", d.Body, err)
	}
	if d.Header.Get("webhook-id") != env.ID {
		t.Fatalf("webhook-id %q, body id %q", d.Header.Get("webhook-id"), env.ID)
	}
	return env
}

// TestWebhooksDeliverSignedEvents is rule 22's happy path.
func TestWebhooksDeliverSignedEvents(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		owner, visitor, fan, mod := s.SignUp("owner"), s.SignUp("visitor"), s.SignUp("fan"), s.SignUp("mod")
		page := s.CreatePage(owner, "hooks")
		s.SetRole(owner, page, mod, "MODERATOR").OK()
		rec := apptest.NewReceiver(t)
		s.Do(mod.Token, createWebhook, apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "url": rec.URL, "events": []string{"MESSAGE_CREATED"}}}).WantCode("FORBIDDEN")
		_, secret := register(t, s, owner, page, rec.URL+"/hook", "THREAD_CREATED", "MESSAGE_CREATED", "COMMENT_CREATED", "PRIVATE_REPLY_SENT", "THREAD_UPDATED")
		if !strings.HasPrefix(secret, "whsec_") {
			t.Fatalf("secret %q", secret)
		}
		thread := s.SendToPage(visitor, page, "Hi!").OK().String("sendMessageToPage.thread.id")
		got := rec.Wait(t, 2)
		created, msg := checkSigned(t, s, got[0], secret), checkSigned(t, s, got[1], secret)
		if created.Event == schematype.EventMessageCreated {
			created, msg = msg, created
		}
		if created.Event != schematype.EventThreadCreated || msg.Event != schematype.EventMessageCreated || msg.PageID != page.ID {
			t.Fatalf("events %s, %s", created.Event, msg.Event)
		}
		data := msg.Data.(map[string]any)["message"].(map[string]any)
		if data["body"] != "Hi!" || data["threadId"] != thread || data["senderType"] != "VISITOR" {
			t.Fatalf("message data %v", data)
		}
		// Other events.
		post := s.CreatePost(owner, page, "news", "").OK().String("createPost.post.id")
		comment := s.Comment(fan, post, "nice")
		reply(s, owner, comment, "thanks privately").OK()
		s.Do(owner.Token, updateThread, apptest.Vars{"i": apptest.Vars{"threadId": thread, "status": "DONE"}}).OK()
		got = rec.Wait(t, 2+1+3+1)
		// Deliveries run concurrently: at least once, in no set order.
		var events []string
		for _, d := range got[2:] {
			events = append(events, string(checkSigned(t, s, d, secret).Event))
		}
		slices.Sort(events)
		want := "COMMENT_CREATED MESSAGE_CREATED PRIVATE_REPLY_SENT THREAD_CREATED THREAD_UPDATED"
		if strings.Join(events, " ") != want {
			t.Fatalf("events %v, want %s", events, want)
		}
		// The delivery log shows each attempt (recorded right after the
		// receiver answered).
		last := waitDelivery(t, s, owner, page, func(n map[string]any) bool { return n["status"] == "SUCCEEDED" })
		if last["event"] != "THREAD_UPDATED" || last["attempts"] != 1.0 || last["lastStatusCode"] != 200.0 {
			t.Fatalf("log: %v", last)
		}
		if n := s.Do(owner.Token, deliveries, apptest.Vars{"h": page.Handle}).OK().Int("page.webhooks.0.deliveries.totalCount"); n != 7 {
			t.Fatalf("%d deliveries, want 7", n)
		}
		// A refused change sends nothing.
		s.Do(owner.Token, `mutation($p: ID!, $u: ID!) { blockUser(input: {pageId: $p, userId: $u}) { page { id } } }`, apptest.Vars{"p": page.ID, "u": visitor.ID}).OK()
		s.SendToPage(visitor, page, "blocked").WantCode("BLOCKED")
		if n := s.Do(owner.Token, deliveries, apptest.Vars{"h": page.Handle}).OK().Int("page.webhooks.0.deliveries.totalCount"); n != 7 {
			t.Fatalf("a refused send queued %d deliveries", n-7)
		}
	})
}

// TestFailingReceiverIsRetriedWithTheSameWebhookID (rule 33): first retry
// within 10 s, then the schedule, FAILED after 10 attempts over more than
// 3 days.
func TestFailingReceiverIsRetriedWithTheSameWebhookID(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "retries")
		flaky := apptest.NewReceiver(t, 500, 503)
		_, secret := register(t, s, owner, page, flaky.URL, "MESSAGE_CREATED")
		start := s.Clock.Now()
		s.SendToPage(visitor, page, "retry me").OK()
		flaky.Wait(t, 1)
		next := waitDelivery(t, s, owner, page, func(n map[string]any) bool { return n["attempts"] == 1.0 })
		at, _ := time.Parse(time.RFC3339, next["nextAttemptAt"].(string))
		if wait := at.Sub(start); wait <= 0 || wait > 10*time.Second {
			t.Fatalf("first retry after %s, want within 10 s", wait)
		}
		s.Clock.Advance(10 * time.Second)
		flaky.Wait(t, 2)
		waitDelivery(t, s, owner, page, func(n map[string]any) bool { return n["attempts"] == 2.0 })
		s.Clock.Advance(6 * time.Minute) // the second retry waits 5 minutes
		got := flaky.Wait(t, 3)
		ids := map[string]bool{}
		for _, d := range got {
			checkSigned(t, s, d, secret)
			ids[d.Header.Get("webhook-id")] = true
		}
		if len(ids) != 1 {
			t.Fatalf("retries must keep the webhook-id, got %v", ids)
		}
		waitDelivery(t, s, owner, page, func(n map[string]any) bool { return n["status"] == "SUCCEEDED" && n["attempts"] == 3.0 })

		// A receiver that never recovers: 10 attempts spread over more
		// than 3 days, then FAILED.
		dead := apptest.NewReceiver(t, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500)
		page2 := s.CreatePage(owner, "deadend")
		register(t, s, owner, page2, dead.URL, "MESSAGE_CREATED")
		start = s.Clock.Now()
		s.SendToPage(visitor, page2, "nobody home").OK()
		var lastAt time.Time
		for n := 1; n <= 10; n++ {
			dead.Wait(t, n)
			lastAt = s.Clock.Now()
			if n < 10 {
				d := waitDelivery(t, s, owner, page2, func(d map[string]any) bool { return d["attempts"] == float64(n) })
				next, _ := time.Parse(time.RFC3339, d["nextAttemptAt"].(string))
				s.Clock.Set(next.Add(time.Second)) // when due by the schedule
			}
		}
		final := waitDelivery(t, s, owner, page2, func(d map[string]any) bool { return d["status"] == "FAILED" })
		if final["attempts"] != 10.0 || final["lastStatusCode"] != 500.0 || final["nextAttemptAt"] != nil {
			t.Fatalf("failed delivery: %v", final)
		}
		if span := lastAt.Sub(start); span < 3*24*time.Hour {
			t.Fatalf("10 attempts spanned %s, want at least 3 days (rule 33)", span)
		}
	})
}

// waitDelivery polls the delivery log of a page's only webhook until its
// newest delivery satisfies ok.
func waitDelivery(t *testing.T, s *apptest.Server, admin apptest.User, page apptest.Page, ok func(map[string]any) bool) map[string]any {
	t.Helper()
	var n map[string]any
	apptest.Eventually(t, 10*time.Second, func() error {
		r := s.Do(admin.Token, deliveries, apptest.Vars{"h": page.Handle}).OK()
		n = r.Get("page.webhooks.0.deliveries.edges.0.node").(map[string]any)
		if !ok(n) {
			return fmt.Errorf("delivery never reached the expected state: %v", n)
		}
		return nil
	})
	return n
}

// TestRule33RetryScheduleSurvivesARestart: deliveries are rows, not
// memory; a new process on the same database goes on with the schedule
// where the old one stopped (attempt 3 comes 5 minutes after attempt 2).
func TestRule33RetryScheduleSurvivesARestart(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		db, dir := apptest.DatabaseURL(t, b), t.TempDir()
		first := apptest.StartOn(t, b, db, dir, apptest.WithWebhookTargets())
		owner, visitor := first.SignUp("owner"), first.SignUp("visitor")
		page := first.CreatePage(owner, "restart")
		down := apptest.NewReceiver(t, 503, 503)
		register(t, first, owner, page, down.URL, "MESSAGE_CREATED")
		first.SendToPage(visitor, page, "survive").OK()
		down.Wait(t, 1)
		waitDelivery(t, first, owner, page, func(n map[string]any) bool { return n["attempts"] == 1.0 })
		first.Clock.Advance(10 * time.Second)
		down.Wait(t, 2)
		d := waitDelivery(t, first, owner, page, func(n map[string]any) bool { return n["attempts"] == 2.0 })
		secondAttempt := first.Clock.Now()
		if err := first.App.Close(); err != nil {
			t.Fatal(err)
		}
		// A new process on the same database picks the schedule up.
		second := apptest.StartOn(t, b, db, dir, apptest.WithWebhookTargets())
		next, _ := time.Parse(time.RFC3339, d["nextAttemptAt"].(string))
		if wait := next.Sub(secondAttempt); wait < 5*time.Minute-time.Second || wait > 6*time.Minute {
			t.Fatalf("third attempt planned %s after the second, want about 5 minutes", wait)
		}
		second.Clock.Set(next.Add(time.Second))
		got := down.Wait(t, 3)
		if got[0].Header.Get("webhook-id") != got[2].Header.Get("webhook-id") {
			t.Fatal("the resumed delivery keeps its webhook-id")
		}
		waitDelivery(t, second, owner, page, func(n map[string]any) bool { return n["status"] == "SUCCEEDED" && n["attempts"] == 3.0 })
	})
}

// TestWebhookTargetsMustBePublic is the SSRF guard, at registration and at
// dial time.
func TestWebhookTargetsMustBePublic(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookPoll())
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "ssrf")
		rec := apptest.NewReceiver(t)
		for _, target := range []string{rec.URL, "http://localhost:9/", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data",
			"http://[::1]/", "http://192.168.0.10/", "ftp://example.com/", "http://user:pw@example.com/",
			// Rule 31: the forms a hand-kept list misses.
			"http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a00:1]/",
			"http://[2002:7f00:1::]/", "http://[2002:a00:1::1]/", "http://198.18.0.1/", "http://198.19.255.1/",
			"http://240.0.0.1/", "http://255.255.255.255/", "http://192.0.0.8/", "http://[::127.0.0.1]/", "http://[::a00:1]/",
			"http://192.0.2.1/", "http://[fec0::1]/", "http://[2001:db8::1]/"} {
			code := s.Do(owner.Token, createWebhook, apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "url": target, "events": []string{"MESSAGE_CREATED"}}}).Code()
			if code != "BAD_USER_INPUT" {
				t.Errorf("%s: want BAD_USER_INPUT, got %q", target, code)
			}
		}
		// The refusal is no DNS oracle: a name that does not resolve and an
		// address that is private get the same message.
		refusal := func(target string) string {
			r := s.Do(owner.Token, createWebhook, apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "url": target, "events": []string{"MESSAGE_CREATED"}}})
			if len(r.Errors) != 1 {
				t.Fatalf("%s: %s", target, r.Raw)
			}
			return r.Errors[0].Message
		}
		unresolvable, private := refusal("http://no-such-host.invalid/"), refusal("http://10.9.8.7/")
		if unresolvable != private || strings.Contains(private, "10.9.8.7") || strings.Contains(unresolvable, "no-such-host") {
			t.Errorf("refusals tell names and addresses apart: %q vs %q", unresolvable, private)
		}
		// A row that slipped past registration (or a name that resolves
		// elsewhere later) is stopped when dialing.
		ctx := privacy.DecisionContext(context.Background(), privacy.Allow) // test set-up past the rules
		if err := s.Client.Webhook.Create().SetPageID(apptest.RowID(t, page.ID)).SetURL(rec.URL).SetEvents([]schematype.WebhookEvent{schematype.EventMessageCreated}).
			SetSecret("whsec_x").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		s.SendToPage(visitor, page, "probe").OK()
		var d *ent.WebhookDelivery
		apptest.Eventually(t, 10*time.Second, func() error {
			var err error
			if d, err = s.Client.WebhookDelivery.Query().Only(ctx); err != nil {
				return err
			}
			if d.Attempts == 0 {
				return errors.New("no attempt recorded")
			}
			return nil
		})
		if d.LastError == nil || !strings.Contains(*d.LastError, "not public") || d.Status != webhookdelivery.StatusPENDING {
			t.Fatalf("dial-time guard: %+v", d)
		}
		if rec.Count() != 0 {
			t.Fatal("the private receiver was reached")
		}
	})
}

// TestRedirectsAreNotFollowed: a 3xx is a failed attempt.
func TestRedirectsAreNotFollowed(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "redirects")
		target := apptest.NewReceiver(t)
		redirector := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusFound))
		defer redirector.Close()
		register(t, s, owner, page, redirector.URL, "MESSAGE_CREATED")
		s.SendToPage(visitor, page, "follow me").OK()
		d := waitDelivery(t, s, owner, page, func(n map[string]any) bool { return n["attempts"] == 1.0 })
		if d["status"] != "PENDING" || d["lastStatusCode"] != 302.0 || target.Count() != 0 {
			t.Fatalf("redirect: %v (target hit %d times)", d, target.Count())
		}
	})
}

// TestEachDeliveryIsAttemptedByOneReplica: two servers share a PostgreSQL
// database; every delivery reaches the receiver once.
func TestEachDeliveryIsAttemptedByOneReplica(t *testing.T) {
	db := apptest.DatabaseURL(t, apptest.Postgres)
	a := apptest.StartOn(t, apptest.Postgres, db, t.TempDir(), apptest.WithWebhookTargets())
	b := apptest.StartOn(t, apptest.Postgres, db, t.TempDir(), apptest.WithWebhookTargets())
	owner := a.SignUp("owner")
	page := a.CreatePage(owner, "replicas")
	rec := apptest.NewReceiver(t)
	register(t, a, owner, page, rec.URL, "MESSAGE_CREATED")
	const n = 60
	for i := range n {
		srv := a
		if i%2 == 1 {
			srv = b // both replicas enqueue and both dispatch
		}
		srv.SendToPage(srv.SignUp("v"), page, "hello").OK()
	}
	got := rec.Wait(t, n)
	waitDelivery(t, a, owner, page, func(d map[string]any) bool { return d["status"] == "SUCCEEDED" })
	// Stop both dispatchers and wait for them: every attempt has finished,
	// so a duplicate would be counted below.
	a.App.StopBackground()
	b.App.StopBackground()
	ids := map[string]int{}
	for _, d := range rec.Wait(t, len(got)) {
		ids[d.Header.Get("webhook-id")]++
	}
	if len(ids) != n {
		t.Fatalf("%d distinct deliveries, want %d", len(ids), n)
	}
	for id, c := range ids {
		if c != 1 {
			t.Fatalf("delivery %s attempted %d times", id, c)
		}
	}
}
