package e2e

import (
	"sync"
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

const replyPrivately = `mutation($i: ReplyPrivatelyInput!) { replyPrivatelyToComment(input: $i) {
	message { id seq senderType referral { source comment { id } post { id } } }
	thread { id kind visitor { id } canReply } } }`

func reply(s *apptest.Server, staff apptest.User, commentID, body string) *apptest.Response {
	return s.Do(staff.Token, replyPrivately, apptest.Vars{"i": apptest.Vars{"commentId": commentID, "body": body}})
}

// TestPrivateReplyToAComment is rule 6, the one way a page starts a
// conversation.
func TestPrivateReplyToAComment(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, fan, stranger := s.SignUp("owner"), s.SignUp("fan"), s.SignUp("stranger")
		page := s.CreatePage(owner, "replies")
		post := s.CreatePost(owner, page, "Ask us anything", "").OK().String("createPost.post.id")
		comment := s.Comment(fan, post, "How much is shipping?")

		can := `query($h: String!) { page(handle: $h) { posts { edges { node { comments { edges { node { viewerCanReplyPrivately repliedPrivately privateReplyAt } } } } } } } }`
		path := "page.posts.edges.0.node.comments.edges.0.node."
		if !s.Do(owner.Token, can, apptest.Vars{"h": page.Handle}).OK().Bool(path + "viewerCanReplyPrivately") {
			t.Fatal("staff can reply privately to a fresh comment")
		}
		if s.Do(stranger.Token, can, apptest.Vars{"h": page.Handle}).OK().Bool(path + "viewerCanReplyPrivately") {
			t.Fatal("strangers cannot")
		}
		reply(s, stranger, comment, "hi").WantCode("FORBIDDEN")

		r := reply(s, owner, comment, "Shipping is free!").OK()
		if r.String("replyPrivatelyToComment.message.senderType") != "PAGE" ||
			r.String("replyPrivatelyToComment.message.referral.source") != "COMMENT" ||
			r.String("replyPrivatelyToComment.message.referral.comment.id") != comment ||
			r.String("replyPrivatelyToComment.thread.kind") != "DIRECT" ||
			r.String("replyPrivatelyToComment.thread.visitor.id") != fan.ID {
			t.Fatalf("private reply: %s", r.Raw)
		}
		thread := r.String("replyPrivatelyToComment.thread.id")
		// Everyone sees that the page replied privately.
		pub := s.Do("", can, apptest.Vars{"h": page.Handle}).OK()
		if !pub.Bool(path+"repliedPrivately") || pub.Null(path+"privateReplyAt") {
			t.Fatalf("public marker: %s", pub.Raw)
		}
		if s.Do(owner.Token, can, apptest.Vars{"h": page.Handle}).OK().Bool(path + "viewerCanReplyPrivately") {
			t.Fatal("one private reply per comment")
		}
		reply(s, owner, comment, "again").WantCode("ALREADY_REPLIED_PRIVATELY")
		// The page now waits for the user.
		if s.Thread(owner.Token, thread).OK().Bool("node.canReply") {
			t.Fatal("after a private reply the page cannot write until the user answers")
		}
		s.SendIn(owner, thread, "did you see it?").WantCode("PAGE_CANNOT_INITIATE")
		// The user was notified, and answers in the same thread.
		n := s.Do(fan.Token, `{ viewer { notifications { edges { node { kind thread { id } } } } } }`, nil).OK()
		if n.String("viewer.notifications.edges.0.node.kind") != "PRIVATE_REPLY" || n.String("viewer.notifications.edges.0.node.thread.id") != thread {
			t.Fatalf("PRIVATE_REPLY notification: %s", n.Raw)
		}
		if got := s.SendToPage(fan, page, "thanks!").OK().String("sendMessageToPage.thread.id"); got != thread {
			t.Fatal("the user's answer lands in the same DIRECT thread")
		}
		s.SendIn(owner, thread, "you're welcome").OK()
	})
}

func TestPrivateReplyRules(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, mod, fan := s.SignUp("owner"), s.SignUp("mod"), s.SignUp("fan")
		page := s.CreatePage(owner, "rules6")
		s.SetRole(owner, page, mod, "MODERATOR").OK()
		post := s.CreatePost(owner, page, "post", "").OK().String("createPost.post.id")

		// Within 7 days only (measured with the test clock).
		old := s.Comment(fan, post, "old comment")
		s.Clock.Advance(7*24*time.Hour + time.Second)
		reply(s, owner, old, "late").WantCode("PRIVATE_REPLY_EXPIRED")
		fresh := s.Comment(fan, post, "fresh comment")
		s.Clock.Advance(7*24*time.Hour - time.Minute)
		reply(s, mod, fresh, "in time").OK()

		// Not to the page's own staff.
		own := s.Comment(mod, post, "staff comment")
		reply(s, owner, own, "hi colleague").WantCode("BAD_USER_INPUT")

		// Two staff members at once: the database lets exactly one through.
		contested := s.Comment(s.SignUp("other"), post, "contested")
		var wg sync.WaitGroup
		codes := make(chan string, 2)
		for _, who := range []apptest.User{owner, mod} {
			wg.Go(func() { codes <- reply(s, who, contested, "mine").Code() })
		}
		wg.Wait()
		close(codes)
		ok, dup := 0, 0
		for c := range codes {
			switch c {
			case "":
				ok++
			case "ALREADY_REPLIED_PRIVATELY":
				dup++
			default:
				t.Errorf("unexpected %s", c)
			}
		}
		if ok != 1 || dup != 1 {
			t.Fatalf("concurrent private replies: %d ok, %d refused", ok, dup)
		}
	})
}
