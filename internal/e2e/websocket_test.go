package e2e

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"pageinbox/internal/apptest"
)

// TestWebsocketProtocolErrorsCloseWithTheirCodes is the graphql-ws
// (graphql-transport-ws) protocol's close codes, which its clients act on.
func TestWebsocketProtocolErrorsCloseWithTheirCodes(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	u := s.SignUp("u")
	closed := func(name string, ws *apptest.WS, want websocket.StatusCode) {
		t.Helper()
		select {
		case code := <-ws.Closed:
			if code != want {
				t.Errorf("%s: closed with %d, want %d", name, code, want)
			}
		case <-time.After(wait):
			t.Errorf("%s: not closed", name)
		}
	}

	early := s.DialWS(apptest.TransportWS)
	early.Start()
	early.Subscribe("1", `subscription { notificationAdded { id } }`, nil)
	closed("subscribe before connection_ack", early, 4401)

	twice := s.Connect(apptest.TransportWS, u.Token)
	twice.Init(u.Token)
	closed("a second connection_init", twice, 4429)

	dup := s.Connect(apptest.TransportWS, u.Token)
	dup.Subscribe("same", `subscription { notificationAdded { id } }`, nil)
	dup.Subscribe("same", `subscription { notificationAdded { id } }`, nil)
	closed("an operation id already in use", dup, 4409)

	garbage := s.Connect(apptest.TransportWS, u.Token)
	_ = garbage.Conn.Write(t.Context(), websocket.MessageText, []byte(`{not json`))
	closed("a message that is not JSON", garbage, 4400)
}

// TestConnectionInitSentWithTheUpgradeIsNotLost: a client may send
// connection_init in the same packet as its upgrade request; the server
// must read it from what the HTTP server had already buffered.
func TestConnectionInitSentWithTheUpgradeIsNotLost(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	u := s.SignUp("u")
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.HTTP.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	init, _ := json.Marshal(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": "Bearer " + u.Token}})
	req := "GET /query HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
	// One write: the request and the first (masked) frame.
	frame := []byte{0x81, 0x80 | byte(len(init)), 1, 2, 3, 4}
	for i, b := range init {
		frame = append(frame, b^[]byte{1, 2, 3, 4}[i%4])
	}
	if _, err := conn.Write(append([]byte(req), frame...)); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(wait))
	br := bufio.NewReader(conn)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("upgrade response: %v", err)
		}
		if line == "\r\n" {
			break
		}
	}
	h := make([]byte, 2)
	if _, err := br.Read(h[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := br.Read(h[1:]); err != nil {
		t.Fatal(err)
	}
	payload := make([]byte, h[1]&0x7f)
	if _, err := io.ReadFull(br, payload); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(payload), `"connection_ack"`) {
		t.Fatalf("want connection_ack, got frame %x %s", h, payload)
	}
}

// TestQueriesAndMutationsOverWebsockets: a socket carries every kind of
// operation (graphql-ws clients may send all of them there): one result,
// then complete; on both protocols; anonymous sockets act anonymously.
func TestQueriesAndMutationsOverWebsockets(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("wsops")
		for _, proto := range []string{apptest.TransportWS, apptest.LegacyWS} {
			ws := s.Connect(proto, c.Owner.Token)
			ws.Subscribe("q", `query { viewer { handle } }`, nil)
			if r := ws.Data("q", wait); r.String("viewer.handle") != c.Owner.Handle {
				t.Fatalf("%s query: %s", proto, r.Raw)
			}
			if m := ws.NextFor("q", wait); m.Type != "complete" {
				t.Fatalf("%s: want complete after the query, got %s", proto, m.Type)
			}
			ws.Subscribe("m", `mutation($t: ID!) { sendMessage(input: {threadId: $t, body: "over the socket"}) { message { body senderType } } }`,
				apptest.Vars{"t": c.ThreadID})
			if r := ws.Data("m", wait); r.String("sendMessage.message.senderType") != "PAGE" {
				t.Fatalf("%s mutation: %s", proto, r.Raw)
			}
			// A validation error is reported for the operation only (the
			// contract has no separate code for it).
			ws.Subscribe("bad", `query { nosuchfield }`, nil)
			if m := ws.NextFor("bad", wait); codeOf(ws, m) != "BAD_USER_INPUT" {
				t.Fatalf("%s: invalid query got %s %s", proto, m.Type, m.Payload)
			}
			ws.Close()
		}
		anon := s.Connect(apptest.TransportWS, "")
		anon.Subscribe("v", `query { viewer { id } }`, nil)
		if r := anon.Data("v", wait); !r.Null("viewer") {
			t.Fatalf("anonymous socket: %s", r.Raw)
		}
	})
}
