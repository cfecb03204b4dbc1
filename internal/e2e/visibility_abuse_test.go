package e2e

import (
	"testing"

	"pageinbox/internal/apptest"
)

const nodeID = `query($id: ID!) { node(id: $id) { id __typename } }`

// TestAnalystSeesNoMoreByIDThanThePageShows: page.members and page.ads
// are null for an ANALYST (rule 2: responsiveness only); the same rows
// fetched by node id must be null too. The analyst's own membership stays
// theirs to read.
func TestAnalystSeesNoMoreByIDThanThePageShows(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, analyst, mod := s.SignUp("owner"), s.SignUp("analyst"), s.SignUp("mod")
		page := s.CreatePage(owner, "analysed")
		s.SetRole(owner, page, analyst, "ANALYST").OK()
		s.SetRole(owner, page, mod, "MODERATOR").OK()
		ad := s.Do(owner.Token, `mutation($p: ID!) { createAd(input: {pageId: $p, title: "Sale"}) { ad { id } } }`, apptest.Vars{"p": page.ID}).OK().String("createAd.ad.id")
		members := s.Do(owner.Token, `query($id: ID!) { node(id: $id) { ... on Page { members { id user { id } } } } }`, apptest.Vars{"id": page.ID}).OK()
		var ownerMembership, analystMembership string
		for i := range members.Len("node.members") {
			switch members.String("node.members." + itoa(i) + ".user.id") {
			case owner.ID:
				ownerMembership = members.String("node.members." + itoa(i) + ".id")
			case analyst.ID:
				analystMembership = members.String("node.members." + itoa(i) + ".id")
			}
		}
		if ownerMembership == "" || analystMembership == "" {
			t.Fatalf("members: %s", members.Raw)
		}
		asAnalyst := s.Do(analyst.Token, `query($id: ID!) { node(id: $id) { ... on Page { members { id } ads { id } } } }`, apptest.Vars{"id": page.ID}).OK()
		if !asAnalyst.Null("node.members") || !asAnalyst.Null("node.ads") {
			t.Fatalf("page shows the analyst members or ads: %s", asAnalyst.Raw)
		}
		for what, id := range map[string]string{"another's membership": ownerMembership, "an ad": ad} {
			if r := s.Do(analyst.Token, nodeID, apptest.Vars{"id": id}); !r.Null("node") {
				t.Errorf("analyst reads %s by id: %s", what, r.Raw)
			}
			if r := s.Do(mod.Token, nodeID, apptest.Vars{"id": id}); r.Null("node") {
				t.Errorf("moderator cannot read %s by id: %s", what, r.Raw)
			}
		}
		if r := s.Do(analyst.Token, nodeID, apptest.Vars{"id": analystMembership}).OK(); r.Null("node") {
			t.Errorf("analyst cannot read their own membership: %s", r.Raw)
		}
	})
}

// TestReadOnlyTokenCannotMoveTheReadMark: READ_THREADS reads; moving the
// page's read mark changes what all staff see, which needs SEND_MESSAGES.
func TestReadOnlyTokenCannotMoveTheReadMark(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("marks")
		const mark = `mutation($t: ID!) { markThreadRead(input: {threadId: $t}) { thread { unreadCount } } }`
		reader, _ := newToken(s, c.Owner, c.Page, "READ_THREADS")
		s.Do(reader, mark, apptest.Vars{"t": c.ThreadID}).WantCode("FORBIDDEN")
		if n := s.Thread(c.Owner.Token, c.ThreadID).OK().Int("node.unreadCount"); n != 1 {
			t.Fatalf("unread %d after a refused mark, want 1", n)
		}
		agent, _ := newToken(s, c.Owner, c.Page, "READ_THREADS", "SEND_MESSAGES")
		if n := s.Do(agent, mark, apptest.Vars{"t": c.ThreadID}).OK().Int("markThreadRead.thread.unreadCount"); n != 0 {
			t.Fatalf("unread %d after the agent's mark", n)
		}
	})
}

// TestAnonymousCannotWalkUsersByID is rule 28: node(id) of a user answers
// like an unknown id to anonymous callers; signed-in callers and public
// paths (comment authors) still show users.
func TestAnonymousCannotWalkUsersByID(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, fan := s.SignUp("owner"), s.SignUp("fan")
		page := s.CreatePage(owner, "walked")
		post := s.CreatePost(owner, page, "news", "").OK().String("createPost.post.id")
		s.Comment(fan, post, "first")
		anon := s.Do("", nodeID, apptest.Vars{"id": fan.ID})
		unknown := s.Do("", nodeID, apptest.Vars{"id": apptest.UnusedID(t, fan.ID)})
		if !anon.Null("node") || anon.Code() != unknown.Code() {
			t.Fatalf("anonymous node(user): %s (unknown id: %s)", anon.Raw, unknown.Raw)
		}
		if r := s.Do("", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, apptest.Vars{"ids": []string{fan.ID, owner.ID}}); !r.Null("nodes.0") || !r.Null("nodes.1") {
			t.Fatalf("anonymous nodes(users): %s", r.Raw)
		}
		if r := s.Do(owner.Token, nodeID, apptest.Vars{"id": fan.ID}).OK(); r.String("node.id") != fan.ID {
			t.Fatalf("signed in: %s", r.Raw)
		}
		r := s.Do("", `query($id: ID!) { node(id: $id) { ... on Post { comments(first: 5) { edges { node { author { id } } } } } } }`, apptest.Vars{"id": post}).OK()
		if r.String("node.comments.edges.0.node.author.id") != fan.ID {
			t.Fatalf("comment author hidden from anonymous: %s", r.Raw)
		}
	})
}
