package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"pageinbox/ent"
	"pageinbox/internal/apptest"
	"pageinbox/internal/rule"
)

const pushSubscriptions = `query { viewer { pushSubscriptions { id endpoint userAgent lastSuccessAt } } }`

const modNotifications = `query { viewer { notifications(first: 10) { edges { node { id kind thread { id } } } } } }`

// vapidKey reads Query.vapidPublicKey, as a browser app does before
// PushManager.subscribe (anonymous callers may read it).
func vapidKey(t *testing.T, s *apptest.Server) string {
	t.Helper()
	return s.Do("", `{ vapidPublicKey }`, nil).OK().String("vapidPublicKey")
}

// pushQueueEmpty waits until every push job and delivery is done with.
func pushQueueEmpty(t *testing.T, s *apptest.Server) {
	t.Helper()
	ctx := rule.For(context.Background(), rule.PushDelivery)
	apptest.Eventually(t, 10*time.Second, func() error {
		jobs, err := s.Client.PushJob.Query().Count(ctx)
		if err != nil {
			return err
		}
		deliveries, err := s.Client.PushDelivery.Query().Count(ctx)
		if err != nil {
			return err
		}
		if jobs+deliveries > 0 {
			return fmt.Errorf("%d push jobs and %d deliveries still queued", jobs, deliveries)
		}
		return nil
	})
}

// pushRetryQueued waits until the only queued push has had one attempt
// and waits for its retry.
func pushRetryQueued(t *testing.T, s *apptest.Server) *ent.PushDelivery {
	t.Helper()
	var dl *ent.PushDelivery
	apptest.Eventually(t, 10*time.Second, func() (err error) {
		dl, err = s.Client.PushDelivery.Query().Only(rule.For(context.Background(), rule.PushDelivery))
		if err == nil && (dl.Attempts != 1 || dl.LockedUntil != nil) {
			err = fmt.Errorf("delivery not yet recorded: %v", dl)
		}
		return err
	})
	return dl
}

// TestWebPushDeliversNotifications is rule 32: every notification is
// pushed to each of the recipient's devices, VAPID-signed and encrypted
// (checked and decrypted by an independent push service), with TTL,
// Urgency and a per-thread Topic; what a visitor's push carries is what
// the visitor may read, and staff-only notes reach staff only.
func TestWebPushDeliversNotifications(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithPushTargets())
		key := vapidKey(t, s)
		if key != vapidKey(t, s) || len(key) != 87 { // 65 bytes, unpadded base64url
			t.Fatalf("vapidPublicKey %q", key)
		}
		ps := apptest.NewPushService(t, key)
		owner, mod, visitor := s.SignUp("owner"), s.SignUp("mod"), s.SignUp("visitor")
		page := s.CreatePage(owner, "pushy")
		s.SetRole(owner, page, mod, "MODERATOR").OK()
		modPhone, modLaptop, visitorPhone := ps.Device(t, "mod-phone"), ps.Device(t, "mod-laptop"), ps.Device(t, "visitor-phone")
		modPhone.Register(s, mod).OK()
		modLaptop.Register(s, mod).OK()
		visitorPhone.Register(s, visitor).OK()

		// A visitor message: each device of each inbox staff member.
		long := "Hello! " + strings.Repeat("x", 9000)
		thread := s.SendToPage(visitor, page, long).OK().String("sendMessageToPage.thread.id")
		for _, d := range []*apptest.Device{modPhone, modLaptop} {
			p := ps.Wait(t, d, 1)[0]
			if p.Header.Get("TTL") != "86400" || p.Header.Get("Urgency") != "high" || p.Header.Get("Topic") != thread {
				t.Fatalf("headers TTL %q Urgency %q Topic %q (thread %s)", p.Header.Get("TTL"), p.Header.Get("Urgency"), p.Header.Get("Topic"), thread)
			}
			n := s.Do(mod.Token, modNotifications, nil).OK()
			if p.Payload["notificationId"] != n.String("viewer.notifications.edges.0.node.id") ||
				p.Payload["kind"] != "NEW_MESSAGE" || p.Payload["threadId"] != thread || p.Payload["pageName"] != "Page pushy" {
				t.Fatalf("payload %v", p.Payload)
			}
			snippet, _ := p.Payload["snippet"].(string)
			if !strings.HasPrefix(snippet, "Hello! xxx") || len([]rune(snippet)) > 140 || len(p.Raw) >= 4096 {
				t.Fatalf("snippet %q (%d bytes of payload)", snippet, len(p.Raw))
			}
		}

		// A staff-only note mentioning the moderator: pushed to them, never
		// to the visitor.
		s.Do(owner.Token, `mutation($i: AddNoteInput!) { addNote(input: $i) { note { id } } }`,
			apptest.Vars{"i": apptest.Vars{"threadId": thread, "body": "@" + mod.Handle + " secret refund code 4242"}}).OK()
		mention := ps.Wait(t, modPhone, 2)[1].Payload
		if mention["kind"] != "MENTIONED" || !strings.Contains(mention["snippet"].(string), "secret refund code") {
			t.Fatalf("mention push %v", mention)
		}

		// The page answers: the visitor's device gets it, with nothing
		// staff-only (which staff member wrote it, notes).
		s.SendIn(owner, thread, "Thanks for writing").OK()
		reply := ps.Wait(t, visitorPhone, 1)[0]
		if reply.Payload["kind"] != "PAGE_REPLY" || reply.Payload["snippet"] != "Thanks for writing" || reply.Header.Get("Topic") != thread {
			t.Fatalf("reply push %v", reply.Payload)
		}
		pushQueueEmpty(t, s)
		for _, p := range ps.Got(visitorPhone) {
			raw := string(p.Raw)
			if strings.Contains(raw, "secret refund") || strings.Contains(raw, owner.Handle) || strings.Contains(raw, owner.ID) || strings.Contains(raw, `"owner"`) {
				t.Fatalf("a visitor's push carries staff-only data: %s", raw)
			}
		}
		if n := len(ps.Got(visitorPhone)); n != 1 {
			t.Fatalf("visitor got %d pushes, want 1", n)
		}
		// The devices show when a push last got through.
		subs := s.Do(mod.Token, pushSubscriptions, nil).OK()
		if subs.Len("viewer.pushSubscriptions") != 2 || subs.Null("viewer.pushSubscriptions.0.lastSuccessAt") ||
			subs.String("viewer.pushSubscriptions.0.userAgent") != "test mod-phone" {
			t.Fatalf("subscriptions %v", subs.Get("viewer.pushSubscriptions"))
		}
	})
}

// TestPushSubscriptionsAreTheirOwnersAlone: registration checks what it
// stores, is idempotent per endpoint, and nobody else sees or removes a
// person's devices.
func TestPushSubscriptionsAreTheirOwnersAlone(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithPushTargets())
		ps := apptest.NewPushService(t, vapidKey(t, s))
		alice, bob := s.SignUp("alice"), s.SignUp("bob")
		d := ps.Device(t, "phone")
		first := d.Register(s, alice).OK().String("registerPushSubscription.pushSubscription.id")
		again := d.Register(s, alice).OK().String("registerPushSubscription.pushSubscription.id")
		if first != again || s.Do(alice.Token, pushSubscriptions, nil).OK().Len("viewer.pushSubscriptions") != 1 {
			t.Fatal("registering an endpoint again must not add a subscription")
		}
		reg := `mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) { pushSubscription { id } } }`
		for name, in := range map[string]apptest.Vars{
			"short p256dh":    {"endpoint": d.Endpoint + "x", "p256dh": d.P256dh[:40], "auth": d.Auth},
			"p256dh no point": {"endpoint": d.Endpoint + "x", "p256dh": strings.Repeat("A", 87), "auth": d.Auth},
			"auth not b64":    {"endpoint": d.Endpoint + "x", "p256dh": d.P256dh, "auth": "!!!!"},
			"auth too long":   {"endpoint": d.Endpoint + "x", "p256dh": d.P256dh, "auth": d.Auth + d.Auth},
			"not a url":       {"endpoint": "push me", "p256dh": d.P256dh, "auth": d.Auth},
			"ftp":             {"endpoint": "ftp://127.0.0.1/x", "p256dh": d.P256dh, "auth": d.Auth},
		} {
			if code := s.Do(alice.Token, reg, apptest.Vars{"i": in}).Code(); code != "BAD_USER_INPUT" {
				t.Errorf("%s: %s, want BAD_USER_INPUT", name, code)
			}
		}
		in := apptest.Vars{"i": apptest.Vars{"endpoint": d.Endpoint + "/other", "p256dh": d.P256dh, "auth": d.Auth}}
		s.Do("", reg, in).WantCode("UNAUTHENTICATED")

		// Others see null, by the user, by node id; they cannot remove it.
		byHandle := `query($h: String!) { user(handle: $h) { pushSubscriptions { id } } }`
		if !s.Do(bob.Token, byHandle, apptest.Vars{"h": alice.Handle}).OK().Null("user.pushSubscriptions") {
			t.Fatal("another user sees alice's push subscriptions")
		}
		if s.Do(alice.Token, byHandle, apptest.Vars{"h": alice.Handle}).OK().Len("user.pushSubscriptions") != 1 {
			t.Fatal("alice does not see her own subscription")
		}
		if !s.Do(bob.Token, `query($id: ID!) { node(id: $id) { id } }`, apptest.Vars{"id": first}).OK().Null("node") {
			t.Fatal("node(id) shows alice's subscription to bob")
		}
		unreg := `mutation($id: ID!) { unregisterPushSubscription(input: {id: $id}) { deletedId } }`
		s.Do(bob.Token, unreg, apptest.Vars{"id": first}).WantCode("NOT_FOUND")

		// The same browser signed in as bob: the endpoint is bob's now.
		d.Register(s, bob).OK()
		if s.Do(alice.Token, pushSubscriptions, nil).OK().Len("viewer.pushSubscriptions") != 0 ||
			s.Do(bob.Token, pushSubscriptions, nil).OK().Len("viewer.pushSubscriptions") != 1 {
			t.Fatal("an endpoint belongs to whoever registered it last")
		}
		mine := s.Do(bob.Token, pushSubscriptions, nil).OK().String("viewer.pushSubscriptions.0.id")
		s.Do(bob.Token, unreg, apptest.Vars{"id": mine}).OK()
		if s.Do(bob.Token, pushSubscriptions, nil).OK().Len("viewer.pushSubscriptions") != 0 {
			t.Fatal("unregister left the subscription")
		}
	})
}

// TestPushEndpointsMustBePublic: without the private-targets setting an
// endpoint must be https and resolve to public addresses (rule 31).
func TestPushEndpointsMustBePublic(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	ps := apptest.NewPushService(t, vapidKey(t, s))
	alice := s.SignUp("alice")
	d := ps.Device(t, "phone")
	reg := `mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) { pushSubscription { id } } }`
	for _, endpoint := range []string{d.Endpoint, "https://127.0.0.1/push", "https://[::ffff:10.0.0.1]/x", "https://localhost/x", "http://push.example.com/x"} {
		in := apptest.Vars{"endpoint": endpoint, "p256dh": d.P256dh, "auth": d.Auth}
		if code := s.Do(alice.Token, reg, apptest.Vars{"i": in}).Code(); code != "BAD_USER_INPUT" {
			t.Errorf("%s: %s, want BAD_USER_INPUT", endpoint, code)
		}
	}
}

// TestGonePushSubscriptionsAreRemoved: a 404 or 410 from the push service
// means the subscription is no more (RFC 8030 7.3).
func TestGonePushSubscriptionsAreRemoved(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithPushTargets())
		ps := apptest.NewPushService(t, vapidKey(t, s))
		c := s.StartConversation("gone")
		expired := ps.Device(t, "expired", apptest.PushAnswer{Status: 410})
		unknown := ps.Device(t, "unknown", apptest.PushAnswer{Status: 404})
		alive := ps.Device(t, "alive")
		for _, d := range []*apptest.Device{expired, unknown, alive} {
			d.Register(s, c.Visitor).OK()
		}
		s.SendIn(c.Owner, c.ThreadID, "still there?").OK()
		for _, d := range []*apptest.Device{expired, unknown, alive} {
			ps.Wait(t, d, 1)
		}
		apptest.Eventually(t, 10*time.Second, func() error {
			r := s.Do(c.Visitor.Token, pushSubscriptions, nil).OK()
			if r.Len("viewer.pushSubscriptions") != 1 || r.String("viewer.pushSubscriptions.0.endpoint") != alive.Endpoint {
				return fmt.Errorf("subscriptions %v", r.Get("viewer.pushSubscriptions"))
			}
			return nil
		})
		s.SendIn(c.Owner, c.ThreadID, "once more").OK()
		ps.Wait(t, alive, 2)
		pushQueueEmpty(t, s)
		if len(ps.Got(expired)) != 1 || len(ps.Got(unknown)) != 1 {
			t.Fatal("a removed subscription was pushed to again")
		}
	})
}

// TestPushRetryAfterSurvivesARestart: a 429 is retried no sooner than its
// Retry-After, from the database, by the next process if the first is gone.
func TestPushRetryAfterSurvivesARestart(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		db, dir := apptest.DatabaseURL(t, b), t.TempDir()
		first := apptest.StartOn(t, b, db, dir, apptest.WithPushTargets())
		ps := apptest.NewPushService(t, vapidKey(t, first))
		c := first.StartConversation("later")
		busy := ps.Device(t, "busy", apptest.PushAnswer{Status: 429, RetryAfter: "120"})
		busy.Register(first, c.Visitor).OK()
		first.SendIn(c.Owner, c.ThreadID, "when you can").OK()
		ps.Wait(t, busy, 1)
		dl := pushRetryQueued(t, first)
		if wait := dl.NextAttemptAt.Sub(first.Clock.Now()); wait != 120*time.Second {
			t.Fatalf("next attempt in %s, want Retry-After's 120 s", wait)
		}
		// Before Retry-After, nothing is due.
		first.Clock.Advance(time.Minute)
		if n := first.PushDispatcher.Round(context.Background()); n != 0 || len(ps.Got(busy)) != 1 {
			t.Fatalf("retried before Retry-After (%d, %d pushes)", n, len(ps.Got(busy)))
		}
		if err := first.App.Close(); err != nil {
			t.Fatal(err)
		}
		second := apptest.StartOn(t, b, db, dir, apptest.WithPushTargets())
		second.Clock.Set(first.Clock.Now().Add(61 * time.Second))
		got := ps.Wait(t, busy, 2)
		if got[1].Payload["snippet"] != "when you can" || got[1].Payload["notificationId"] != got[0].Payload["notificationId"] {
			t.Fatalf("resumed push %v", got[1].Payload)
		}
		pushQueueEmpty(t, second)
	})
}

// TestBlockedPagePushesNothing: a user who blocked a page gets no push
// from it (rule 13), also a push that was waiting for a retry.
func TestBlockedPagePushesNothing(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithPushTargets())
		ps := apptest.NewPushService(t, vapidKey(t, s))
		c := s.StartConversation("blocked")
		d := ps.Device(t, "phone", apptest.PushAnswer{Status: 503})
		d.Register(s, c.Visitor).OK()
		s.SendIn(c.Owner, c.ThreadID, "buy now").OK()
		ps.Wait(t, d, 1) // refused for now: a retry is queued
		pushRetryQueued(t, s)
		s.Do(c.Visitor.Token, `mutation($p: ID!) { blockPage(input: {pageId: $p}) { page { id } } }`, apptest.Vars{"p": c.Page.ID}).OK()
		s.Clock.Advance(time.Hour)
		s.SendIn(c.Owner, c.ThreadID, "and more").WantCode("BLOCKED")
		pushQueueEmpty(t, s)
		if n := len(ps.Got(d)); n != 1 {
			t.Fatalf("a blocked page's message was pushed (%d pushes)", n)
		}
	})
}
