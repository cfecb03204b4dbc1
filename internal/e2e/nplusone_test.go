package e2e

import (
	"fmt"
	"testing"

	"pageinbox/internal/app"
	"pageinbox/internal/apptest"
)

// TestInboxQueryRunsAFixedNumberOfStatements: the staff inbox - threads
// with visitor, snippet and last message - costs the same number of SQL
// statements for 5 threads as for 50 (no N+1).
func TestInboxQueryRunsAFixedNumberOfStatements(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "bigshop")
		inbox := `query($h: String!) { page(handle: $h) { unreadThreadCount threads(first: 50) { totalCount edges { cursor node {
			id snippet lastMessageAt unreadCount
			visitor { id name handle }
			lastMessage { id seq body senderType createdAt sender { id name } }
		} } } } }`
		counts := map[int]int{}
		for _, n := range []int{5, 50} {
			for i := len(counts) * 5; i < n; i++ {
				v := s.SignUp(fmt.Sprintf("v%d", i))
				thread := s.SendToPage(v, page, "question").OK().String("sendMessageToPage.thread.id")
				if i%2 == 0 {
					s.SendIn(owner, thread, "answer").OK() // half end with a PAGE message
				}
			}
			var r *apptest.Response
			counts[n] = s.CountStatements(func() {
				r = s.Do(owner.Token, inbox, apptest.Vars{"h": page.Handle}).OK()
			})
			if r.Len("page.threads.edges") != n {
				t.Fatalf("want %d threads: %s", n, r.Raw)
			}
		}
		if counts[5] != counts[50] {
			t.Fatalf("the inbox query ran %d statements for 5 threads and %d for 50: N+1", counts[5], counts[50])
		}
		// The budget: the session with the viewer's roles, the page, the
		// threads with their total, the unread-thread count, the visitors,
		// the last messages and their senders. One more is a round trip
		// that came back (the roles used to be a statement of their own).
		if counts[50] > 8 {
			t.Fatalf("the inbox query ran %d statements, over its budget of 8", counts[50])
		}
		t.Logf("%s: inbox of 5 or 50 threads = %d statements", b, counts[50])
	})
}

// TestVisitorMessageRunsABudgetOfStatements: a visitor's message to an
// existing thread, with rule 23's limit on - with its notification, push
// outbox check and page event log entry - costs a fixed number of SQL
// round trips: BEGIN, the rate window's compare-and-swap (one statement:
// this replica wrote the window last), the thread lock with the page's
// facts, the message, the thread's counters, the event with the webhook
// check, the event's body, the notification, the push job (PostgreSQL
// writes it only for a recipient with a device) and COMMIT. The session
// is cached. Every statement is a round trip on the send path's critical
// section (issue 12); one more is a regression.
func TestVisitorMessageRunsABudgetOfStatements(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithRateLimits(app.DefaultMessagesPerMinute, app.DefaultThreadsPerHour))
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "budget")
		v := s.SignUp("visitor")
		s.SendToPage(v, page, "first").OK()
		n := s.CountStatements(func() { s.SendToPage(v, page, "second").OK() })
		if n > 10 {
			t.Fatalf("a visitor's message ran %d statements, over its budget of 10", n)
		}
		t.Logf("%s: a visitor's message = %d statements", b, n)
	})
}

// TestStaffInboxIsOneStatement: the staff inbox as the web app and the
// bench ask for it (node(id) of the page, 50 threads with their visitors)
// is one SQL statement once the session is cached: no session lookup, no
// page read, the visitors joined into the threads statement. The answer
// is still every thread with its own visitor.
func TestStaffInboxIsOneStatement(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "onestatement")
		want := map[string]string{} // visitor id -> name
		for i := range 12 {
			v := s.SignUp(fmt.Sprintf("visitor%d", i))
			s.SendToPage(v, page, "hello").OK()
			want[v.ID] = v.Name
		}
		q := `query($p: ID!) { node(id: $p) { ... on Page { threads(first: 50) { edges { node {
			id snippet lastMessageAt unreadCount status visitor { id name } } } } } } }`
		s.Do(owner.Token, q, apptest.Vars{"p": page.ID}).OK() // the session is now cached
		var r *apptest.Response
		n := s.CountStatements(func() { r = s.Do(owner.Token, q, apptest.Vars{"p": page.ID}).OK() })
		if n != 1 {
			t.Fatalf("the staff inbox ran %d statements, want 1", n)
		}
		if r.Len("node.threads.edges") != len(want) {
			t.Fatalf("want %d threads: %s", len(want), r.Raw)
		}
		for i := range len(want) {
			id := r.String(fmt.Sprintf("node.threads.edges.%d.node.visitor.id", i))
			if name := r.String(fmt.Sprintf("node.threads.edges.%d.node.visitor.name", i)); want[id] != name {
				t.Fatalf("thread %d: visitor %s is named %q, want %q", i, id, name, want[id])
			}
			delete(want, id)
		}
		// Asking the visitors for more than columns (their own threads)
		// falls back to a second statement, with the same answer.
		deep := `query($p: ID!) { node(id: $p) { ... on Page { threads(first: 50) { edges { node {
			visitor { id name threads(first: 1) { totalCount } } } } } } } }`
		if r := s.Do(owner.Token, deep, apptest.Vars{"p": page.ID}).OK(); r.String("node.threads.edges.0.node.visitor.name") == "" {
			t.Fatalf("visitors with nested fields: %s", r.Raw)
		}
	})
}

// TestThreadMessagesWithReactionsIsNoNPlusOne: a thread's page of
// messages asked with their reactions reads them in one batch however
// many messages it lists (a response batches its Message.reactions), and
// every message still gets its own groups, with the viewer's own marked.
func TestThreadMessagesWithReactionsIsNoNPlusOne(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("reactionsbatch")
		const q = `query($id: ID!) { node(id: $id) { ... on Thread { messages(first: 50) { edges { node { id body reactions { emoji count viewerReacted } } } } } } }`
		counts := map[int]int{}
		sent := 1 // the conversation's first message
		for _, n := range []int{5, 40} {
			for ; sent < n; sent++ {
				s.SendIn(c.Owner, c.ThreadID, fmt.Sprintf("answer %d", sent)).OK()
			}
			all := s.Do(c.Visitor.Token, q, apptest.Vars{"id": c.ThreadID}).OK()
			for i := range n {
				id := all.String(fmt.Sprintf("node.messages.edges.%d.node.id", i))
				if i%2 == 0 { // every other message: the visitor's 👍, and the owner's on every fourth
					s.Do(c.Visitor.Token, react, apptest.Vars{"m": id, "e": "👍"}).OK()
					if i%4 == 0 {
						s.Do(c.Owner.Token, react, apptest.Vars{"m": id, "e": "👍"}).OK()
					}
				}
			}
			var r *apptest.Response
			counts[n] = s.CountStatements(func() {
				r = s.Do(c.Visitor.Token, q, apptest.Vars{"id": c.ThreadID}).OK()
			})
			if r.Len("node.messages.edges") != n {
				t.Fatalf("want %d messages: %s", n, r.Raw)
			}
			for i := range n {
				at := fmt.Sprintf("node.messages.edges.%d.node.reactions", i)
				want := map[bool]int{true: 2, false: 1}[i%4 == 0]
				switch {
				case i%2 == 1 && r.Len(at) != 0:
					t.Fatalf("message %d has reactions nobody made: %s", i, r.Raw)
				case i%2 == 0 && (r.Len(at) != 1 || r.Int(at+".0.count") != want || !r.Bool(at+".0.viewerReacted")):
					t.Fatalf("message %d: want one 👍 group of %d with the viewer's: %s", i, want, r.Raw)
				}
			}
		}
		// The batch is a time window (reactionBatchWait): on a loaded
		// machine it can close before all 40 siblings asked, and a second
		// batch follows. A few statements more is that; one per message is
		// the N+1 (35 more).
		if counts[40] > counts[5]+5 {
			t.Fatalf("the thread's messages with reactions ran %d statements for 5 messages and %d for 40: N+1", counts[5], counts[40])
		}
		t.Logf("%s: 5 or 40 messages with reactions = %d statements", b, counts[40])
	})
}
