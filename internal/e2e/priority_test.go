package e2e

import (
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

const sortedInbox = `query($h: String!, $f: ThreadFilter) { page(handle: $h) { threads(first: 10, filter: $f) {
	totalCount edges { node { id priority waitingSince } } } } }`

// ids lists the thread ids of an inbox answer in order.
func ids(r *apptest.Response) []string {
	var out []string
	for i := range r.Len("page.threads.edges") {
		out = append(out, r.String("page.threads.edges."+itoa(i)+".node.id"))
	}
	return out
}

func sameOrder(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestPriorityAndQueues is rule 36's priority and waitingSince: the oldest
// unanswered visitor message, cleared by a human reply but not by an away
// message; the inbox filters by priority and sorts by activity, longest
// waiting and priority.
func TestPriorityAndQueues(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "queues")
		thread := func(name string) (apptest.User, string) {
			v := s.SignUp(name)
			id := s.SendToPage(v, page, "hello from "+name).OK().String("sendMessageToPage.thread.id")
			s.Clock.Advance(time.Minute)
			return v, id
		}
		va, a := thread("a") // waits since 09:00
		_, bt := thread("b") // 09:01
		vc, c := thread("c") // 09:02
		setPriority := func(id, p string) {
			s.Do(owner.Token, updateThread, apptest.Vars{"i": apptest.Vars{"threadId": id, "priority": p}}).OK()
		}
		setPriority(a, "LOW")
		setPriority(c, "URGENT")

		st := s.Do(owner.Token, staffThreadState, apptest.Vars{"id": a}).OK()
		since := st.String("node.waitingSince")
		if st.String("node.priority") != "LOW" || since == "" {
			t.Fatalf("staff view: %s", st.Raw)
		}
		// A second visitor message does not move the wait.
		s.SendIn(va, a, "hello?").OK()
		s.Clock.Advance(time.Minute)
		if again := s.Do(owner.Token, staffThreadState, apptest.Vars{"id": a}).OK(); again.String("node.waitingSince") != since {
			t.Fatalf("waitingSince moved: %s", again.Raw)
		}
		if v := s.Do(va.Token, staffThreadState, apptest.Vars{"id": a}).OK(); !v.Null("node.priority") || !v.Null("node.waitingSince") {
			t.Fatalf("the visitor sees staff fields: %s", v.Raw)
		}
		// The page answers b: b no longer waits.
		s.SendIn(owner, bt, "answered").OK()
		s.Clock.Advance(time.Minute)
		if bs := s.Do(owner.Token, staffThreadState, apptest.Vars{"id": bt}).OK(); !bs.Null("node.waitingSince") {
			t.Fatalf("a human reply leaves the wait: %s", bs.Raw)
		}
		// An away message is not an answer: close the page and let c write.
		s.UpdatePage(owner.Token, page, apptest.Vars{"messagingEnabled": false, "awayMessage": "back soon"}).OK()
		s.SendIn(vc, c, "still there?").OK()
		cs := s.Do(owner.Token, staffThreadState, apptest.Vars{"id": c}).OK()
		if cs.Null("node.waitingSince") || cs.Int("node.messages.totalCount") != 3 {
			t.Fatalf("after an away message: %s", cs.Raw)
		}

		list := func(f apptest.Vars) []string {
			return ids(s.Do(owner.Token, sortedInbox, apptest.Vars{"h": page.Handle, "f": f}).OK())
		}
		if got := list(nil); !sameOrder(got, []string{c, bt, a}) {
			t.Fatalf("newest activity first: %v", got)
		}
		if got := list(apptest.Vars{"sort": "WAITING_LONGEST"}); !sameOrder(got, []string{a, c}) {
			t.Fatalf("longest waiting first, answered left out: %v (a=%s b=%s c=%s)", got, a, bt, c)
		}
		if got := list(apptest.Vars{"sort": "PRIORITY"}); !sameOrder(got, []string{c, a, bt}) {
			t.Fatalf("URGENT, LOW, NONE: %v", got)
		}
		setPriority(bt, "HIGH")
		if got := list(apptest.Vars{"sort": "PRIORITY"}); !sameOrder(got, []string{c, bt, a}) {
			t.Fatalf("URGENT, HIGH, LOW: %v", got)
		}
		if got := list(apptest.Vars{"priority": "HIGH"}); !sameOrder(got, []string{bt}) {
			t.Fatalf("filter HIGH: %v", got)
		}
		// Cursors walk a sorted inbox without gaps or repeats.
		first := s.Do(owner.Token, `query($h: String!) { page(handle: $h) { threads(first: 2, filter: {sort: PRIORITY}) {
			pageInfo { endCursor hasNextPage } edges { node { id } } } } }`, apptest.Vars{"h": page.Handle}).OK()
		next := s.Do(owner.Token, `query($h: String!, $after: Cursor) { page(handle: $h) { threads(first: 2, after: $after, filter: {sort: PRIORITY}) {
			edges { node { id } } } } }`, apptest.Vars{"h": page.Handle, "after": first.String("page.threads.pageInfo.endCursor")}).OK()
		if !first.Bool("page.threads.pageInfo.hasNextPage") || next.Len("page.threads.edges") != 1 || next.String("page.threads.edges.0.node.id") != a {
			t.Fatalf("second page: %s", next.Raw)
		}
		s.Do(owner.Token, updateThread, apptest.Vars{"i": apptest.Vars{"threadId": a, "priority": "SUPER"}}).WantCode("BAD_USER_INPUT")
	})
}
