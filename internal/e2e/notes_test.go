package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"pageinbox/internal/apptest"
	"pageinbox/internal/rule"
)

const (
	addNote = `mutation($t: ID!, $b: String!) { addNote(input: {threadId: $t, body: $b}) {
		note { id body author { id } mentions { id } thread { id } } } }`
	threadNotes = `query($id: ID!) { node(id: $id) { ... on Thread { id notes { totalCount edges { node { id body } } } } } }`
	noteNode    = `query($id: ID!) { node(id: $id) { id ... on Note { body } } }`
	noteInbox   = `subscription($p: ID!) { inboxEvent(pageId: $p) { kind thread { id } note { id body } } }`
	mentions    = `query { viewer { notifications { edges { node { kind thread { id } message { id } note { id body } } } } } }`
	inboxSearch = `query($h: String!, $q: String!) { page(handle: $h) { threads(filter: {search: $q}) { edges { node { id } } } } }`
)

// TestNotesAreForStaffOnly is rule 35: staff write notes and mention each
// other; the visitor and group members never see a note by any path.
func TestNotesAreForStaffOnly(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		c := s.StartConversation("notes")
		mod, analyst, member := s.SignUp("mod"), s.SignUp("analyst"), s.SignUp("member")
		s.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
		s.SetRole(c.Owner, c.Page, analyst, "ANALYST").OK()
		rec := apptest.NewReceiver(t)
		register(t, s, c.Owner, c.Page, rec.URL, "MESSAGE_CREATED", "NOTE_ADDED")

		// Everyone who could see anything of the thread listens.
		visitorWS := s.Connect(apptest.TransportWS, c.Visitor.Token)
		visitorWS.Subscribe("m", messageAdded, apptest.Vars{"t": c.ThreadID})
		visitorWS.Subscribe("n", notificationAdded, nil)
		visitorWS.Subscribe("u", messageUpdatedSub, apptest.Vars{"t": c.ThreadID})
		ownerWS := s.Connect(apptest.TransportWS, c.Owner.Token)
		ownerWS.Subscribe("n", `subscription { notificationAdded { kind note { body } message { id } } }`, nil)
		ownerWS.Subscribe("i", noteInbox, apptest.Vars{"p": c.Page.ID})
		s.WaitSubscribers(5)

		body := "@" + c.Owner.Handle + " refund approved, and @" + c.Visitor.Handle + " is not staff. zebracode"
		r := s.Do(mod.Token, addNote, apptest.Vars{"t": c.ThreadID, "b": body}).OK()
		noteID := r.String("addNote.note.id")
		if r.Len("addNote.note.mentions") != 1 || r.String("addNote.note.mentions.0.id") != c.Owner.ID ||
			r.String("addNote.note.author.id") != mod.ID {
			t.Fatalf("mentions resolve to staff only: %s", r.Raw)
		}
		if e := ownerWS.Data("n", wait); e.String("notificationAdded.kind") != "MENTIONED" ||
			e.String("notificationAdded.note.body") != body || !e.Null("notificationAdded.message") {
			t.Fatalf("owner's live mention: %s", e.Raw)
		}
		if e := ownerWS.Data("i", wait); e.String("inboxEvent.kind") != "NOTE_ADDED" || e.String("inboxEvent.note.id") != noteID {
			t.Fatalf("inbox NOTE_ADDED: %s", e.Raw)
		}
		if n := s.Do(c.Owner.Token, mentions, nil).OK(); n.String("viewer.notifications.edges.0.node.kind") != "MENTIONED" ||
			n.String("viewer.notifications.edges.0.node.note.id") != noteID {
			t.Fatalf("stored mention: %s", n.Raw)
		}
		// Staff read notes; the owner's search finds the thread by a word
		// only the note has (the decision: staff search includes notes).
		if n := s.Do(c.Owner.Token, threadNotes, apptest.Vars{"id": c.ThreadID}).OK(); n.Int("node.notes.totalCount") != 1 {
			t.Fatalf("staff reads notes: %s", n.Raw)
		}
		if f := s.Do(c.Owner.Token, inboxSearch, apptest.Vars{"h": c.Page.Handle, "q": "zebracode"}).OK(); f.Len("page.threads.edges") != 1 {
			t.Fatalf("staff search by a note's word: %s", f.Raw)
		}

		// The visitor: no stream carried it, no query shows it.
		for _, id := range []string{"m", "n", "u"} {
			if m, ok := visitorWS.TryNext(300 * time.Millisecond); ok {
				t.Fatalf("visitor stream %s received something after a note: %s", id, m.Payload)
			}
		}
		if n := s.Do(c.Visitor.Token, threadNotes, apptest.Vars{"id": c.ThreadID}).OK(); !n.Null("node.notes") {
			t.Fatalf("visitor reads notes: %s", n.Raw)
		}
		// Rule 28: a hidden node is null without an error, like a missing one.
		if n := s.Do(c.Visitor.Token, noteNode, apptest.Vars{"id": noteID}); !n.Null("node") || len(n.Errors) != 0 {
			t.Fatalf("visitor reads the note by id: %s", n.Raw)
		}
		if n := s.Do(c.Visitor.Token, mentions, nil).OK(); n.Len("viewer.notifications.edges") != 0 {
			t.Fatalf("visitor notified: %s", n.Raw)
		}
		if f := s.Do(c.Visitor.Token, inboxSearch, apptest.Vars{"h": c.Page.Handle, "q": "zebracode"}).OK(); !f.Null("page.threads") {
			t.Fatalf("visitor searches the inbox: %s", f.Raw)
		}
		if m := s.Thread(c.Visitor.Token, c.ThreadID).OK(); strings.Contains(string(m.Raw), "zebracode") {
			t.Fatalf("the note leaked into the thread: %s", m.Raw)
		}
		// An ANALYST is staff but not inbox staff: no notes either way.
		s.Do(analyst.Token, addNote, apptest.Vars{"t": c.ThreadID, "b": "x"}).WantCode("NOT_FOUND")
		if n := s.Do(analyst.Token, noteNode, apptest.Vars{"id": noteID}); !n.Null("node") {
			t.Fatalf("analyst reads the note: %s", n.Raw)
		}
		s.Do(c.Visitor.Token, addNote, apptest.Vars{"t": c.ThreadID, "b": "x"}).WantCode("FORBIDDEN")
		s.Do(mod.Token, addNote, apptest.Vars{"t": c.ThreadID, "b": "  "}).WantCode("BAD_USER_INPUT")

		// Group chats: members never see the staff's notes.
		post := s.CreatePost(c.Owner, c.Page, "chat", "GROUP_CHAT").OK()
		group := post.String("createPost.post.groupChat.id")
		s.Do(member.Token, joinGroup, apptest.Vars{"p": post.String("createPost.post.id")}).OK()
		memberWS := s.Connect(apptest.TransportWS, member.Token)
		memberWS.Subscribe("m", messageAdded, apptest.Vars{"t": group})
		memberWS.Subscribe("n", notificationAdded, nil)
		s.WaitSubscribers(7)
		gn := s.Do(c.Owner.Token, addNote, apptest.Vars{"t": group, "b": "@" + member.Handle + " watch this member"}).OK()
		if gn.Len("addNote.note.mentions") != 0 {
			t.Fatalf("a member was mentioned: %s", gn.Raw)
		}
		if m, ok := memberWS.TryNext(300 * time.Millisecond); ok {
			t.Fatalf("member stream received something after a note: %s", m.Payload)
		}
		if n := s.Do(member.Token, threadNotes, apptest.Vars{"id": group}).OK(); !n.Null("node.notes") {
			t.Fatalf("member reads notes: %s", n.Raw)
		}
		if n := s.Do(member.Token, noteNode, apptest.Vars{"id": gn.String("addNote.note.id")}); !n.Null("node") {
			t.Fatalf("member reads the note by id: %s", n.Raw)
		}

		// Tokens: MANAGE_PAGE writes (no author), READ_THREADS reads.
		manage, _ := newToken(s, c.Owner, c.Page, "MANAGE_PAGE")
		read, _ := newToken(s, c.Owner, c.Page, "READ_THREADS")
		// (A MANAGE_PAGE token does not read threads, so it asks for no thread.)
		tokenNote := `mutation($t: ID!, $b: String!) { addNote(input: {threadId: $t, body: $b}) { note { id author { id } } } }`
		if tn := s.Do(manage, tokenNote, apptest.Vars{"t": c.ThreadID, "b": "from the CRM"}).OK(); !tn.Null("addNote.note.author") {
			t.Fatalf("token note: %s", tn.Raw)
		}
		if n := s.Do(read, threadNotes, apptest.Vars{"id": c.ThreadID}).OK(); n.Int("node.notes.totalCount") != 2 {
			t.Fatalf("READ_THREADS token reads notes: %s", n.Raw)
		}

		// Webhooks: NOTE_ADDED to the admin's webhook; no visitor-side
		// event (MESSAGE_CREATED) carries a note's text.
		ds, err := s.Client.WebhookDelivery.Query().All(rule.For(context.Background(), rule.WebhookDelivery))
		if err != nil {
			t.Fatal(err)
		}
		notes := 0
		for _, d := range ds {
			switch d.Event {
			case "NOTE_ADDED":
				notes++
			default:
				if strings.Contains(d.Payload, "zebracode") || strings.Contains(d.Payload, "watch this member") {
					t.Fatalf("%s delivery carries a note: %s", d.Event, d.Payload)
				}
			}
		}
		if notes != 3 {
			t.Fatalf("want 3 NOTE_ADDED deliveries, got %d", notes)
		}
	})
}
