package e2e

import (
	"encoding/json"
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

const (
	messageUpdatedSub = `subscription($t: ID!) { messageUpdated(threadId: $t) { id body editedAt editCount removedAt reactions { emoji count viewerReacted } } }`
	react             = `mutation($m: ID!, $e: String!) { reactToMessage(input: {messageId: $m, emoji: $e}) { message { id reactions { emoji count viewerReacted } } } }`
	unreact           = `mutation($m: ID!, $e: String!) { removeReaction(input: {messageId: $m, emoji: $e}) { message { id reactions { emoji count viewerReacted } } } }`
	messageReactions  = `query($id: ID!) { node(id: $id) { ... on Message { reactions { emoji count viewerReacted } } } }`
	staffThreadState  = `query($id: ID!) { node(id: $id) { ... on Thread { status snoozedUntil priority waitingSince unreadCount messages { totalCount } } } }`
)

// TestReactions is rule 37's reactions: participants only, one per person
// per emoji, idempotent, validated as one emoji, live to participants, and
// not a reply (rule 16).
func TestReactions(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		c := s.StartConversation("reactions")
		rec := apptest.NewReceiver(t)
		register(t, s, c.Owner, c.Page, rec.URL, "MESSAGE_UPDATED")
		msg := s.Do(c.Visitor.Token, `query($id: ID!) { node(id: $id) { ... on Thread { messages { edges { node { id } } } } } }`,
			apptest.Vars{"id": c.ThreadID}).OK().String("node.messages.edges.0.node.id")
		visitorWS := s.Connect(apptest.TransportWS, c.Visitor.Token)
		visitorWS.Subscribe("u", messageUpdatedSub, apptest.Vars{"t": c.ThreadID})
		ownerWS := s.Connect(apptest.TransportWS, c.Owner.Token)
		ownerWS.Subscribe("i", inboxEvents, apptest.Vars{"p": c.Page.ID})
		s.WaitSubscribers(2)

		r := s.Do(c.Owner.Token, react, apptest.Vars{"m": msg, "e": "👍"}).OK()
		if r.Int("reactToMessage.message.reactions.0.count") != 1 || !r.Bool("reactToMessage.message.reactions.0.viewerReacted") {
			t.Fatalf("owner reacted: %s", r.Raw)
		}
		if e := visitorWS.Data("u", wait); e.String("messageUpdated.reactions.0.emoji") != "👍" ||
			e.Bool("messageUpdated.reactions.0.viewerReacted") {
			t.Fatalf("visitor's live update: %s", e.Raw)
		}
		if e := ownerWS.Data("i", wait); e.String("inboxEvent.kind") != "MESSAGE_UPDATED" {
			t.Fatalf("inbox MESSAGE_UPDATED: %s", e.Raw)
		}
		// Twice is once, and announces nothing.
		s.Do(c.Owner.Token, react, apptest.Vars{"m": msg, "e": "👍"}).OK()
		if m, ok := visitorWS.TryNext(300 * time.Millisecond); ok {
			t.Fatalf("an idempotent reaction was announced: %s", m.Payload)
		}
		// A skin tone and a ZWJ family are one grapheme each.
		s.Do(c.Visitor.Token, react, apptest.Vars{"m": msg, "e": "👍"}).OK()
		s.Do(c.Visitor.Token, react, apptest.Vars{"m": msg, "e": "👨‍👩‍👧"}).OK()
		s.Do(c.Visitor.Token, react, apptest.Vars{"m": msg, "e": "👍🏽"}).OK()
		got := s.Do(c.Visitor.Token, messageReactions, apptest.Vars{"id": msg}).OK()
		if got.Len("node.reactions") != 3 || got.Int("node.reactions.0.count") != 2 || !got.Bool("node.reactions.0.viewerReacted") ||
			got.String("node.reactions.1.emoji") != "👨‍👩‍👧" {
			t.Fatalf("groups in order of first use: %s", got.Raw)
		}
		for _, bad := range []string{"", "a", "ab", "👍👍", " ", "!", "1"} {
			s.Do(c.Visitor.Token, react, apptest.Vars{"m": msg, "e": bad}).WantCode("BAD_USER_INPUT")
		}
		stranger, analyst := s.SignUp("stranger"), s.SignUp("analyst")
		s.SetRole(c.Owner, c.Page, analyst, "ANALYST").OK()
		s.Do(stranger.Token, react, apptest.Vars{"m": msg, "e": "👍"}).WantCode("NOT_FOUND")
		s.Do(analyst.Token, react, apptest.Vars{"m": msg, "e": "👍"}).WantCode("NOT_FOUND")
		s.Do("", react, apptest.Vars{"m": msg, "e": "👍"}).WantCode("UNAUTHENTICATED")
		sws := s.Connect(apptest.TransportWS, stranger.Token)
		sws.Subscribe("u", messageUpdatedSub, apptest.Vars{"t": c.ThreadID})
		if m := sws.Next(wait); codeOf(sws, m) != "NOT_FOUND" {
			t.Fatalf("stranger subscribing to messageUpdated: %s %s", m.Type, m.Payload)
		}

		r = s.Do(c.Visitor.Token, unreact, apptest.Vars{"m": msg, "e": "👍"}).OK()
		if r.Int("removeReaction.message.reactions.0.count") != 1 || r.Bool("removeReaction.message.reactions.0.viewerReacted") {
			t.Fatalf("removed: %s", r.Raw)
		}
		s.Do(c.Visitor.Token, unreact, apptest.Vars{"m": msg, "e": "👍"}).OK() // idempotent

		// Not a reply: the visitor still waits, no message was added, and
		// the responsiveness request stays open.
		st := s.Do(c.Owner.Token, staffThreadState, apptest.Vars{"id": c.ThreadID}).OK()
		if st.Null("node.waitingSince") || st.Int("node.messages.totalCount") != 1 {
			t.Fatalf("a reaction answered the visitor: %s", st.Raw)
		}
		if resp := s.Do("", responsiveness, apptest.Vars{"h": c.Page.Handle}).OK(); resp.Int("page.responsiveness.answered") != 0 {
			t.Fatalf("a reaction counted as an answer: %s", resp.Raw)
		}
		// MESSAGE_UPDATED reached the admin's webhook for each of the five
		// changes (the repeated ones were no change).
		for _, d := range rec.Wait(t, 5) {
			var env struct{ Event string }
			if err := json.Unmarshal(d.Body, &env); err != nil || env.Event != "MESSAGE_UPDATED" {
				t.Fatalf("delivery of %s (%v)", d.Body, err)
			}
		}
	})
}
