package e2e

import (
	"fmt"
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

// largeTeam is more staff than a send writes notifications for in its own
// transaction (messaging.deferAbove): theirs are written by the
// notification outbox's worker after the commit.
const largeTeam = 101

// TestLargeTeamIsNotified is rule 20 for a page whose staff is too large
// for the send's transaction: a visitor's message still notifies every
// ADMIN and MODERATOR exactly once, live and as an unread item, and the
// visitor is not notified of their own message. With two replicas on one
// PostgreSQL database both workers race for the job, and the staff are
// still notified once each. A staff member's device gets the push too.
func TestLargeTeamIsNotified(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		db := apptest.DatabaseURL(t, b)
		s := apptest.StartOn(t, b, db, t.TempDir(), apptest.WithPushTargets())
		other := s
		if b == apptest.Postgres {
			other = apptest.StartOn(t, b, db, t.TempDir(), apptest.WithPushTargets())
		}
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "largeteam")
		staff := []apptest.User{owner}
		for i := range largeTeam {
			u := s.SignUp(fmt.Sprintf("mod%d", i))
			s.SetRole(owner, page, u, "MODERATOR").OK()
			staff = append(staff, u)
		}
		ps := apptest.NewPushService(t, vapidKey(t, s))
		phone := ps.Device(t, "mod-phone")
		phone.Register(s, staff[1]).OK()
		watcher := other.Connect(apptest.TransportWS, staff[len(staff)-1].Token)
		watcher.Subscribe("n", `subscription { notificationAdded { id kind message { body } page { id } } }`, nil)
		other.WaitSubscribers(1)

		s.SendToPage(visitor, page, "hello, large team").OK()

		r := watcher.Data("n", wait)
		if r.String("notificationAdded.kind") != "NEW_MESSAGE" || r.String("notificationAdded.message.body") != "hello, large team" ||
			r.String("notificationAdded.page.id") != page.ID {
			t.Fatalf("notificationAdded: %s", r.Raw)
		}
		// The live event comes once the rows are committed: every staff
		// member has exactly this one unread notification now.
		for _, u := range []apptest.User{owner, staff[1], staff[largeTeam/2], staff[len(staff)-1]} {
			n := s.Do(u.Token, myNotifications, nil).OK()
			if n.Int("viewer.unreadNotificationCount") != 1 || n.Int("viewer.notifications.totalCount") != 1 ||
				n.String("viewer.notifications.edges.0.node.message.body") != "hello, large team" {
				t.Fatalf("%s's notifications: %s", u.ID, n.Raw)
			}
		}
		n := s.Do(staff[1].Token, myNotifications, nil).OK()
		if p := ps.Wait(t, phone, 1)[0]; p.Payload["kind"] != "NEW_MESSAGE" || p.Payload["notificationId"] != n.String("viewer.notifications.edges.0.node.id") {
			t.Fatalf("push %v", p.Payload)
		}
		if n := s.Do(visitor.Token, myNotifications, nil).OK().Int("viewer.notifications.totalCount"); n != 0 {
			t.Fatalf("the visitor got %d notifications of their own message", n)
		}
		// A second message: one more each, and the live stream carries it
		// once.
		s.SendToPage(visitor, page, "and again").OK()
		if r := watcher.Data("n", wait); r.String("notificationAdded.message.body") != "and again" {
			t.Fatalf("second notificationAdded: %s", r.Raw)
		}
		if m, ok := watcher.TryNext(300 * time.Millisecond); ok {
			t.Fatalf("a notification arrived twice: %+v", m)
		}
		for _, u := range []apptest.User{owner, staff[largeTeam/3]} {
			if n := s.Do(u.Token, myNotifications, nil).OK(); n.Int("viewer.unreadNotificationCount") != 2 {
				t.Fatalf("%s after two messages: %s", u.ID, n.Raw)
			}
		}
	})
}

// TestLargeTeamSenderOnStaffIsNotNotified is rule 20's "nobody is notified
// of their own message" for a page with too many staff for the send's
// transaction: a MODERATOR who writes to their own page as a visitor is
// one of the staff the notification outbox's worker reads after the
// commit, and is left out there - neither live nor in their list - while
// the rest of the team is notified.
func TestLargeTeamSenderOnStaffIsNotNotified(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "largeteam")
		staff := []apptest.User{owner}
		for i := range largeTeam {
			u := s.SignUp(fmt.Sprintf("mod%d", i))
			s.SetRole(owner, page, u, "MODERATOR").OK()
			staff = append(staff, u)
		}
		sender, colleague := staff[1], staff[len(staff)-1]
		const sub = `subscription { notificationAdded { id message { body } } }`
		own := s.Connect(apptest.TransportWS, sender.Token)
		own.Subscribe("n", sub, nil)
		watcher := s.Connect(apptest.TransportWS, colleague.Token)
		watcher.Subscribe("n", sub, nil)
		s.WaitSubscribers(2)

		s.SendToPage(sender, page, "a question from one of us").OK()

		// The colleague's notification is committed with everyone's.
		if r := watcher.Data("n", wait); r.String("notificationAdded.message.body") != "a question from one of us" {
			t.Fatalf("the colleague's notificationAdded: %s", r.Raw)
		}
		for _, u := range []apptest.User{owner, colleague} {
			if n := s.Do(u.Token, myNotifications, nil).OK(); n.Int("viewer.notifications.totalCount") != 1 {
				t.Fatalf("%s's notifications: %s", u.ID, n.Raw)
			}
		}
		if n := s.Do(sender.Token, myNotifications, nil).OK(); n.Int("viewer.notifications.totalCount") != 0 {
			t.Fatalf("the sender was notified of their own message: %s", n.Raw)
		}
		if m, ok := own.TryNext(300 * time.Millisecond); ok {
			t.Fatalf("the sender got a live notification of their own message: %+v", m)
		}
	})
}
