package e2e

import (
	"testing"

	"pageinbox/internal/apptest"
)

// TestUserBlocksPage is rule 13 from the user's side.
func TestUserBlocksPage(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("blocked")
		block := `mutation($p: ID!) { blockPage(input: {pageId: $p}) { page { viewerHasBlocked viewerCanMessage } } }`
		r := s.Do(c.Visitor.Token, block, apptest.Vars{"p": c.Page.ID}).OK()
		if !r.Bool("blockPage.page.viewerHasBlocked") || r.Bool("blockPage.page.viewerCanMessage") {
			t.Fatalf("after blocking: %s", r.Raw)
		}
		s.Do(c.Visitor.Token, block, apptest.Vars{"p": c.Page.ID}).OK() // idempotent
		if s.Do(c.Visitor.Token, `{ viewer { blockedPages { id } } }`, nil).OK().String("viewer.blockedPages.0.id") != c.Page.ID {
			t.Fatal("blockedPages lists the page")
		}
		// The page gets nothing through, and nothing is stored.
		s.SendIn(c.Owner, c.ThreadID, "hello?").WantCode("BLOCKED")
		if s.Thread(c.Owner.Token, c.ThreadID).OK().Bool("node.canReply") {
			t.Fatal("canReply must be false towards a user who blocked the page")
		}
		if n := s.Do(c.Visitor.Token, `{ viewer { notifications { totalCount } } }`, nil).OK().Int("viewer.notifications.totalCount"); n != 0 {
			t.Fatalf("a blocked page's attempts notify nobody: %d", n)
		}
		s.SendToPage(c.Visitor, c.Page, "wait").WantCode("BLOCKED")
		// Unblocking restores both directions.
		s.Do(c.Visitor.Token, `mutation($p: ID!) { unblockPage(input: {pageId: $p}) { page { viewerHasBlocked } } }`, apptest.Vars{"p": c.Page.ID}).OK()
		s.SendIn(c.Owner, c.ThreadID, "welcome back").OK()
		s.SendToPage(c.Visitor, c.Page, "hi again").OK()
		s.Do("", block, apptest.Vars{"p": c.Page.ID}).WantCode("UNAUTHENTICATED")
	})
}

// TestPageBlocksUser is rule 13 from the page's side.
func TestPageBlocksUser(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("pageblocks")
		mod, stranger := s.SignUp("mod"), s.SignUp("stranger")
		s.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
		block := `mutation($p: ID!, $u: ID!) { blockUser(input: {pageId: $p, userId: $u}) { page { blockedUsers { id } } } }`
		s.Do(stranger.Token, block, apptest.Vars{"p": c.Page.ID, "u": c.Visitor.ID}).WantCode("FORBIDDEN")
		s.Do(mod.Token, block, apptest.Vars{"p": c.Page.ID, "u": mod.ID}).WantCode("BAD_USER_INPUT")
		r := s.Do(mod.Token, block, apptest.Vars{"p": c.Page.ID, "u": c.Visitor.ID}).OK()
		if r.String("blockUser.page.blockedUsers.0.id") != c.Visitor.ID {
			t.Fatalf("blockedUsers: %s", r.Raw)
		}
		before := s.Do(c.Owner.Token, `{ viewer { notifications { totalCount } } }`, nil).OK().Int("viewer.notifications.totalCount")
		s.SendToPage(c.Visitor, c.Page, "let me in").WantCode("BLOCKED")
		s.SendIn(c.Visitor, c.ThreadID, "let me in").WantCode("BLOCKED")
		if s.Do(c.Visitor.Token, `query($h: String!) { page(handle: $h) { viewerCanMessage blockedUsers { id } } }`, apptest.Vars{"h": c.Page.Handle}).OK().Bool("page.viewerCanMessage") {
			t.Fatal("viewerCanMessage must be false for a blocked user")
		}
		if after := s.Do(c.Owner.Token, `{ viewer { notifications { totalCount } } }`, nil).OK().Int("viewer.notifications.totalCount"); after != before {
			t.Fatal("refused messages notify nobody")
		}
		s.Do(c.Owner.Token, `mutation($p: ID!, $u: ID!) { unblockUser(input: {pageId: $p, userId: $u}) { page { blockedUsers { id } } } }`,
			apptest.Vars{"p": c.Page.ID, "u": c.Visitor.ID}).OK()
		s.SendToPage(c.Visitor, c.Page, "thanks").OK()
	})
}
