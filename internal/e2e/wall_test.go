package e2e

import (
	"testing"

	"pageinbox/internal/apptest"
)

const wallQuery = `query($h: String!) { page(handle: $h) { posts { totalCount edges { node {
	id kind body commentCount author { id }
	comments { totalCount edges { node { id body hidden author { id } repliedPrivately privateReplyAt viewerCanReplyPrivately } } }
} } } } }`

// TestWallIsPublicAndModerated is rule 17.
func TestWallIsPublicAndModerated(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, mod, analyst, fan, troll := s.SignUp("owner"), s.SignUp("mod"), s.SignUp("analyst"), s.SignUp("fan"), s.SignUp("troll")
		page := s.CreatePage(owner, "wall")
		s.SetRole(owner, page, mod, "MODERATOR").OK()
		s.SetRole(owner, page, analyst, "ANALYST").OK()

		first := s.CreatePost(owner, page, "Grand opening!", "").OK().String("createPost.post.id")
		s.Clock.Advance(1e9)
		second := s.CreatePost(mod, page, "New menu", "").OK().String("createPost.post.id")
		s.CreatePost(analyst, page, "nope", "").WantCode("FORBIDDEN")
		s.CreatePost(fan, page, "nope", "").WantCode("FORBIDDEN")
		s.CreatePost(apptest.User{}, page, "nope", "").WantCode("UNAUTHENTICATED")

		s.Comment(fan, first, "Congrats!")
		bad := s.Comment(troll, first, "spam spam")
		s.Do("", `mutation($p: ID!) { createComment(input: {postId: $p, body: "anon"}) { comment { id } } }`, apptest.Vars{"p": first}).WantCode("UNAUTHENTICATED")
		s.Do(fan.Token, `mutation($p: ID!) { createComment(input: {postId: $p, body: "x"}) { comment { id } } }`,
			apptest.Vars{"p": apptest.UnusedID(t, first)}).WantCode("NOT_FOUND")

		hide := `mutation($c: ID!, $h: Boolean!) { hideComment(input: {commentId: $c, hidden: $h}) { comment { hidden body } } }`
		s.Do(fan.Token, hide, apptest.Vars{"c": bad, "h": true}).WantCode("FORBIDDEN")
		if r := s.Do(mod.Token, hide, apptest.Vars{"c": bad, "h": true}).OK(); !r.Bool("hideComment.comment.hidden") || r.String("hideComment.comment.body") != "spam spam" {
			t.Fatalf("staff see the hidden body: %s", r.Raw)
		}

		// Anyone, signed in or not, reads the wall, newest post first.
		anon := s.Do("", wallQuery, apptest.Vars{"h": page.Handle}).OK()
		if anon.Int("page.posts.totalCount") != 2 || anon.String("page.posts.edges.0.node.id") != second {
			t.Fatalf("wall order: %s", anon.Raw)
		}
		p := "page.posts.edges.1.node."
		if anon.Int(p+"commentCount") != 2 || anon.Int(p+"comments.totalCount") != 2 {
			t.Fatalf("comment counts: %s", anon.Raw)
		}
		if anon.String(p+"comments.edges.0.node.body") != "Congrats!" || anon.String(p+"comments.edges.1.node.body") != "" ||
			!anon.Bool(p+"comments.edges.1.node.hidden") {
			t.Fatalf("hidden comment must be blank for the public: %s", anon.Raw)
		}
		// The author of a hidden comment does not see it either; staff do.
		if s.Do(troll.Token, wallQuery, apptest.Vars{"h": page.Handle}).OK().String(p+"comments.edges.1.node.body") != "" {
			t.Fatal("hidden is hidden for everyone but staff")
		}
		staff := s.Do(mod.Token, wallQuery, apptest.Vars{"h": page.Handle}).OK()
		if staff.String(p+"comments.edges.1.node.body") != "spam spam" {
			t.Fatalf("staff see hidden bodies: %s", staff.Raw)
		}
		// Posts are the page's: who wrote one is for staff only.
		if !anon.Null(p+"author") || staff.String(p+"author.id") != owner.ID {
			t.Fatalf("post author: anon %s / staff %s", anon.Raw, staff.Raw)
		}
		// Un-hiding shows it again.
		s.Do(owner.Token, hide, apptest.Vars{"c": bad, "h": false}).OK()
		if s.Do("", wallQuery, apptest.Vars{"h": page.Handle}).OK().String(p+"comments.edges.1.node.body") != "spam spam" {
			t.Fatal("unhidden comment")
		}
	})
}
