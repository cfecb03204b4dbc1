package e2e

import (
	"strconv"
	"testing"

	"pageinbox/internal/apptest"
)

// TestRolesDecideWhatStaffMayDo is rule 2: ADMIN everything, MODERATOR
// messages, comments and saved replies, ANALYST responsiveness only.
func TestRolesDecideWhatStaffMayDo(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("roles")
		mod, analyst := s.SignUp("mod"), s.SignUp("analyst")
		s.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
		s.SetRole(c.Owner, c.Page, analyst, "ANALYST").OK()

		staffView := `query($h: String!) { page(handle: $h) { viewerRole threads { totalCount } members { role user { id } } savedReplies { id } responsiveness { requests } } }`
		r := s.Do(mod.Token, staffView, apptest.Vars{"h": c.Page.Handle}).OK()
		if r.String("page.viewerRole") != "MODERATOR" || r.Int("page.threads.totalCount") != 1 || r.Len("page.members") != 3 || r.Null("page.savedReplies") {
			t.Fatalf("moderator view: %s", r.Raw)
		}
		r = s.Do(analyst.Token, staffView, apptest.Vars{"h": c.Page.Handle}).OK()
		if r.String("page.viewerRole") != "ANALYST" || !r.Null("page.threads") || !r.Null("page.members") || !r.Null("page.savedReplies") ||
			r.Int("page.responsiveness.requests") != 0 {
			t.Fatalf("analyst view: %s", r.Raw)
		}
		// The moderator answers; the analyst cannot even see the thread.
		s.SendIn(mod, c.ThreadID, "moderator here").OK()
		s.SendIn(analyst, c.ThreadID, "analyst here").WantCode("NOT_FOUND")

		// Admin-only mutations are FORBIDDEN for the others.
		for who, u := range map[string]apptest.User{"moderator": mod, "analyst": analyst} {
			if code := s.UpdatePage(u.Token, c.Page, apptest.Vars{"name": "Hijacked"}).Code(); code != "FORBIDDEN" {
				t.Errorf("%s updatePage: %s", who, code)
			}
			if code := s.SetRole(u, c.Page, u, "ADMIN").Code(); code != "FORBIDDEN" {
				t.Errorf("%s promoting themself: %s", who, code)
			}
			code := s.Do(u.Token, `mutation($p: ID!) { createAd(input: {pageId: $p, title: "x"}) { ad { id } } }`, apptest.Vars{"p": c.Page.ID}).Code()
			if code != "FORBIDDEN" {
				t.Errorf("%s createAd: %s", who, code)
			}
		}
		// Notifications of visitor messages go to ADMIN and MODERATOR only.
		s.SendToPage(c.Visitor, c.Page, "anyone?").OK()
		count := `{ viewer { notifications { totalCount } } }`
		if n := s.Do(mod.Token, count, nil).OK().Int("viewer.notifications.totalCount"); n != 1 {
			t.Errorf("moderator got %d notifications, want 1", n)
		}
		if n := s.Do(analyst.Token, count, nil).OK().Int("viewer.notifications.totalCount"); n != 0 {
			t.Errorf("analyst got %d notifications, want 0", n)
		}
		// Removing the moderator removes their access at once.
		s.SetRole(c.Owner, c.Page, mod, "").OK()
		if !s.Do(mod.Token, staffView, apptest.Vars{"h": c.Page.Handle}).OK().Null("page.threads") {
			t.Fatal("a removed moderator still sees the inbox")
		}
		s.SendIn(mod, c.ThreadID, "still here?").WantCode("NOT_FOUND")
	})
}

func TestTheLastAdminCannotBeRemoved(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, other := s.SignUp("owner"), s.SignUp("other")
		page := s.CreatePage(owner, "lastadmin")
		s.SetRole(owner, page, owner, "").WantCode("CONFLICT")
		s.SetRole(owner, page, owner, "MODERATOR").WantCode("CONFLICT")
		// With a second ADMIN the first may step down.
		s.SetRole(owner, page, other, "ADMIN").OK()
		s.SetRole(owner, page, owner, "MODERATOR").OK()
		s.SetRole(other, page, other, "").WantCode("CONFLICT")
		r := s.Do(other.Token, `query($h: String!) { page(handle: $h) { members { role user { id } } } }`, apptest.Vars{"h": page.Handle}).OK()
		admins := 0
		for i := range r.Len("page.members") {
			if r.String("page.members."+strconv.Itoa(i)+".role") == "ADMIN" {
				admins++
			}
		}
		if admins != 1 {
			t.Fatalf("want one ADMIN left, got %d: %s", admins, r.Raw)
		}
		s.SetRole(other, page, apptest.User{ID: apptest.UnusedID(t, other.ID)}, "MODERATOR").WantCode("NOT_FOUND")
	})
}

func TestRemovedStaffLosesTheirInboxSubscription(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, mod := s.SignUp("owner"), s.SignUp("mod")
		page := s.CreatePage(owner, "revokes")
		s.SetRole(owner, page, mod, "MODERATOR").OK()
		ws := s.Connect(apptest.TransportWS, mod.Token)
		ws.Subscribe("i", inboxEvents, apptest.Vars{"p": page.ID})
		s.WaitSubscribers(1)
		s.SetRole(owner, page, mod, "").OK()
		m := ws.Next(wait)
		if m.Type != "error" || m.Errors()[0].Code() != "FORBIDDEN" {
			t.Fatalf("want the stream to end with FORBIDDEN, got %s %s", m.Type, m.Payload)
		}
	})
}
