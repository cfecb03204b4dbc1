package e2e

import (
	"testing"

	"pageinbox/internal/apptest"
)

const myNotifications = `query($unread: Boolean) { viewer {
	unreadNotificationCount
	notifications(unreadOnly: $unread) { totalCount edges { node { id kind readAt thread { id } message { body } page { id } } } }
} }`

// TestNotificationsFollowMessages is rule 20 for DIRECT threads.
func TestNotificationsFollowMessages(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("notify")
		s.Clock.Advance(1e9)
		s.SendToPage(c.Visitor, c.Page, "second question").OK()

		// Staff were told about both visitor messages, newest first.
		r := s.Do(c.Owner.Token, myNotifications, nil).OK()
		if r.Int("viewer.unreadNotificationCount") != 2 || r.Int("viewer.notifications.totalCount") != 2 {
			t.Fatalf("owner notifications: %s", r.Raw)
		}
		if r.String("viewer.notifications.edges.0.node.kind") != "NEW_MESSAGE" ||
			r.String("viewer.notifications.edges.0.node.message.body") != "second question" ||
			r.String("viewer.notifications.edges.0.node.thread.id") != c.ThreadID ||
			r.String("viewer.notifications.edges.0.node.page.id") != c.Page.ID {
			t.Fatalf("newest NEW_MESSAGE first: %s", r.Raw)
		}
		// The visitor is not notified of their own messages.
		if s.Do(c.Visitor.Token, myNotifications, nil).OK().Int("viewer.notifications.totalCount") != 0 {
			t.Fatal("the visitor must not be notified of their own messages")
		}
		// A page reply notifies the visitor, not the staff member who sent it.
		s.SendIn(c.Owner, c.ThreadID, "answer").OK()
		v := s.Do(c.Visitor.Token, myNotifications, nil).OK()
		if v.Int("viewer.unreadNotificationCount") != 1 || v.String("viewer.notifications.edges.0.node.kind") != "PAGE_REPLY" {
			t.Fatalf("visitor notifications: %s", v.Raw)
		}
		if s.Do(c.Owner.Token, myNotifications, nil).OK().Int("viewer.notifications.totalCount") != 2 {
			t.Fatal("a reply must not notify its sender")
		}

		// Mark one read by id, then all.
		first := r.String("viewer.notifications.edges.0.node.id")
		mark := `mutation($i: MarkNotificationsReadInput!) { markNotificationsRead(input: $i) }`
		if n := s.Do(c.Owner.Token, mark, apptest.Vars{"i": apptest.Vars{"ids": []string{first}}}).OK().Int("markNotificationsRead"); n != 1 {
			t.Fatalf("marked %d, want 1", n)
		}
		// Marking it again changes nothing; someone else's id changes nothing.
		if n := s.Do(c.Owner.Token, mark, apptest.Vars{"i": apptest.Vars{"ids": []string{first}}}).OK().Int("markNotificationsRead"); n != 0 {
			t.Fatalf("re-marking changed %d", n)
		}
		visitorNote := v.String("viewer.notifications.edges.0.node.id")
		if n := s.Do(c.Owner.Token, mark, apptest.Vars{"i": apptest.Vars{"ids": []string{visitorNote}}}).OK().Int("markNotificationsRead"); n != 0 {
			t.Fatalf("marked another user's notification")
		}
		unread := s.Do(c.Owner.Token, myNotifications, apptest.Vars{"unread": true}).OK()
		if unread.Int("viewer.notifications.totalCount") != 1 || unread.Int("viewer.unreadNotificationCount") != 1 {
			t.Fatalf("unreadOnly after marking one: %s", unread.Raw)
		}
		if n := s.Do(c.Owner.Token, mark, apptest.Vars{"i": apptest.Vars{"all": true}}).OK().Int("markNotificationsRead"); n != 1 {
			t.Fatalf("all: marked %d, want 1", n)
		}
		if s.Do(c.Owner.Token, myNotifications, nil).OK().Int("viewer.unreadNotificationCount") != 0 {
			t.Fatal("everything is read")
		}
		s.Do(c.Owner.Token, mark, apptest.Vars{"i": apptest.Vars{}}).WantCode("BAD_USER_INPUT")
	})
}
