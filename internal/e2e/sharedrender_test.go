package e2e

import (
	"fmt"
	"testing"

	"pageinbox/internal/apptest"
)

// Subscribers of one event with the same document and the same viewer
// class share one rendering (internal/api/share.go). These tests pin what
// must never be shared: whatever depends on who the viewer is.
func TestSharedRenderingKeepsEachViewersView(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("shared")
		mod1, mod2 := s.SignUp("mod1"), s.SignUp("mod2")
		s.SetRole(c.Owner, c.Page, mod1, "MODERATOR").OK()
		s.SetRole(c.Owner, c.Page, mod2, "MODERATOR").OK()

		const q = `subscription($t: ID!) { messageAdded(threadId: $t) { seq body sender { id } } }`
		subs := map[string]*apptest.WS{}
		for name, u := range map[string]apptest.User{"visitor": c.Visitor, "mod1": mod1, "mod2": mod2} {
			ws := s.Connect(apptest.TransportWS, u.Token)
			ws.Subscribe("m", q, apptest.Vars{"t": c.ThreadID})
			subs[name] = ws
		}
		s.WaitSubscribers(3)
		before := s.Server.SharedRenders()
		s.SendIn(c.Owner, c.ThreadID, "hello from staff").OK()

		// Which staff member wrote is for staff only (rule 11): the
		// visitor's class differs, so it never gets the staff rendering.
		if r := subs["visitor"].Data("m", wait); r.String("messageAdded.body") != "hello from staff" || !r.Null("messageAdded.sender") {
			t.Fatalf("visitor: %s", r.Raw)
		}
		for _, name := range []string{"mod1", "mod2"} {
			if r := subs[name].Data("m", wait); r.String("messageAdded.sender.id") != c.Owner.ID {
				t.Fatalf("%s: %s", name, r.Raw)
			}
		}
		if got := s.Server.SharedRenders() - before; got < 1 {
			t.Fatalf("the two moderators' deliveries were rendered separately (%d shared)", got)
		}
	})
}

func TestPerViewerFieldsAreRenderedPerSubscriber(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "club")
		postID := s.CreatePost(owner, page, "Join", "GROUP_CHAT").OK().String("createPost.post.id")
		var chat string
		members := make([]apptest.User, 3)
		for i := range members {
			members[i] = s.SignUp(fmt.Sprintf("member%d", i))
			chat = s.Do(members[i].Token, joinGroup, apptest.Vars{"p": postID}).OK().String("joinGroupChat.thread.id")
		}
		a, bb, writer := members[0], members[1], members[2]
		const q = `subscription($t: ID!) { messageAdded(threadId: $t) { seq thread { unreadCount } } }`
		wsA := s.Connect(apptest.TransportWS, a.Token)
		wsA.Subscribe("m", q, apptest.Vars{"t": chat})
		wsB := s.Connect(apptest.TransportWS, bb.Token)
		wsB.Subscribe("m", q, apptest.Vars{"t": chat})
		s.WaitSubscribers(2)

		s.SendIn(writer, chat, "first").OK()
		wsA.Data("m", wait)
		wsB.Data("m", wait)
		s.Do(a.Token, `mutation($t: ID!) { markThreadRead(input: {threadId: $t}) { thread { id } } }`, apptest.Vars{"t": chat}).OK()
		s.SendIn(writer, chat, "second").OK()
		// Same document, same class (members without roles), different
		// read marks: each sees their own count.
		if r := wsA.Data("m", wait); r.Int("messageAdded.thread.unreadCount") != 1 {
			t.Fatalf("a read everything before: %s", r.Raw)
		}
		if r := wsB.Data("m", wait); r.Int("messageAdded.thread.unreadCount") != 2 {
			t.Fatalf("b read nothing: %s", r.Raw)
		}
	})
}
