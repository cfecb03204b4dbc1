package e2e

import (
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

const typingSub = `subscription($t: ID!) { typing(threadId: $t) { typing senderType user { id } thread { id } } }`

// TestTyping is rule 19's typing: participants only, not stored, and a
// typist who goes quiet stops "typing" on their own.
func TestTyping(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithTypingTTL(300*time.Millisecond))
		c := s.StartConversation("typing")
		visitorWS := s.Connect(apptest.TransportWS, c.Visitor.Token)
		visitorWS.Subscribe("t", typingSub, apptest.Vars{"t": c.ThreadID})
		ownerWS := s.Connect(apptest.TransportWS, c.Owner.Token)
		ownerWS.Subscribe("t", typingSub, apptest.Vars{"t": c.ThreadID})
		s.WaitSubscribers(2)
		set := `mutation($t: ID!, $on: Boolean!) { setTyping(input: {threadId: $t, typing: $on}) }`

		// The page types: the visitor sees the page typing, not who.
		s.Do(c.Owner.Token, set, apptest.Vars{"t": c.ThreadID, "on": true}).OK()
		e := visitorWS.Data("t", wait)
		if !e.Bool("typing.typing") || e.String("typing.senderType") != "PAGE" || !e.Null("typing.user") {
			t.Fatalf("visitor's view of page typing: %s", e.Raw)
		}
		// Quiet for the TTL: stopped, without anyone saying so.
		start := time.Now()
		e = visitorWS.Data("t", wait)
		if e.Bool("typing.typing") || time.Since(start) < 200*time.Millisecond {
			t.Fatalf("typing should expire after the TTL: %s after %s", e.Raw, time.Since(start))
		}
		// The visitor types: staff see who.
		s.Do(c.Visitor.Token, set, apptest.Vars{"t": c.ThreadID, "on": true}).OK()
		e = ownerWS.Data("t", wait)
		if !e.Bool("typing.typing") || e.String("typing.senderType") != "VISITOR" || e.String("typing.user.id") != c.Visitor.ID {
			t.Fatalf("staff view of visitor typing: %s", e.Raw)
		}
		s.Do(c.Visitor.Token, set, apptest.Vars{"t": c.ThreadID, "on": false}).OK()
		if e = ownerWS.Data("t", wait); e.Bool("typing.typing") {
			t.Fatalf("stopped: %s", e.Raw)
		}
		// Typists do not hear themselves: the owner's own typing earlier
		// reached only the visitor. Outsiders may neither signal nor listen.
		stranger := s.SignUp("stranger")
		s.Do(stranger.Token, set, apptest.Vars{"t": c.ThreadID, "on": true}).WantCode("NOT_FOUND")
		ws := s.Connect(apptest.TransportWS, stranger.Token)
		ws.Subscribe("t", typingSub, apptest.Vars{"t": c.ThreadID})
		if m := ws.Next(wait); codeOf(ws, m) != "NOT_FOUND" {
			t.Fatalf("stranger subscribing to typing: %s %s", m.Type, m.Payload)
		}
		// Nothing was stored: the thread still has one message.
		if n := s.Thread(c.Owner.Token, c.ThreadID).OK().Int("node.messages.totalCount"); n != 1 {
			t.Fatalf("typing stored something: %d messages", n)
		}
	})
}
