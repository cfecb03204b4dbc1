package e2e

import (
	"testing"

	"pageinbox/internal/apptest"
)

const updateThread = `mutation($i: UpdateThreadInput!) { updateThread(input: $i) { thread { id status assignee { id } labels } } }`

// TestInboxManagement is rule 15: status, one assignee among staff, labels;
// a new visitor message reopens a DONE thread.
func TestInboxManagement(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("manage")
		mod, analyst := s.SignUp("mod"), s.SignUp("analyst")
		s.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
		s.SetRole(c.Owner, c.Page, analyst, "ANALYST").OK()
		upd := func(u apptest.User, in apptest.Vars) *apptest.Response {
			in["threadId"] = c.ThreadID
			return s.Do(u.Token, updateThread, apptest.Vars{"i": in})
		}
		ws := s.Connect(apptest.TransportWS, c.Owner.Token)
		ws.Subscribe("i", inboxEvents, apptest.Vars{"p": c.Page.ID})
		s.WaitSubscribers(1)

		r := upd(c.Owner, apptest.Vars{"status": "DONE", "assigneeId": mod.ID, "addLabels": []string{"vip", "billing", "vip"}}).OK()
		if r.String("updateThread.thread.status") != "DONE" || r.String("updateThread.thread.assignee.id") != mod.ID || r.Len("updateThread.thread.labels") != 2 {
			t.Fatalf("update: %s", r.Raw)
		}
		if ev := ws.Data("i", wait); ev.String("inboxEvent.kind") != "THREAD_UPDATED" {
			t.Fatalf("inbox event: %s", ev.Raw)
		}
		// The assignee is told.
		n := s.Do(mod.Token, `{ viewer { notifications { edges { node { kind thread { id } } } } } }`, nil).OK()
		if n.String("viewer.notifications.edges.0.node.kind") != "ASSIGNED" {
			t.Fatalf("ASSIGNED notification: %s", n.Raw)
		}
		// Assignees are ADMIN or MODERATOR staff; others may not manage.
		upd(c.Owner, apptest.Vars{"assigneeId": analyst.ID}).WantCode("BAD_USER_INPUT")
		upd(c.Owner, apptest.Vars{"assigneeId": c.Visitor.ID}).WantCode("BAD_USER_INPUT")
		upd(analyst, apptest.Vars{"status": "SPAM"}).WantCode("NOT_FOUND") // an analyst cannot see threads
		upd(c.Visitor, apptest.Vars{"status": "SPAM"}).WantCode("FORBIDDEN")
		// Staff-only fields are null for the visitor.
		v := s.Thread(c.Visitor.Token, c.ThreadID).OK()
		if !v.Null("node.status") || !v.Null("node.assignee") || !v.Null("node.labels") {
			t.Fatalf("visitor sees staff fields: %s", v.Raw)
		}
		// A new visitor message reopens the DONE thread.
		s.SendIn(c.Visitor, c.ThreadID, "one more thing").OK()
		if got := s.Thread(c.Owner.Token, c.ThreadID).OK().String("node.status"); got != "OPEN" {
			t.Fatalf("status after a visitor message: %s", got)
		}
		r = upd(mod, apptest.Vars{"clearAssignee": true, "removeLabels": []string{"vip"}}).OK()
		if !r.Null("updateThread.thread.assignee") || r.Len("updateThread.thread.labels") != 1 || r.String("updateThread.thread.labels.0") != "billing" {
			t.Fatalf("clear and remove: %s", r.Raw)
		}
	})
}

// TestInboxFilters is rule 15's filters, including full-text search.
func TestInboxFilters(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "filters")
		ann, bob, cid := s.SignUp("Annabel"), s.SignUp("Bob"), s.SignUp("Cid")
		tAnn := s.SendToPage(ann, page, "Do you ship to Oslo?").OK().String("sendMessageToPage.thread.id")
		tBob := s.SendToPage(bob, page, "My invoice is wrong").OK().String("sendMessageToPage.thread.id")
		tCid := s.SendToPage(cid, page, "Hello there").OK().String("sendMessageToPage.thread.id")
		s.SendIn(owner, tCid, "Hi Cid, shipping is free").OK() // read by the page now
		s.Do(owner.Token, updateThread, apptest.Vars{"i": apptest.Vars{"threadId": tBob, "status": "DONE", "assigneeId": owner.ID, "addLabels": []string{"billing"}}}).OK()

		q := `query($h: String!, $f: ThreadFilter) { page(handle: $h) { threads(filter: $f) { totalCount edges { node { id } } } } }`
		ids := func(f apptest.Vars) []string {
			r := s.Do(owner.Token, q, apptest.Vars{"h": page.Handle, "f": f}).OK()
			var out []string
			for i := range r.Len("page.threads.edges") {
				out = append(out, r.String("page.threads.edges."+itoa(i)+".node.id"))
			}
			return out
		}
		check := func(name string, f apptest.Vars, want ...string) {
			t.Helper()
			got := ids(f)
			if len(got) != len(want) {
				t.Errorf("%s: got %v, want %v", name, got, want)
				return
			}
			for _, w := range want {
				found := false
				for _, g := range got {
					found = found || g == w
				}
				if !found {
					t.Errorf("%s: got %v, want %v", name, got, want)
				}
			}
		}
		check("status DONE", apptest.Vars{"status": "DONE"}, tBob)
		check("status OPEN", apptest.Vars{"status": "OPEN"}, tAnn, tCid)
		check("unread", apptest.Vars{"unread": true}, tAnn, tBob)
		check("read", apptest.Vars{"unread": false}, tCid)
		check("assignee", apptest.Vars{"assigneeId": owner.ID}, tBob)
		check("label", apptest.Vars{"label": "billing"}, tBob)
		check("label none", apptest.Vars{"label": "nope"})
		check("search a word", apptest.Vars{"search": "invoice"}, tBob)
		check("search a prefix, any case", apptest.Vars{"search": "SHIP"}, tAnn, tCid)
		check("search all words", apptest.Vars{"search": "ship oslo"}, tAnn)
		check("search the visitor's name", apptest.Vars{"search": "annab"}, tAnn)
		check("query syntax is just words", apptest.Vars{"search": `ship:* & ("oslo")*`}, tAnn)
		check("combined", apptest.Vars{"search": "ship", "unread": true}, tAnn)
		s.Do(owner.Token, q, apptest.Vars{"h": page.Handle, "f": apptest.Vars{"search": " ! "}}).WantCode("BAD_USER_INPUT")
	})
}
