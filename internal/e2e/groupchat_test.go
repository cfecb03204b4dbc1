package e2e

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

const joinGroup = `mutation($p: ID!) { joinGroupChat(input: {postId: $p}) { thread { id kind title post { id } members { totalCount } unreadCount canReply } } }`

// TestGroupChats is rule 18: a GROUP_CHAT post promotes a chat that any
// signed-in user joins; members read, send and are notified; non-members
// see nothing; members may leave.
func TestGroupChats(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, ann, bob, outsider := s.SignUp("owner"), s.SignUp("ann"), s.SignUp("bob"), s.SignUp("outsider")
		page := s.CreatePage(owner, "groups")
		post := s.Do(owner.Token, `mutation($p: ID!) { createPost(input: {pageId: $p, body: "Join our book club!\nMondays.", kind: GROUP_CHAT, groupChatTitle: "Book club"}) { post { id kind groupChat { id title kind } } } }`,
			apptest.Vars{"p": page.ID}).OK()
		postID := post.String("createPost.post.id")
		chat := post.String("createPost.post.groupChat.id")
		if post.String("createPost.post.groupChat.title") != "Book club" || post.String("createPost.post.groupChat.kind") != "GROUP" {
			t.Fatalf("group post: %s", post.Raw)
		}
		// Not a member: the chat does not exist for you.
		if r := s.Do(outsider.Token, `query($id: ID!) { node(id: $id) { id } }`, apptest.Vars{"id": chat}); !r.Null("node") {
			t.Fatalf("non-member sees the chat: %s", r.Raw)
		}
		if r := s.Do("", `query($h: String!) { page(handle: $h) { posts { edges { node { kind groupChat { id } } } } } }`, apptest.Vars{"h": page.Handle}).OK(); !r.Null("page.posts.edges.0.node.groupChat") {
			t.Fatalf("anonymous sees the chat: %s", r.Raw)
		}
		s.SendIn(outsider, chat, "let me in").WantCode("NOT_FOUND")

		j := s.Do(ann.Token, joinGroup, apptest.Vars{"p": postID}).OK()
		if j.String("joinGroupChat.thread.id") != chat || j.Int("joinGroupChat.thread.members.totalCount") != 1 || !j.Bool("joinGroupChat.thread.canReply") {
			t.Fatalf("join: %s", j.Raw)
		}
		s.Do(ann.Token, joinGroup, apptest.Vars{"p": postID}).OK() // joining twice is fine
		s.Do(bob.Token, joinGroup, apptest.Vars{"p": postID}).OK()
		bobWS := s.Connect(apptest.TransportWS, bob.Token)
		bobWS.Subscribe("m", messageAdded, apptest.Vars{"t": chat, "after": 0})
		bobWS.Subscribe("n", notificationAdded, nil)
		s.WaitSubscribers(2)

		// Members send as MEMBER; the first message carries the POST referral.
		m := s.Do(ann.Token, `mutation($t: ID!) { sendMessage(input: {threadId: $t, body: "Hi all"}) { message { seq senderType referral { source post { id } } } } }`,
			apptest.Vars{"t": chat}).OK()
		if m.String("sendMessage.message.senderType") != "MEMBER" || m.String("sendMessage.message.referral.source") != "POST" ||
			m.String("sendMessage.message.referral.post.id") != postID {
			t.Fatalf("member message: %s", m.Raw)
		}
		if r := s.SendIn(ann, chat, "again").OK(); r.Int("sendMessage.message.seq") != 2 {
			t.Fatalf("second: %s", r.Raw)
		}
		got := bobWS.Data("m", wait)
		if got.String("messageAdded.body") != "Hi all" {
			t.Fatalf("bob's stream: %s", got.Raw)
		}
		// Bob is notified of both (GROUP_MESSAGE).
		for range 2 {
			if k := bobWS.Data("n", wait).String("notificationAdded.kind"); k != "GROUP_MESSAGE" {
				t.Fatalf("bob's notification kind %s", k)
			}
		}
		// Staff see and answer as the page; members are notified.
		if r := s.SendIn(owner, chat, "Welcome!").OK(); r.String("sendMessage.message.senderType") != "PAGE" {
			t.Fatalf("staff in a group: %s", r.Raw)
		}
		// Member unread counts are per member.
		unread := func(u apptest.User) int {
			return s.Thread(u.Token, chat).OK().Int("node.unreadCount")
		}
		if unread(ann) != 1 || unread(bob) != 3 {
			t.Fatalf("unread: ann %d, bob %d", unread(ann), unread(bob))
		}
		s.Do(bob.Token, `mutation($t: ID!) { markThreadRead(input: {threadId: $t}) { thread { unreadCount } } }`, apptest.Vars{"t": chat}).OK()
		if unread(bob) != 0 {
			t.Fatal("bob read everything")
		}
		// The chat is in the members' thread lists.
		if r := s.Do(ann.Token, `{ viewer { threads { edges { node { id kind } } } unreadThreadCount } }`, nil).OK(); r.String("viewer.threads.edges.0.node.id") != chat || r.Int("viewer.unreadThreadCount") != 1 {
			t.Fatalf("ann's threads: %s", r.Raw)
		}
		// Leaving ends access and the open stream.
		s.Do(bob.Token, `mutation($t: ID!) { leaveGroupChat(input: {id: $t}) { thread { id } } }`, apptest.Vars{"t": chat}).OK()
		for {
			msg := bobWS.NextFor("m", wait)
			if msg.Type == "error" {
				break // the stream ended
			}
			// messages sent before leaving may still arrive first
		}
		s.SendIn(bob, chat, "bye").WantCode("NOT_FOUND")
		if r := s.Do(bob.Token, `query($id: ID!) { node(id: $id) { id } }`, apptest.Vars{"id": chat}); !r.Null("node") {
			t.Fatal("a former member sees the chat")
		}
		// A user the page blocked cannot join.
		s.Do(owner.Token, `mutation($p: ID!, $u: ID!) { blockUser(input: {pageId: $p, userId: $u}) { page { id } } }`, apptest.Vars{"p": page.ID, "u": outsider.ID}).OK()
		s.Do(outsider.Token, joinGroup, apptest.Vars{"p": postID}).WantCode("BLOCKED")
		// STATUS posts have no chat.
		status := s.CreatePost(owner, page, "just news", "").OK().String("createPost.post.id")
		s.Do(ann.Token, joinGroup, apptest.Vars{"p": status}).WantCode("BAD_USER_INPUT")
	})
}

// TestGroupChatHoldsAtMost250Members joins 260 users at once.
func TestGroupChatHoldsAtMost250Members(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "crowd")
		postID := s.CreatePost(owner, page, "Everyone welcome", "GROUP_CHAT").OK().String("createPost.post.id")
		users := make([]apptest.User, 260)
		for i := range users {
			users[i] = s.SignUp(fmt.Sprintf("u%d", i))
		}
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			ok, ful int
		)
		sem := make(chan struct{}, 16)
		for _, u := range users {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				code := s.Do(u.Token, joinGroup, apptest.Vars{"p": postID}).Code()
				mu.Lock()
				defer mu.Unlock()
				switch code {
				case "":
					ok++
				case "LIMIT_EXCEEDED":
					ful++
				default:
					t.Errorf("join: %s", code)
				}
			})
		}
		wg.Wait()
		if ok != 250 || ful != 10 {
			t.Fatalf("%d joined, %d refused; want 250 and 10", ok, ful)
		}
	})
}

// TestLargeGroupNotifiesEveryMemberLive: a message to a group of more
// than 16 members is announced with one event that each replica expands
// for its own notificationAdded subscribers (rule 20). On PostgreSQL the
// subscribers sit on a second replica.
func TestLargeGroupNotifiesEveryMemberLive(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		db := apptest.DatabaseURL(t, b)
		s := apptest.StartOn(t, b, db, t.TempDir())
		other := s // SQLite has one process
		if b == apptest.Postgres {
			other = apptest.StartOn(t, b, db, t.TempDir())
		}
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "crowd")
		postID := s.CreatePost(owner, page, "Everyone welcome", "GROUP_CHAT").OK().String("createPost.post.id")
		members := make([]apptest.User, 20)
		var chat string
		for i := range members {
			members[i] = s.SignUp(fmt.Sprintf("m%d", i))
			chat = s.Do(members[i].Token, joinGroup, apptest.Vars{"p": postID}).OK().String("joinGroupChat.thread.id")
		}
		// Two listening members, and the sender listening too.
		a := other.Connect(apptest.TransportWS, members[1].Token)
		a.Subscribe("n", notificationAdded, nil)
		c := other.Connect(apptest.LegacyWS, members[2].Token)
		c.Subscribe("n", notificationAdded, nil)
		sender := other.Connect(apptest.TransportWS, members[0].Token)
		sender.Subscribe("n", notificationAdded, nil)
		other.WaitSubscribers(3)

		for i, body := range []string{"hello crowd", "second"} {
			s.SendIn(members[0], chat, body).OK()
			for name, ws := range map[string]*apptest.WS{"member 1": a, "member 2": c} {
				r := ws.Data("n", wait)
				if r.String("notificationAdded.kind") != "GROUP_MESSAGE" || r.String("notificationAdded.thread.id") != chat ||
					r.String("notificationAdded.message.body") != body {
					t.Fatalf("%s, message %d: %s", name, i, r.Raw)
				}
			}
		}
		// The stored notifications of a member who was not listening: both
		// messages, newest first, unread, dated as the message.
		inbox := s.Do(members[5].Token, `{ viewer { unreadNotificationCount
			notifications(first: 10) { totalCount edges { node { kind createdAt readAt message { body createdAt } thread { id } } } } } }`, nil).OK()
		if inbox.Int("viewer.unreadNotificationCount") != 2 || inbox.Int("viewer.notifications.totalCount") != 2 ||
			inbox.String("viewer.notifications.edges.0.node.message.body") != "second" ||
			inbox.String("viewer.notifications.edges.0.node.kind") != "GROUP_MESSAGE" ||
			inbox.String("viewer.notifications.edges.1.node.thread.id") != chat ||
			!inbox.Null("viewer.notifications.edges.0.node.readAt") {
			t.Fatalf("stored notifications of a large group: %s", inbox.Raw)
		}
		if got, want := inbox.String("viewer.notifications.edges.0.node.createdAt"), inbox.String("viewer.notifications.edges.0.node.message.createdAt"); got != want {
			t.Fatalf("notification createdAt %s, message createdAt %s", got, want)
		}
		if n := s.Do(members[5].Token, `mutation { markNotificationsRead(input: {all: true}) }`, nil).OK().Int("markNotificationsRead"); n != 2 {
			t.Fatalf("markNotificationsRead changed %d, want 2", n)
		}
		// The sender has none of their own.
		if n := s.Do(members[0].Token, `{ viewer { unreadNotificationCount } }`, nil).OK().Int("viewer.unreadNotificationCount"); n != 0 {
			t.Fatalf("the sender has %d notifications of their own messages", n)
		}
		// Nobody is notified of their own message, and nobody twice.
		if m, ok := sender.TryNext(300 * time.Millisecond); ok {
			t.Fatalf("the sender was notified: %+v", m)
		}
		if m, ok := a.TryNext(100 * time.Millisecond); ok {
			t.Fatalf("a duplicate notification: %+v", m)
		}
	})
}

// TestSendOnlyTokenNotifiesGroupMembers: a SEND_MESSAGES token cannot read
// the page's threads, yet its answer in a group chat notifies the members
// (the send path looks recipients up for the sender, rule.NotifyRecipients).
func TestSendOnlyTokenNotifiesGroupMembers(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, ann := s.SignUp("owner"), s.SignUp("ann")
		page := s.CreatePage(owner, "tokengroup")
		post := s.Do(owner.Token, `mutation($p: ID!) { createPost(input: {pageId: $p, body: "Club", kind: GROUP_CHAT, groupChatTitle: "Club"}) { post { id groupChat { id } } } }`,
			apptest.Vars{"p": page.ID}).OK()
		chat := post.String("createPost.post.groupChat.id")
		s.Do(ann.Token, joinGroup, apptest.Vars{"p": post.String("createPost.post.id")}).OK()
		token, _ := newToken(s, owner, page, "SEND_MESSAGES")
		s.Do(token, `mutation($t: ID!) { sendMessage(input: {threadId: $t, body: "Welcome!"}) { message { senderType } } }`,
			apptest.Vars{"t": chat}).OK()
		r := s.Do(ann.Token, `{ viewer { notifications(first: 5) { edges { node { kind message { body } } } } } }`, nil).OK()
		if r.String("viewer.notifications.edges.0.node.kind") != "GROUP_MESSAGE" || r.String("viewer.notifications.edges.0.node.message.body") != "Welcome!" {
			t.Fatalf("member's notifications: %s", r.Raw)
		}
	})
}
