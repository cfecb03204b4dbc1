package e2e

import (
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

// TestReplyWindow is rule 5's deployment window (PAGEINBOX_REPLY_WINDOW):
// canReply and replyWindowEndsAt tell it beforehand, a late send gets
// REPLY_WINDOW_CLOSED, and the visitor's next message reopens it.
func TestReplyWindow(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithReplyWindow(24*time.Hour))
		c := s.StartConversation("window")
		wrote := s.Clock.Now()
		r := s.Thread(c.Owner.Token, c.ThreadID).OK()
		if !r.Bool("node.canReply") || r.String("node.replyWindowEndsAt") != wrote.Add(24*time.Hour).Format(time.RFC3339) {
			t.Fatalf("open window: %s", r.Raw)
		}
		if !s.Thread(c.Visitor.Token, c.ThreadID).OK().Null("node.replyWindowEndsAt") {
			t.Fatal("the visitor has no reply window")
		}
		s.Clock.Advance(24*time.Hour - time.Second)
		s.SendIn(c.Owner, c.ThreadID, "just in time").OK()
		s.Clock.Advance(time.Second)
		if s.Thread(c.Owner.Token, c.ThreadID).OK().Bool("node.canReply") {
			t.Fatal("canReply must be false once the window closed")
		}
		s.SendIn(c.Owner, c.ThreadID, "too late").WantCode("REPLY_WINDOW_CLOSED")
		// The visitor writes again: a new window.
		s.SendIn(c.Visitor, c.ThreadID, "still there?").OK()
		s.SendIn(c.Owner, c.ThreadID, "yes").OK()
	})
}

func TestNoReplyWindowByDefault(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("nowindow")
		s.Clock.Advance(60 * 24 * time.Hour) // within the 90-day session
		r := s.Thread(c.Owner.Token, c.ThreadID).OK()
		if !r.Bool("node.canReply") || !r.Null("node.replyWindowEndsAt") {
			t.Fatalf("no window: %s", r.Raw)
		}
		s.SendIn(c.Owner, c.ThreadID, "two months later").OK()
	})
}
