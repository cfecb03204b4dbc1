package e2e

import (
	"fmt"
	"testing"
	"time"

	"pageinbox/internal/app"
	"pageinbox/internal/apptest"
)

const sendKeyed = `mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) { message { id seq } thread { id } } }`

const sendAsToken = `mutation($i: SendMessageInput!) { sendMessage(input: $i) { message { seq } } }`

func retryAfter(t *testing.T, r *apptest.Response) int {
	t.Helper()
	r.WantCode("RATE_LIMITED")
	f, ok := r.Errors[0].Extensions["retryAfterSeconds"].(float64)
	if !ok {
		t.Fatalf("RATE_LIMITED without extensions.retryAfterSeconds: %s", r.Raw)
	}
	return int(f)
}

// TestMessagesPerMinutePerSender is rule 23's message limit at its
// defaults: 60 messages per minute per sender, RATE_LIMITED with
// retryAfterSeconds beyond it, nothing stored, other senders unaffected.
func TestMessagesPerMinutePerSender(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithRateLimits(app.DefaultMessagesPerMinute, app.DefaultThreadsPerHour))
		c := s.StartConversation("busy") // the visitor's 1st message
		closed := s.CreatePage(c.Owner, "closed")
		s.UpdatePage(c.Owner.Token, closed, apptest.Vars{"messagingEnabled": false}).OK()

		// Sends the rules refuse do not use up the allowance.
		for range 5 {
			s.SendToPage(c.Visitor, closed, "anyone there?").WantCode("MESSAGING_DISABLED")
		}
		for i := 2; i <= 59; i++ {
			s.SendToPage(c.Visitor, c.Page, fmt.Sprintf("message %d", i)).OK()
		}
		s.Do(c.Visitor.Token, sendKeyed, apptest.Vars{"i": apptest.Vars{"pageId": c.Page.ID, "body": "the 60th", "clientMessageId": "k60"}}).OK()

		if got := retryAfter(t, s.SendToPage(c.Visitor, c.Page, "the 61st")); got != 60 {
			t.Fatalf("retryAfterSeconds %d, want 60 (all 60 were sent this second)", got)
		}
		retryAfter(t, s.SendIn(c.Visitor, c.ThreadID, "through sendMessage too"))
		if n := s.Thread(c.Owner.Token, c.ThreadID).OK().Int("node.messages.totalCount"); n != 60 {
			t.Fatalf("%d messages stored, want 60: a refused send stores nothing", n)
		}
		// A retry of a stored send is answered, not refused: it is no new message.
		dup := s.Do(c.Visitor.Token, sendKeyed, apptest.Vars{"i": apptest.Vars{"pageId": c.Page.ID, "body": "the 60th", "clientMessageId": "k60"}}).OK()
		if dup.Int("sendMessageToPage.message.seq") != 60 {
			t.Fatalf("the retried 60th: %s", dup.Raw)
		}
		// Per sender: the page's staff and other visitors are not limited.
		s.SendIn(c.Owner, c.ThreadID, "we are here").OK()
		other := s.SignUp("other")
		s.SendToPage(other, c.Page, "hello").OK()

		// 30 s later the minute is not over; at 60 s it is.
		s.Clock.Advance(30 * time.Second)
		if got := retryAfter(t, s.SendToPage(c.Visitor, c.Page, "now?")); got != 30 {
			t.Fatalf("retryAfterSeconds %d after 30 s, want 30", got)
		}
		s.Clock.Advance(30 * time.Second)
		s.SendToPage(c.Visitor, c.Page, "thanks for waiting").OK()
	})
}

// TestPageTokenIsRateLimitedAsItsOwnSender: an integration's token is a
// sender of its own, apart from the staff.
func TestPageTokenIsRateLimitedAsItsOwnSender(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithRateLimits(3, 0))
		c := s.StartConversation("crm")
		token, _ := newToken(s, c.Owner, c.Page, "SEND_MESSAGES")
		for i := range 3 {
			s.Do(token, sendAsToken,
				apptest.Vars{"i": apptest.Vars{"threadId": c.ThreadID, "body": fmt.Sprint("auto ", i)}}).OK()
		}
		retryAfter(t, s.Do(token, sendAsToken,
			apptest.Vars{"i": apptest.Vars{"threadId": c.ThreadID, "body": "one too many"}}))
		s.SendIn(c.Owner, c.ThreadID, "a human still answers").OK()
	})
}

// TestARefusedSendGivesItsSlotBack: a private reply takes the sender's
// slot before the comment's rules refuse it (a second reply to one
// comment); the rolled-back transaction must give the slot back.
func TestARefusedSendGivesItsSlotBack(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithRateLimits(2, 0))
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "shop")
		post := s.CreatePost(owner, page, "new arrivals", "").OK().String("createPost.post.id")
		comment := s.Comment(visitor, post, "price?")
		thread := reply(s, owner, comment, "12 euros").OK().String("replyPrivatelyToComment.thread.id") // slot 1
		for range 3 {
			reply(s, owner, comment, "did you see?").WantCode("ALREADY_REPLIED_PRIVATELY")
		}
		s.SendIn(visitor, thread, "yes, thanks").OK()
		s.SendIn(owner, thread, "great").OK() // slot 2: the refused replies took none
		retryAfter(t, s.SendIn(owner, thread, "one too many"))
	})
}

// TestNewThreadsPerHourPerVisitor is rule 23's thread limit at its
// default: a visitor starts at most 10 conversations per hour; the
// existing ones stay open, and a page's private reply does not count.
func TestNewThreadsPerHourPerVisitor(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithRateLimits(app.DefaultMessagesPerMinute, app.DefaultThreadsPerHour))
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		// A private reply starts a thread with the visitor first: the page
		// started it, so it is not one of the visitor's 10.
		shop := s.CreatePage(owner, "shop")
		post := s.CreatePost(owner, shop, "new arrivals", "").OK().String("createPost.post.id")
		comment := s.Comment(visitor, post, "price?")
		reply(s, owner, comment, "12 euros, I'll send you the link").OK()

		var first string
		for i := range 10 {
			s.Clock.Advance(time.Minute)
			p := s.CreatePage(owner, fmt.Sprintf("page%d", i))
			r := s.SendToPage(visitor, p, "hi").OK()
			if i == 0 {
				first = r.String("sendMessageToPage.thread.id")
			}
		}
		// 10 minutes in: the first of the 10 leaves the hour in 51 minutes.
		eleventh := s.CreatePage(owner, "eleventh")
		if got := retryAfter(t, s.SendToPage(visitor, eleventh, "hi")); got != 51*60 {
			t.Fatalf("retryAfterSeconds %d, want %d", got, 51*60)
		}
		if !s.Do(visitor.Token, `query($h: String!) { page(handle: $h) { viewerThread { id } } }`, apptest.Vars{"h": eleventh.Handle}).OK().Null("page.viewerThread") {
			t.Fatal("a refused first message must not leave a thread behind")
		}
		// Conversations already started go on.
		s.SendIn(visitor, first, "still here").OK()
		s.SendToPage(visitor, shop, "ok, send it").OK()
		// Another visitor is not affected.
		s.SendToPage(s.SignUp("other"), eleventh, "hi").OK()

		s.Clock.Advance(51 * time.Minute)
		s.SendToPage(visitor, eleventh, "hi again").OK()
	})
}
