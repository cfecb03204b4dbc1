package e2e

import (
	"fmt"
	"testing"

	"pageinbox/internal/apptest"
)

const createSaved = `mutation($i: CreateSavedReplyInput!) { createSavedReply(input: $i) { savedReply { id shortcut title body } } }`

// TestSavedReplies is rule 14.
func TestSavedReplies(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("saved")
		mod, analyst := s.SignUp("mod"), s.SignUp("analyst")
		s.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
		s.SetRole(c.Owner, c.Page, analyst, "ANALYST").OK()
		in := func(shortcut, title, body string) apptest.Vars {
			return apptest.Vars{"i": apptest.Vars{"pageId": c.Page.ID, "shortcut": shortcut, "title": title, "body": body}}
		}
		id := s.Do(mod.Token, createSaved, in("thanks", "Thank you", "Thank you for writing to us!")).OK().String("createSavedReply.savedReply.id")
		hours := s.Do(c.Owner.Token, createSaved, in("hours", "Opening hours", "We open at 9.")).OK().String("createSavedReply.savedReply.id")
		s.Do(c.Owner.Token, createSaved, in("THANKS", "dup", "dup")).WantCode("CONFLICT")
		s.Do(analyst.Token, createSaved, in("x", "x", "x")).WantCode("FORBIDDEN")
		s.Do(c.Visitor.Token, createSaved, in("x", "x", "x")).WantCode("FORBIDDEN")

		list := `query($h: String!, $q: String) { page(handle: $h) { savedReplies(search: $q) { shortcut } } }`
		if r := s.Do(c.Owner.Token, list, apptest.Vars{"h": c.Page.Handle, "q": "OPEN"}).OK(); r.Len("page.savedReplies") != 1 || r.String("page.savedReplies.0.shortcut") != "hours" {
			t.Fatalf("search: %s", r.Raw)
		}
		if !s.Do(analyst.Token, list, apptest.Vars{"h": c.Page.Handle}).OK().Null("page.savedReplies") {
			t.Fatal("analysts do not see saved replies")
		}
		// Sending by id sends the body.
		sent := s.Do(mod.Token, `mutation($t: ID!, $s: ID!) { sendMessage(input: {threadId: $t, savedReplyId: $s}) { message { body senderType } } }`,
			apptest.Vars{"t": c.ThreadID, "s": id}).OK()
		if sent.String("sendMessage.message.body") != "Thank you for writing to us!" {
			t.Fatalf("saved reply send: %s", sent.Raw)
		}
		s.Do(c.Visitor.Token, `mutation($t: ID!, $s: ID!) { sendMessage(input: {threadId: $t, savedReplyId: $s}) { message { body } } }`,
			apptest.Vars{"t": c.ThreadID, "s": id}).WantCode("BAD_USER_INPUT")
		// Update and delete.
		upd := s.Do(mod.Token, `mutation($i: UpdateSavedReplyInput!) { updateSavedReply(input: $i) { savedReply { shortcut body updatedAt } } }`,
			apptest.Vars{"i": apptest.Vars{"id": id, "body": "Thanks a lot!"}}).OK()
		if upd.String("updateSavedReply.savedReply.body") != "Thanks a lot!" {
			t.Fatalf("update: %s", upd.Raw)
		}
		s.Do(c.Owner.Token, `mutation($i: UpdateSavedReplyInput!) { updateSavedReply(input: $i) { savedReply { id } } }`,
			apptest.Vars{"i": apptest.Vars{"id": id, "shortcut": "Hours"}}).WantCode("CONFLICT")
		del := s.Do(mod.Token, `mutation($id: ID!) { deleteSavedReply(input: {id: $id}) { deletedId } }`, apptest.Vars{"id": id}).OK()
		if del.String("deleteSavedReply.deletedId") != id {
			t.Fatalf("delete: %s", del.Raw)
		}
		s.Do(mod.Token, `mutation($id: ID!) { deleteSavedReply(input: {id: $id}) { deletedId } }`, apptest.Vars{"id": id}).WantCode("NOT_FOUND")
		// Another page's staff neither see nor change this page's replies.
		other := s.SignUp("otheradmin")
		s.CreatePage(other, "othersaved")
		s.Do(other.Token, `mutation($i: UpdateSavedReplyInput!) { updateSavedReply(input: $i) { savedReply { id } } }`,
			apptest.Vars{"i": apptest.Vars{"id": hours, "body": "mine now"}}).WantCode("NOT_FOUND")
		s.Do(other.Token, `mutation($id: ID!) { deleteSavedReply(input: {id: $id}) { deletedId } }`, apptest.Vars{"id": hours}).WantCode("NOT_FOUND")
	})
}

// TestSavedRepliesAreCappedAt100: the 101st is LIMIT_EXCEEDED.
func TestSavedRepliesAreCappedAt100(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "cap")
		for i := range 100 {
			s.Do(owner.Token, createSaved, apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "shortcut": fmt.Sprintf("r%d", i), "title": "t", "body": "b"}}).OK()
		}
		s.Do(owner.Token, createSaved, apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "shortcut": "one-more", "title": "t", "body": "b"}}).WantCode("LIMIT_EXCEEDED")
		if n := s.Do(owner.Token, `query($h: String!) { page(handle: $h) { savedReplies { id } } }`, apptest.Vars{"h": page.Handle}).OK().Len("page.savedReplies"); n != 100 {
			t.Fatalf("have %d saved replies", n)
		}
	})
}
