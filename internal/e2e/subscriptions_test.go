package e2e

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"pageinbox/internal/api"
	"pageinbox/internal/apptest"
)

const (
	messageAdded      = `subscription($t: ID!, $after: Int) { messageAdded(threadId: $t, after: $after) { id seq body senderType thread { id } } }`
	inboxEvents       = `subscription($p: ID!) { inboxEvent(pageId: $p) { kind thread { id snippet unreadCount } message { seq body } } }`
	notificationAdded = `subscription { notificationAdded { id kind thread { id } message { body } } }`
	wait              = 5 * time.Second
)

func TestMessageAddedStreamsLiveOnBothProtocols(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("live")
		for _, proto := range []string{apptest.TransportWS, apptest.LegacyWS} {
			visitor := s.Connect(proto, c.Visitor.Token)
			owner := s.Connect(proto, c.Owner.Token)
			visitor.Subscribe("v", messageAdded, apptest.Vars{"t": c.ThreadID})
			owner.Subscribe("o", messageAdded, apptest.Vars{"t": c.ThreadID})
			s.WaitSubscribers(2)
			sent := s.SendIn(c.Owner, c.ThreadID, "reply over "+proto).OK()
			seq := sent.Int("sendMessage.message.seq")
			for name, ws := range map[string]*apptest.WS{"v": visitor, "o": owner} {
				r := ws.Data(name, wait)
				if r.Int("messageAdded.seq") != seq || r.String("messageAdded.body") != "reply over "+proto {
					t.Fatalf("%s on %s got %s", name, proto, r.Raw)
				}
			}
			visitor.Close()
			owner.Close()
			s.WaitSubscribers(0)
		}
	})
}

// TestMessageAddedReplaysThenFollowsWithoutGapOrDuplicate is rule 19's
// `after`: every message after the given seq, then live ones, exactly once,
// even when messages keep arriving during the replay.
func TestMessageAddedReplaysThenFollowsWithoutGapOrDuplicate(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("replay")
		for i := range 40 {
			s.SendToPage(c.Visitor, c.Page, fmt.Sprintf("before %d", i)).OK()
		}
		const total = 1 + 40 + 40
		var wg sync.WaitGroup
		wg.Go(func() {
			for i := range 40 {
				s.SendIn(c.Owner, c.ThreadID, fmt.Sprintf("during %d", i)).OK()
			}
		})
		ws := s.Connect(apptest.TransportWS, c.Visitor.Token)
		ws.Subscribe("1", messageAdded, apptest.Vars{"t": c.ThreadID, "after": 5})
		for want := 6; want <= total; want++ {
			r := ws.Data("1", wait)
			if got := r.Int("messageAdded.seq"); got != want {
				t.Fatalf("want seq %d, got %d (gap or duplicate): %s", want, got, r.Raw)
			}
		}
		wg.Wait()
		if m, ok := ws.TryNext(200 * time.Millisecond); ok {
			t.Fatalf("nothing after the last message, got %+v", m)
		}
	})
}

func TestSubscribersWithoutPermissionGetAnError(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("guarded")
		stranger := s.SignUp("stranger")
		cases := []struct {
			name, token, query string
			vars               apptest.Vars
			code               string
		}{
			{"stranger on a thread", stranger.Token, messageAdded, apptest.Vars{"t": c.ThreadID}, "NOT_FOUND"},
			{"visitor on the inbox", c.Visitor.Token, inboxEvents, apptest.Vars{"p": c.Page.ID}, "FORBIDDEN"},
			{"anonymous notifications", "", notificationAdded, nil, "UNAUTHENTICATED"},
			{"anonymous on a thread", "", messageAdded, apptest.Vars{"t": c.ThreadID}, "UNAUTHENTICATED"},
		}
		for _, proto := range []string{apptest.TransportWS, apptest.LegacyWS} {
			for _, tc := range cases {
				t.Run(tc.name+" over "+proto, func(t *testing.T) {
					ws := s.Connect(proto, tc.token)
					defer ws.Close()
					ws.Subscribe("x", tc.query, tc.vars)
					m := ws.Next(wait)
					var code string
					switch m.Type {
					case "error":
						code = m.Errors()[0].Code()
					case "next", "data": // errors in a result payload
						code = ws.DataFrom(m).Code()
					}
					if code != tc.code {
						t.Errorf("want %s, got %s %s", tc.code, m.Type, m.Payload)
					}
				})
			}
		}
	})
}

func TestInboxEventsReachStaff(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "inbox")
		ws := s.Connect(apptest.TransportWS, owner.Token)
		ws.Subscribe("i", inboxEvents, apptest.Vars{"p": page.ID})
		s.WaitSubscribers(1)

		visitor := s.SignUp("visitor")
		thread := s.SendToPage(visitor, page, "first!").OK().String("sendMessageToPage.thread.id")
		created := ws.Data("i", wait)
		if created.String("inboxEvent.kind") != "THREAD_CREATED" || created.String("inboxEvent.thread.id") != thread {
			t.Fatalf("want THREAD_CREATED, got %s", created.Raw)
		}
		added := ws.Data("i", wait)
		if added.String("inboxEvent.kind") != "MESSAGE_ADDED" || added.String("inboxEvent.message.body") != "first!" ||
			added.Int("inboxEvent.thread.unreadCount") != 1 {
			t.Fatalf("want MESSAGE_ADDED, got %s", added.Raw)
		}
		s.Do(owner.Token, `mutation($id: ID!) { markThreadRead(input: {threadId: $id}) { thread { id } } }`, apptest.Vars{"id": thread}).OK()
		read := ws.Data("i", wait)
		if read.String("inboxEvent.kind") != "THREAD_READ" || read.Int("inboxEvent.thread.unreadCount") != 0 {
			t.Fatalf("want THREAD_READ, got %s", read.Raw)
		}
	})
}

func TestNotificationAddedIsTheViewersOwn(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("bell")
		ownerWS := s.Connect(apptest.LegacyWS, c.Owner.Token)
		ownerWS.Subscribe("n", notificationAdded, nil)
		visitorWS := s.Connect(apptest.TransportWS, c.Visitor.Token)
		visitorWS.Subscribe("n", notificationAdded, nil)
		s.WaitSubscribers(2)

		s.SendToPage(c.Visitor, c.Page, "ping the staff").OK()
		r := ownerWS.Data("n", wait)
		if r.String("notificationAdded.kind") != "NEW_MESSAGE" || r.String("notificationAdded.message.body") != "ping the staff" {
			t.Fatalf("owner notification: %s", r.Raw)
		}
		s.SendIn(c.Owner, c.ThreadID, "pong").OK()
		r = visitorWS.Data("n", wait)
		if r.String("notificationAdded.kind") != "PAGE_REPLY" || r.String("notificationAdded.thread.id") != c.ThreadID {
			t.Fatalf("visitor notification: %s", r.Raw)
		}
		// Nobody receives someone else's notifications.
		if m, ok := ownerWS.TryNext(200 * time.Millisecond); ok {
			t.Fatalf("the owner got the visitor's notification: %+v", m)
		}
	})
}

func TestLogOutEndsSubscriptions(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("revoke")
		ws := s.Connect(apptest.TransportWS, c.Visitor.Token)
		ws.Subscribe("m", messageAdded, apptest.Vars{"t": c.ThreadID})
		s.WaitSubscribers(1)
		s.Do(c.Visitor.Token, `mutation { logOut }`, nil).OK()
		m := ws.Next(wait)
		if m.Type != "error" || m.Errors()[0].Code() != "UNAUTHENTICATED" {
			t.Fatalf("want an UNAUTHENTICATED error ending the stream, got %s %s", m.Type, m.Payload)
		}
		// New operations on the socket are refused too.
		ws.Subscribe("again", messageAdded, apptest.Vars{"t": c.ThreadID})
		m = ws.Next(wait)
		if code := codeOf(ws, m); code != "UNAUTHENTICATED" {
			t.Fatalf("operation after logOut: %s %s", m.Type, m.Payload)
		}
	})
}

func codeOf(ws *apptest.WS, m apptest.WSMessage) string {
	if m.Type == "error" {
		return m.Errors()[0].Code()
	}
	return ws.DataFrom(m).Code()
}

func TestServerSentEvents(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("sse")
		st := s.SSE(c.Visitor.Token, messageAdded, apptest.Vars{"t": c.ThreadID, "after": 0})
		if r := st.Next(wait); r.Int("messageAdded.seq") != 1 {
			t.Fatalf("replay over SSE: %s", r.Raw)
		}
		s.SendIn(c.Owner, c.ThreadID, "over sse").OK()
		if r := st.Next(wait); r.String("messageAdded.body") != "over sse" {
			t.Fatalf("live over SSE: %s", r.Raw)
		}
		st.Close()
		// Without permission the stream answers with an error.
		stranger := s.SignUp("stranger")
		if r := s.SSE(stranger.Token, messageAdded, apptest.Vars{"t": c.ThreadID}).Next(wait); r.Code() != "NOT_FOUND" {
			t.Fatalf("stranger over SSE: %s", r.Raw)
		}
	})
}

func TestWebsocketHandshakeRules(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithAPI(func(c *api.Config) { c.KeepAlive = 100 * time.Millisecond }))
		u := s.SignUp("u")
		for _, proto := range []string{apptest.TransportWS, apptest.LegacyWS} {
			// No connection_init within 3 s: closed with 4408.
			silent := s.DialWS(proto)
			silent.Start()
			start := time.Now()
			select {
			case code := <-silent.Closed:
				if code != 4408 {
					t.Errorf("%s: want close 4408, got %d", proto, code)
				}
				if d := time.Since(start); d < 2500*time.Millisecond || d > 4500*time.Millisecond {
					t.Errorf("%s: closed after %s, want about 3 s", proto, d)
				}
			case <-time.After(6 * time.Second):
				t.Errorf("%s: socket without connection_init was not closed", proto)
			}
			// A bad token in connection_init: 4403.
			bad := s.DialWS(proto)
			bad.Start()
			bad.Init("pis_wrong")
			select {
			case code := <-bad.Closed:
				if code != 4403 {
					t.Errorf("%s: bad token: want close 4403, got %d", proto, code)
				}
			case <-time.After(wait):
				t.Errorf("%s: bad token: socket not closed", proto)
			}
		}
		// The server pings (graphql-transport-ws) and a client answering
		// pongs stays connected.
		ws := s.DialWS(apptest.TransportWS)
		ws.Init(u.Token)
		pings := 0
		deadline := time.Now().Add(2 * time.Second)
		for pings < 3 && time.Now().Before(deadline) {
			m := ws.RawNext(t, time.Second)
			switch m.Type {
			case "ping":
				pings++
				ws.Pong()
			}
		}
		if pings < 3 {
			t.Fatalf("want server pings, got %d", pings)
		}
		_ = ws.Conn.Close(websocket.StatusNormalClosure, "")
	})
}
