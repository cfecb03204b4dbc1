package e2e

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

const (
	editMessage   = `mutation($m: ID!, $b: String!) { editMessage(input: {messageId: $m, body: $b}) { message { id body editedAt editCount removedAt } } }`
	unsendMessage = `mutation($m: ID!) { unsendMessage(input: {id: $m}) { message { id body editedAt removedAt attachments { url } } } }`
	revisions     = `query($id: ID!) { node(id: $id) { ... on Message { body revisions { body editedAt } } } }`
	replyQuery    = `query($id: ID!) { node(id: $id) { ... on Message { body replyTo { id body removedAt } } } }`
	sendReply     = `mutation($i: SendMessageInput!) { sendMessage(input: $i) { message { id seq replyTo { id body } } } }`
)

// TestEditsAreLimitedAndAudited is rule 37's edits: the sender only,
// within 15 minutes, at most 5 times; ADMINs keep a PAGE message's
// revisions, nobody keeps a visitor's.
func TestEditsAreLimitedAndAudited(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("edits")
		mod := s.SignUp("mod")
		s.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
		visitorWS := s.Connect(apptest.TransportWS, c.Visitor.Token)
		visitorWS.Subscribe("u", messageUpdatedSub, apptest.Vars{"t": c.ThreadID})
		s.WaitSubscribers(1)

		vm := s.SendIn(c.Visitor, c.ThreadID, "I ordred a lamp").OK().String("sendMessage.message.id")
		s.Do(c.Owner.Token, editMessage, apptest.Vars{"m": vm, "b": "not mine"}).WantCode("FORBIDDEN")
		for i := 1; i <= 5; i++ {
			r := s.Do(c.Visitor.Token, editMessage, apptest.Vars{"m": vm, "b": "I ordered a lamp " + strings.Repeat("!", i)}).OK()
			if r.Int("editMessage.message.editCount") != i || r.Null("editMessage.message.editedAt") {
				t.Fatalf("edit %d: %s", i, r.Raw)
			}
			if e := visitorWS.Data("u", wait); e.Int("messageUpdated.editCount") != i {
				t.Fatalf("live edit %d: %s", i, e.Raw)
			}
		}
		s.Do(c.Visitor.Token, editMessage, apptest.Vars{"m": vm, "b": "sixth"}).WantCode("LIMIT_EXCEEDED")
		if r := s.Do(c.Owner.Token, revisions, apptest.Vars{"id": vm}).OK(); r.String("node.body") != "I ordered a lamp !!!!!" || !r.Null("node.revisions") {
			t.Fatalf("a visitor message keeps no revisions: %s", r.Raw)
		}
		if n := countRows(t, s, "message_revisions"); n != 0 {
			t.Fatalf("%d revisions stored for a visitor's edits", n)
		}

		// A PAGE message: the moderator who sent it edits; the ADMIN reads
		// the revisions, the moderator and the visitor do not.
		pm := s.SendIn(mod, c.ThreadID, "We ship tomorow").OK().String("sendMessage.message.id")
		s.Do(c.Owner.Token, editMessage, apptest.Vars{"m": pm, "b": "owner edits"}).WantCode("FORBIDDEN")
		s.Clock.Advance(time.Minute)
		s.Do(mod.Token, editMessage, apptest.Vars{"m": pm, "b": "We ship tomorrow"}).OK()
		s.Clock.Advance(time.Minute)
		s.Do(mod.Token, editMessage, apptest.Vars{"m": pm, "b": "We ship on Monday"}).OK()
		r := s.Do(c.Owner.Token, revisions, apptest.Vars{"id": pm}).OK()
		if r.Len("node.revisions") != 2 || r.String("node.revisions.0.body") != "We ship tomorow" ||
			r.String("node.revisions.1.body") != "We ship tomorrow" {
			t.Fatalf("admin reads revisions oldest first: %s", r.Raw)
		}
		for _, who := range []apptest.User{mod, c.Visitor} {
			if r := s.Do(who.Token, revisions, apptest.Vars{"id": pm}).OK(); !r.Null("node.revisions") {
				t.Fatalf("%s reads revisions: %s", who.Name, r.Raw)
			}
		}
		// After 15 minutes: refused.
		s.Clock.Advance(14 * time.Minute)
		s.Do(mod.Token, editMessage, apptest.Vars{"m": pm, "b": "late"}).WantCode("FORBIDDEN")
		late := s.SendIn(c.Visitor, c.ThreadID, "one more").OK().String("sendMessage.message.id")
		s.Clock.Advance(15*time.Minute + time.Second)
		s.Do(c.Visitor.Token, editMessage, apptest.Vars{"m": late, "b": "too late"}).WantCode("FORBIDDEN")
		stranger := s.SignUp("stranger")
		s.Do(stranger.Token, editMessage, apptest.Vars{"m": late, "b": "x"}).WantCode("NOT_FOUND")
	})
}

// TestUnsendRemovesEverywhere is rule 37's unsend: within 24 hours, body
// and attachments gone for everyone, files deleted, the visitor's text
// kept nowhere; the marker stays and quotes read as removed.
func TestUnsendRemovesEverywhere(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "unsend")
		rec := apptest.NewReceiver(t, 500) // keep deliveries pending, with their payloads
		register(t, s, owner, page, rec.URL, "MESSAGE_CREATED")
		in := fileInput(page, "IMAGE")
		in["i"].(apptest.Vars)["body"] = "my card number is quokka4242"
		sent := s.Upload(visitor.Token, sendFiles, in, map[string]apptest.File{
			"variables.i.attachments.0.file": {Name: "card.png", Content: pngBytes},
		}).OK()
		mid, threadID := sent.String("sendMessageToPage.message.id"), sent.String("sendMessageToPage.thread.id")
		if uploadsOnDisk(t, s) != 1 {
			t.Fatalf("the upload is not on disk")
		}
		// The owner quotes it; the visitor and owner watch.
		q := s.Do(owner.Token, sendReply, apptest.Vars{"i": apptest.Vars{"threadId": threadID, "body": "got it", "replyToId": mid}}).OK()
		if q.String("sendMessage.message.replyTo.body") != "my card number is quokka4242" {
			t.Fatalf("quote: %s", q.Raw)
		}
		ownerWS := s.Connect(apptest.TransportWS, owner.Token)
		ownerWS.Subscribe("u", messageUpdatedSub, apptest.Vars{"t": threadID})
		s.WaitSubscribers(1)
		s.Do(owner.Token, unsendMessage, apptest.Vars{"m": mid}).WantCode("FORBIDDEN")

		r := s.Do(visitor.Token, unsendMessage, apptest.Vars{"m": mid}).OK()
		if r.String("unsendMessage.message.body") != "" || r.Len("unsendMessage.message.attachments") != 0 || r.Null("unsendMessage.message.removedAt") {
			t.Fatalf("unsent: %s", r.Raw)
		}
		if e := ownerWS.Data("u", wait); e.String("messageUpdated.body") != "" || e.Null("messageUpdated.removedAt") {
			t.Fatalf("owner's live update: %s", e.Raw)
		}
		if n := uploadsOnDisk(t, s); n != 0 {
			t.Fatalf("%d files left in the blob store", n)
		}
		quote := s.Do(visitor.Token, replyQuery, apptest.Vars{"id": q.String("sendMessage.message.id")}).OK()
		if quote.String("node.replyTo.body") != "" || quote.Null("node.replyTo.removedAt") {
			t.Fatalf("the quote reads as removed: %s", quote.Raw)
		}
		// The text is nowhere: not in search, not in any stored row.
		if f := s.Do(owner.Token, inboxSearch, apptest.Vars{"h": page.Handle, "q": "quokka4242"}).OK(); f.Len("page.threads.edges") != 0 {
			t.Fatalf("search still finds the unsent text: %s", f.Raw)
		}
		if where := findText(t, s, "quokka4242"); where != "" {
			t.Fatalf("the unsent text is still stored in %s", where)
		}
		// Twice is fine; after 24 hours it is refused.
		s.Do(visitor.Token, unsendMessage, apptest.Vars{"m": mid}).OK()
		old := s.SendIn(visitor, threadID, "keep").OK().String("sendMessage.message.id")
		s.Clock.Advance(24*time.Hour + time.Second)
		s.Do(visitor.Token, unsendMessage, apptest.Vars{"m": old}).WantCode("FORBIDDEN")

		// Quotes stay inside their thread.
		other := s.SendToPage(s.SignUp("other"), page, "elsewhere").OK().String("sendMessageToPage.message.id")
		s.Do(owner.Token, sendReply, apptest.Vars{"i": apptest.Vars{"threadId": threadID, "body": "x", "replyToId": other}}).WantCode("BAD_USER_INPUT")
		s.Do(visitor.Token, `mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) { message { id } } }`,
			apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "body": "x", "replyToId": other}}).WantCode("BAD_USER_INPUT")
	})
}

// countRows counts a table's rows.
func countRows(t *testing.T, s *apptest.Server, table string) int {
	t.Helper()
	var n int
	if err := s.Store.DB.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// findText names the first stored text column holding needle.
func findText(t *testing.T, s *apptest.Server, needle string) string {
	t.Helper()
	cols := map[string][]string{
		"messages":           {"body", "attachments"},
		"message_revisions":  {"body"},
		"threads":            {"snippet"},
		"webhook_deliveries": {"payload"},
		"notifications":      {"kind"},
	}
	for table, cs := range cols {
		for _, col := range cs {
			var n int
			err := s.Store.DB.QueryRowContext(context.Background(),
				"SELECT count(*) FROM "+table+" WHERE CAST("+col+" AS TEXT) LIKE '%"+needle+"%'").Scan(&n)
			if err != nil && err != sql.ErrNoRows {
				t.Fatal(err)
			}
			if n > 0 {
				return table + "." + col
			}
		}
	}
	return ""
}
