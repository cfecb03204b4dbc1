package e2e

import (
	"net/http"
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

// disabledNotices lists a person's unread notifications with their unread
// count.
const disabledNotices = `{ viewer { unreadNotificationCount
	notifications(first: 100, unreadOnly: true) { totalCount edges { node { id kind thread { id } webhook { id disabledReason } } } } } }`

// wantWebhookDisabledNotice checks rule 33's notice of a switched-off
// webhook: the ADMIN has exactly one WEBHOOK_DISABLED notification, about
// hook and thread, counted as unread (reading it moves the count); the
// MODERATOR has none.
func wantWebhookDisabledNotice(t *testing.T, s *apptest.Server, admin, mod apptest.User, hook, thread string) {
	t.Helper()
	var found []map[string]any
	var r *apptest.Response
	apptest.Eventually(t, 10*time.Second, func() error {
		r = s.Do(admin.Token, disabledNotices, nil).OK()
		found = nil
		for _, e := range r.Get("viewer.notifications.edges").([]any) {
			if n := e.(map[string]any)["node"].(map[string]any); n["kind"] == "WEBHOOK_DISABLED" {
				found = append(found, n)
			}
		}
		if len(found) == 0 {
			return errFalse("no WEBHOOK_DISABLED notification")
		}
		return nil
	})
	if len(found) != 1 {
		t.Fatalf("%d WEBHOOK_DISABLED notifications, want 1: %v", len(found), found)
	}
	n := found[0]
	wh, _ := n["webhook"].(map[string]any)
	th, _ := n["thread"].(map[string]any)
	if wh == nil || wh["id"] != hook || wh["disabledReason"] == nil || wh["disabledReason"] == "" || th == nil || th["id"] != thread {
		t.Fatalf("notification %v, want webhook %s and thread %s", n, hook, thread)
	}
	unread := r.Int("viewer.unreadNotificationCount")
	if unread != r.Int("viewer.notifications.totalCount") || unread < 1 {
		t.Fatalf("unreadNotificationCount %d, %d unread listed", unread, r.Int("viewer.notifications.totalCount"))
	}
	if got := s.Do(admin.Token, `mutation($i: [ID!]) { markNotificationsRead(input: {ids: $i}) }`, apptest.Vars{"i": []any{n["id"]}}).OK().Int("markNotificationsRead"); got != 1 {
		t.Fatalf("marked %d read", got)
	}
	if after := s.Do(admin.Token, `{ viewer { unreadNotificationCount } }`, nil).OK().Int("viewer.unreadNotificationCount"); after != unread-1 {
		t.Fatalf("unread count %d after reading the notice, want %d", after, unread-1)
	}
	for _, e := range s.Do(mod.Token, disabledNotices, nil).OK().Get("viewer.notifications.edges").([]any) {
		if n := e.(map[string]any)["node"].(map[string]any); n["kind"] == "WEBHOOK_DISABLED" {
			t.Fatalf("a MODERATOR got %v", n)
		}
	}
}

// TestRule33SwitchOffIsPushed: the WEBHOOK_DISABLED notification reaches
// the ADMIN's device by Web Push (rule 32), about the failing event's
// thread, once.
func TestRule33SwitchOffIsPushed(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets(), apptest.WithPushTargets())
		ps := apptest.NewPushService(t, vapidKey(t, s))
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "gonepush")
		phone := ps.Device(t, "owner-phone")
		phone.Register(s, owner).OK()
		rec := apptest.NewReceiver(t, http.StatusGone)
		register(t, s, owner, page, rec.URL, "MESSAGE_CREATED")
		thread := s.SendToPage(visitor, page, "first").OK().String("sendMessageToPage.thread.id")
		rec.Wait(t, 1)
		pushes := ps.Wait(t, phone, 2)
		pushQueueEmpty(t, s)
		var notices []map[string]any
		for _, p := range pushes {
			if p.Payload["kind"] == "WEBHOOK_DISABLED" {
				notices = append(notices, p.Payload)
			}
		}
		if len(notices) != 1 || notices[0]["threadId"] != thread {
			t.Fatalf("pushed notices %v (thread %s); all: %d pushes", notices, thread, len(ps.Got(phone)))
		}
		if n := len(ps.Got(phone)); n != 2 {
			t.Fatalf("%d pushes, want NEW_MESSAGE and WEBHOOK_DISABLED", n)
		}
	})
}
