package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"pageinbox/internal/api"
	"pageinbox/internal/apptest"
)

// Rule 29: live connections are capped per socket, per person and per
// anonymous address; over a cap the client gets a coded refusal.
func TestLiveConnectionsAreCapped(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithAPI(func(c *api.Config) {
			c.ConnCaps = api.ConnCaps{SubscriptionsPerSocket: 3, OperationsPerSocket: 5, SocketsPerPerson: 2, SocketsPerAddress: 3, StreamsPerPerson: 2}
		}))
		wsURL := "ws" + strings.TrimPrefix(s.URL, "http")

		// Anonymous sockets (not yet initialised, or without a token) of
		// one address: the fourth is refused before the upgrade.
		var anon []*apptest.WS
		for range 3 {
			anon = append(anon, s.DialWS(apptest.TransportWS))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, res, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{Subprotocols: []string{apptest.TransportWS}}) //nolint:bodyclose // the websocket owns the connection
		cancel()
		if err == nil || res == nil || res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("4th anonymous socket: %v %v", res, err)
		}
		body, _ := io.ReadAll(res.Body)
		if !strings.Contains(string(body), "LIMIT_EXCEEDED") {
			t.Fatalf("4th anonymous socket: %s", body)
		}
		// One closes: a new one is accepted.
		anon[0].Close()
		eventually(t, func() bool {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			c, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{Subprotocols: []string{apptest.TransportWS}}) //nolint:bodyclose // the websocket owns the connection
			if err != nil {
				return false
			}
			_ = c.CloseNow()
			return true
		})
		for _, w := range anon[1:] {
			w.Close()
		}

		// Subscriptions per socket, on both protocols.
		conv := s.StartConversation("caps")
		replay := `subscription($t: ID!) { messageAdded(threadId: $t, after: 0) { body } }`
		for _, proto := range []string{apptest.TransportWS, apptest.LegacyWS} {
			w := s.Connect(proto, conv.Visitor.Token)
			for i := range 3 {
				w.Subscribe(fmt.Sprint(i), replay, apptest.Vars{"t": conv.ThreadID})
				if r := w.Data(fmt.Sprint(i), 5*time.Second); r.String("messageAdded.body") != "hello" {
					t.Fatalf("%s: subscription %d: %s", proto, i, r.Raw)
				}
			}
			w.Subscribe("3", replay, apptest.Vars{"t": conv.ThreadID})
			m := w.NextFor("3", 5*time.Second)
			if m.Type != "error" || m.Errors()[0].Code() != "LIMIT_EXCEEDED" {
				t.Fatalf("%s: 4th subscription: %s %s", proto, m.Type, m.Payload)
			}
			// Ending one makes room.
			w.Stop("0")
			eventually(t, func() bool {
				id := fmt.Sprint("again", time.Now().UnixNano())
				w.Subscribe(id, replay, apptest.Vars{"t": conv.ThreadID})
				m := w.NextFor(id, 5*time.Second)
				return m.Type == "next" || m.Type == "data"
			})
			w.Close()
		}

		// Sockets per person: the third is closed with 4429 at
		// connection_init.
		u := s.SignUp("sockets")
		first := s.Connect(apptest.TransportWS, u.Token)
		s.Connect(apptest.LegacyWS, u.Token)
		third := s.DialWS(apptest.TransportWS)
		third.Start()
		third.Init(u.Token)
		select {
		case code := <-third.Closed:
			if code != 4429 {
				t.Fatalf("3rd socket of one person closed with %d", code)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("3rd socket of one person was not closed")
		}
		first.Close()
		eventually(t, func() bool {
			w := s.DialWS(apptest.TransportWS)
			w.Start()
			w.Init(u.Token)
			m, ok := w.TryNext(5 * time.Second)
			return ok && m.Type == "connection_ack"
		})

		// Event streams per person.
		notes := `subscription { notificationAdded { id } }`
		s.SSE(u.Token, notes, nil)
		s.SSE(u.Token, notes, nil)
		q, _ := json.Marshal(map[string]any{"query": notes})
		req, _ := http.NewRequest(http.MethodPost, s.URL, strings.NewReader(string(q)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "text/event-stream")
		req.Header.Set("Authorization", "Bearer "+u.Token)
		if r := s.Send(req); r.Status != http.StatusTooManyRequests || r.Code() != "LIMIT_EXCEEDED" {
			t.Fatalf("3rd event stream: %d %s", r.Status, r.Raw)
		}
	})
}

// eventually polls cond, bounded in tries (server-side cleanup after a
// close is asynchronous).
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	for wait := time.Millisecond; wait < 3*time.Second; wait *= 2 {
		if cond() {
			return
		}
		time.Sleep(wait)
	}
	if !cond() {
		t.Fatal("condition not met in time")
	}
}

// A client that drops its socket with work in flight ends that work
// quietly: logs grow with events, not with what a client abandons (one
// dropped socket once logged 111,370 "context canceled" errors).
func TestDroppedSocketLogsNothing(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		conv := s.StartConversation("dropped")
		for i := range 60 {
			s.SendIn(conv.Visitor, conv.ThreadID, fmt.Sprint("m", i)).OK()
		}
		before := s.LoggedProblems()
		for round := range 3 {
			w := s.Connect(apptest.TransportWS, conv.Owner.Token)
			for i := range 100 {
				w.Subscribe(fmt.Sprint("s", i), `subscription($t: ID!) { messageAdded(threadId: $t, after: 0) { body thread { messages(first: 100) { totalCount } } } }`, apptest.Vars{"t": conv.ThreadID})
			}
			for i := range 20 {
				w.Subscribe(fmt.Sprint("q", i), `query($t: ID!) { node(id: $t) { ... on Thread { messages(first: 100) { edges { node { body sender { name } } } } } } }`, apptest.Vars{"t": conv.ThreadID})
			}
			_ = w.Conn.CloseNow()
			eventually(t, func() bool { return s.Server.OpenWebsockets() == 0 })
			t.Logf("round %d: %d problems logged", round, s.LoggedProblems()-before)
		}
		s.Do(conv.Owner.Token, `{ viewer { id } }`, nil).OK()
		if n := s.LoggedProblems() - before; n != 0 {
			t.Fatalf("dropped sockets logged %d warnings or errors", n)
		}
	})
}
