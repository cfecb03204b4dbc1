package e2e

import (
	"testing"

	"pageinbox/internal/apptest"
)

// TestThreadsExistOnlyForParticipants is rule 11: to anyone but the visitor
// and the page's inbox staff, a thread and its messages do not exist.
func TestThreadsExistOnlyForParticipants(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("private")
		msgID := s.SendIn(c.Owner, c.ThreadID, "our answer").OK().String("sendMessage.message.id")
		otherOwner := s.SignUp("otherowner")
		s.CreatePage(otherOwner, "elsewhere")
		stranger := s.SignUp("stranger")

		outsiders := map[string]string{"anonymous": "", "stranger": stranger.Token, "other page's admin": otherOwner.Token}
		for who, token := range outsiders {
			r := s.Do(token, `query($t: ID!, $m: ID!) {
				t: node(id: $t) { id } m: node(id: $m) { id } both: nodes(ids: [$t, $m]) { id } }`,
				apptest.Vars{"t": c.ThreadID, "m": msgID})
			if !r.Null("t") || !r.Null("m") || !r.Null("both.0") || !r.Null("both.1") {
				t.Errorf("%s sees the thread or message: %s", who, r.Raw)
			}
			// Rule 28: null without an error, so clients keep the rest of the data.
			if len(r.Errors) != 0 {
				t.Errorf("%s: node of an invisible object must be null without an error, got %s", who, r.Raw)
			}
			// Staff-only page fields are null, viewer-relative ones empty.
			r = s.Do(token, `query($h: String!) { page(handle: $h) { threads { totalCount } unreadThreadCount members { role } viewerThread { id } } }`,
				apptest.Vars{"h": c.Page.Handle}).OK()
			if !r.Null("page.threads") || !r.Null("page.unreadThreadCount") || !r.Null("page.members") || !r.Null("page.viewerThread") {
				t.Errorf("%s sees staff fields: %s", who, r.Raw)
			}
			// Mutations answer NOT_FOUND, never FORBIDDEN.
			if code := s.SendIn(apptest.User{Token: token}, c.ThreadID, "let me in").Code(); token != "" && code != "NOT_FOUND" {
				t.Errorf("%s: sendMessage to a foreign thread: want NOT_FOUND, got %q", who, code)
			}
			code := s.Do(token, `mutation($id: ID!) { markThreadRead(input: {threadId: $id}) { thread { id } } }`, apptest.Vars{"id": c.ThreadID}).Code()
			if token != "" && code != "NOT_FOUND" {
				t.Errorf("%s: markThreadRead on a foreign thread: want NOT_FOUND, got %q", who, code)
			}
		}
		// Anonymous senders are asked to sign in.
		s.SendIn(apptest.User{}, c.ThreadID, "x").WantCode("UNAUTHENTICATED")

		// A user's threads and notifications are theirs alone.
		r := s.Do(stranger.Token, `query($u: ID!) { node(id: $u) { ... on User { name email threads { totalCount } notifications { totalCount } unreadNotificationCount managedPages { role } } } }`,
			apptest.Vars{"u": c.Visitor.ID}).OK()
		if r.String("node.name") != "visitor" || !r.Null("node.email") || !r.Null("node.threads") || !r.Null("node.notifications") ||
			!r.Null("node.unreadNotificationCount") || !r.Null("node.managedPages") {
			t.Fatalf("another user's private fields leak: %s", r.Raw)
		}

		// The participants see it, through node and through nested edges.
		for who, token := range map[string]string{"visitor": c.Visitor.Token, "owner": c.Owner.Token} {
			r := s.Do(token, `query($t: ID!, $m: ID!) { t: node(id: $t) { id } m: node(id: $m) { ... on Message { thread { id } } } }`,
				apptest.Vars{"t": c.ThreadID, "m": msgID}).OK()
			if r.String("t.id") != c.ThreadID || r.String("m.thread.id") != c.ThreadID {
				t.Errorf("%s must see the thread: %s", who, r.Raw)
			}
		}
		r = s.Do(c.Visitor.Token, `{ viewer { threads { edges { node { id page { id } } } } } }`, nil).OK()
		if r.String("viewer.threads.edges.0.node.id") != c.ThreadID {
			t.Fatalf("the visitor lists their thread: %s", r.Raw)
		}
	})
}

// TestPageSenderHiddenEvenWhenOnlySenderIsSelected guards rule 11 against
// a query that asks for sender without the fields the check reads.
func TestPageSenderHiddenEvenWhenOnlySenderIsSelected(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("hidden")
		s.SendIn(c.Owner, c.ThreadID, "staff answer").OK()
		for q, path := range map[string]string{
			`query($id: ID!) { node(id: $id) { ... on Thread { messages { edges { node { sender { id } } } } } } }`:            "node.messages.edges.1.node.sender",
			`query($id: ID!) { node(id: $id) { ... on Thread { lastMessage { sender { id name } } } } }`:                       "node.lastMessage.sender",
			`query($id: ID!) { node(id: $id) { ... on Thread { messages { edges { node { senderType sender { id } } } } } } }`: "node.messages.edges.1.node.sender",
		} {
			r := s.Do(c.Visitor.Token, q, apptest.Vars{"id": c.ThreadID}).OK()
			if !r.Null(path) {
				t.Errorf("staff member leaked: %s", r.Raw)
			}
			if s := s.Do(c.Owner.Token, q, apptest.Vars{"id": c.ThreadID}).OK(); s.Null(path) {
				t.Errorf("staff must see the staff sender: %s", s.Raw)
			}
		}
	})
}
