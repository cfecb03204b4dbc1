package e2e

import (
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

const (
	setViewing    = `mutation($t: ID!, $on: Boolean!) { setViewing(input: {threadId: $t, viewing: $on}) }`
	threadViewers = `query($id: ID!) { node(id: $id) { ... on Thread { viewers { id } } } }`
	viewersInbox  = `subscription($p: ID!) { inboxEvent(pageId: $p) { kind thread { id viewers { id } } } }`
	sendExpecting = `mutation($i: SendMessageInput!) { sendMessage(input: $i) { message { id seq } } }`
)

func viewerIDs(r *apptest.Response) []string {
	var out []string
	for i := range r.Len("node.viewers") {
		out = append(out, r.String("node.viewers."+itoa(i)+".id"))
	}
	return out
}

// TestViewersExpire is rule 38's viewers: staff say they have a thread
// open, others see it live, and it expires 30 s after the last renewal
// without being stored.
func TestViewersExpire(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("viewers")
		mod := s.SignUp("mod")
		s.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
		ws := s.Connect(apptest.TransportWS, c.Owner.Token)
		ws.Subscribe("i", viewersInbox, apptest.Vars{"p": c.Page.ID})
		s.WaitSubscribers(1)

		s.Do(mod.Token, setViewing, apptest.Vars{"t": c.ThreadID, "on": true}).OK()
		if e := ws.Data("i", wait); e.String("inboxEvent.kind") != "VIEWERS_CHANGED" || e.String("inboxEvent.thread.viewers.0.id") != mod.ID {
			t.Fatalf("VIEWERS_CHANGED: %s", e.Raw)
		}
		if got := viewerIDs(s.Do(c.Owner.Token, threadViewers, apptest.Vars{"id": c.ThreadID}).OK()); !sameOrder(got, []string{mod.ID}) {
			t.Fatalf("owner sees %v", got)
		}
		if got := viewerIDs(s.Do(mod.Token, threadViewers, apptest.Vars{"id": c.ThreadID}).OK()); len(got) != 0 {
			t.Fatalf("the viewer is not shown themself: %v", got)
		}
		// Renewed within 30 s, it holds; 30 s after the last renewal it is gone.
		s.Clock.Advance(29 * time.Second)
		s.Do(mod.Token, setViewing, apptest.Vars{"t": c.ThreadID, "on": true}).OK()
		s.Clock.Advance(29 * time.Second)
		if s.Viewers.Expire() != 0 {
			t.Fatal("a renewed viewer expired")
		}
		if got := viewerIDs(s.Do(c.Owner.Token, threadViewers, apptest.Vars{"id": c.ThreadID}).OK()); len(got) != 1 {
			t.Fatalf("renewed viewer gone: %v", got)
		}
		s.Clock.Advance(time.Second)
		if got := viewerIDs(s.Do(c.Owner.Token, threadViewers, apptest.Vars{"id": c.ThreadID}).OK()); len(got) != 0 {
			t.Fatalf("expired viewer still shown: %v", got)
		}
		if s.Viewers.Expire() != 1 {
			t.Fatal("expiry not announced")
		}
		if e := ws.Data("i", wait); e.String("inboxEvent.kind") != "VIEWERS_CHANGED" || e.Len("inboxEvent.thread.viewers") != 0 {
			t.Fatalf("expiry event: %s", e.Raw)
		}
		// Closing the thread ends it at once.
		s.Do(mod.Token, setViewing, apptest.Vars{"t": c.ThreadID, "on": true}).OK()
		ws.Data("i", wait)
		s.Do(mod.Token, setViewing, apptest.Vars{"t": c.ThreadID, "on": false}).OK()
		if e := ws.Data("i", wait); e.Len("inboxEvent.thread.viewers") != 0 {
			t.Fatalf("closed: %s", e.Raw)
		}
		// Not staff: refused, and the field is null.
		s.Do(c.Visitor.Token, setViewing, apptest.Vars{"t": c.ThreadID, "on": true}).WantCode("FORBIDDEN")
		if v := s.Do(c.Visitor.Token, threadViewers, apptest.Vars{"id": c.ThreadID}).OK(); !v.Null("node.viewers") {
			t.Fatalf("the visitor sees viewers: %s", v.Raw)
		}
		token, _ := newToken(s, c.Owner, c.Page, "READ_THREADS", "SEND_MESSAGES")
		s.Do(token, setViewing, apptest.Vars{"t": c.ThreadID, "on": true}).WantCode("FORBIDDEN")
	})
}

// TestViewersReachOtherReplicas: a staff member viewing on one replica is
// listed on the other.
func TestViewersReachOtherReplicas(t *testing.T) {
	db := apptest.DatabaseURL(t, apptest.Postgres)
	a := apptest.StartOn(t, apptest.Postgres, db, t.TempDir())
	b := apptest.StartOn(t, apptest.Postgres, db, t.TempDir())
	c := a.StartConversation("viewreplicas")
	mod := a.SignUp("mod")
	a.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
	a.Do(mod.Token, setViewing, apptest.Vars{"t": c.ThreadID, "on": true}).OK()
	deadline := time.Now().Add(wait)
	for {
		if got := viewerIDs(b.Do(c.Owner.Token, threadViewers, apptest.Vars{"id": c.ThreadID}).OK()); sameOrder(got, []string{mod.ID}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("replica B never listed the viewer")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestStaleThreadStoresNothing is rule 38's collision guard: a send that
// says which seq it saw is refused when someone else wrote since, and
// nothing of it is stored.
func TestStaleThreadStoresNothing(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("stale")
		mod := s.SignUp("mod")
		s.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
		send := func(who apptest.User, body string, seen int) *apptest.Response {
			return s.Do(who.Token, sendExpecting, apptest.Vars{"i": apptest.Vars{"threadId": c.ThreadID, "body": body, "expectedLastSeq": seen}})
		}
		// Both staff saw seq 1; the moderator answers first.
		send(mod, "on it", 1).OK()
		send(c.Owner, "me too", 1).WantCode("STALE_THREAD")
		// Nothing was stored: no message, no notification, no event.
		if n := s.Thread(c.Owner.Token, c.ThreadID).OK().Int("node.messages.totalCount"); n != 2 {
			t.Fatalf("%d messages after a stale send", n)
		}
		if n := s.Do(c.Visitor.Token, mentions, nil).OK().Len("viewer.notifications.edges"); n != 1 {
			t.Fatalf("visitor has %d notifications", n)
		}
		// With attachments: no file is kept either.
		in := apptest.Vars{"i": apptest.Vars{"threadId": c.ThreadID, "body": "", "expectedLastSeq": 1,
			"attachments": []apptest.Vars{{"type": "IMAGE", "file": nil}}}}
		s.Upload(c.Owner.Token, sendExpecting, in, map[string]apptest.File{
			"variables.i.attachments.0.file": {Name: "x.png", Content: pngBytes},
		}).WantCode("STALE_THREAD")
		if n := uploadsOnDisk(t, s); n != 0 {
			t.Fatalf("%d files kept after a stale send", n)
		}
		// Up to date: accepted. Your own messages since do not count.
		send(c.Owner, "caught up", 2).OK()
		send(c.Owner, "and more", 2).OK()
		send(mod, "me", 3).WantCode("STALE_THREAD")
		// The visitor's own guard works the same way.
		if r := send(c.Visitor, "thanks", 4); r.Code() != "" {
			t.Fatalf("visitor up to date: %s", r.Raw)
		}
	})
}
