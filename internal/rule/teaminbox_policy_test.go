package rule_test

import (
	"errors"
	"testing"

	"entgo.io/ent/privacy"

	"pageinbox/ent/reaction"
	"pageinbox/internal/apptest"
	"pageinbox/internal/rule"
)

// TestReactionGrantCoversOnlyTheReactorsOwnReactions: the grant a reaction
// gets creates reactions of its reactor on its message only, and removes
// only those.
func TestReactionGrantCoversOnlyTheReactorsOwnReactions(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("reactgrant")
		threadID := localID(t, c.ThreadID)
		first := localID(t, s.SendIn(c.Visitor, c.ThreadID, "one").OK().String("sendMessage.message.id"))
		second := localID(t, s.SendIn(c.Visitor, c.ThreadID, "two").OK().String("sendMessage.message.id"))
		ownerKey, visitorKey := "u"+c.Owner.ID, "u"+c.Visitor.ID

		visitorCtx := rule.AuthorizeReaction(signedIn(t, s, c.Visitor), rule.SideVisitor, first, visitorKey)
		if err := s.Client.Reaction.Create().SetMessageID(first).SetThreadID(threadID).
			SetReactorKey(visitorKey).SetEmoji("👍").Exec(visitorCtx); err != nil {
			t.Fatalf("the visitor's own reaction: %v", err)
		}

		ctx := rule.AuthorizeReaction(signedIn(t, s, c.Owner), rule.SidePage, first, ownerKey)
		create := func(messageID int, key string) error {
			return s.Client.Reaction.Create().SetMessageID(messageID).SetThreadID(threadID).
				SetReactorKey(key).SetEmoji("🎉").Exec(ctx)
		}
		if err := create(first, ownerKey); err != nil {
			t.Fatalf("the granted reaction: %v", err)
		}
		if err := create(first, visitorKey); !errors.Is(err, privacy.Deny) {
			t.Fatalf("a reaction in another's name: want a privacy denial, got %v", err)
		}
		if err := create(second, ownerKey); !errors.Is(err, privacy.Deny) {
			t.Fatalf("a reaction on another message: want a privacy denial, got %v", err)
		}
		n, err := s.Client.Reaction.Delete().Where(reaction.MessageID(first)).Exec(ctx)
		if err != nil || n != 1 {
			t.Fatalf("removing every reaction of the message under the owner's grant: %d removed, %v; want 1 (their own)", n, err)
		}
		left, err := s.Client.Reaction.Query().Where(reaction.MessageID(first)).Only(signedIn(t, s, c.Visitor))
		if err != nil || left.ReactorKey != visitorKey {
			t.Fatalf("the visitor's reaction must stay: %+v, %v", left, err)
		}
	})
}

// TestNoteGrantCoversItsThreadOnly: the grant to note on one thread does
// not write a note on another thread of the same page.
func TestNoteGrantCoversItsThreadOnly(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("notegrant")
		other := localID(t, s.SendToPage(s.SignUp("carol"), c.Page, "hi").OK().String("sendMessageToPage.thread.id"))
		pageID, threadID := localID(t, c.Page.ID), localID(t, c.ThreadID)
		ctx, err := rule.AuthorizeNote(signedIn(t, s, c.Owner), pageID, threadID)
		if err != nil {
			t.Fatal(err)
		}
		note := func(thread int) error {
			return s.Client.Note.Create().SetThreadID(thread).SetPageID(pageID).SetBody("internal").Exec(ctx)
		}
		if err := note(threadID); err != nil {
			t.Fatalf("the granted thread: %v", err)
		}
		if err := note(other); !errors.Is(err, privacy.Deny) {
			t.Fatalf("another thread: want a privacy denial, got %v", err)
		}
		if _, err := rule.AuthorizeNote(signedIn(t, s, c.Visitor), pageID, threadID); err == nil {
			t.Fatal("a visitor was granted a note")
		}
	})
}
