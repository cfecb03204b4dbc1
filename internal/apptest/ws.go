package apptest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// Websocket subprotocols.
const (
	TransportWS = "graphql-transport-ws" // graphql-ws clients
	LegacyWS    = "graphql-ws"           // subscriptions-transport-ws clients
)

// WS is a GraphQL websocket client speaking either subprotocol. It answers
// server pings itself, like real clients do.
type WS struct {
	t     testing.TB
	Conn  *websocket.Conn
	proto string
	in    chan WSMessage
	// Closed receives the close status when the server closes the socket.
	Closed chan websocket.StatusCode
	// pending keeps messages of other operations read while Data waited
	// for one operation's.
	pending map[string][]WSMessage
}

// WSMessage is one protocol message.
type WSMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// DialWS connects without sending connection_init.
func (s *Server) DialWS(proto string) *WS {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(s.URL, "http")
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{proto}}) //nolint:bodyclose // the websocket owns the connection
	if err != nil {
		s.t.Fatalf("dial websocket: %v", err)
	}
	c.SetReadLimit(16 << 20)
	w := &WS{t: s.t, Conn: c, proto: proto, in: make(chan WSMessage, 4096), Closed: make(chan websocket.StatusCode, 1),
		pending: map[string][]WSMessage{}}
	s.t.Cleanup(func() { _ = c.CloseNow() })
	return w
}

// Connect dials, sends connection_init with the token and waits for the ack.
func (s *Server) Connect(proto, token string) *WS {
	s.t.Helper()
	w := s.DialWS(proto)
	w.Start()
	w.Init(token)
	if m := w.Next(5 * time.Second); m.Type != "connection_ack" {
		s.t.Fatalf("want connection_ack, got %+v", m)
	}
	return w
}

// Init sends connection_init.
func (w *WS) Init(token string) {
	payload := map[string]any{}
	if token != "" {
		payload["authorization"] = "Bearer " + token
	}
	w.write(map[string]any{"type": "connection_init", "payload": payload})
}

// Start runs the reader; tests of slow consumers do not call it.
func (w *WS) Start() {
	go func() {
		defer close(w.in)
		for {
			_, data, err := w.Conn.Read(context.Background())
			if err != nil {
				w.Closed <- websocket.CloseStatus(err)
				return
			}
			var m WSMessage
			if json.Unmarshal(data, &m) != nil {
				continue
			}
			switch m.Type {
			case "ping":
				w.write(map[string]any{"type": "pong"})
				continue
			case "ka", "pong":
				continue
			}
			w.in <- m
		}
	}()
}

func (w *WS) write(v any) {
	data, _ := json.Marshal(v)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = w.Conn.Write(ctx, websocket.MessageText, data)
}

// Subscribe starts an operation.
func (w *WS) Subscribe(id, query string, vars Vars) {
	typ := "subscribe"
	if w.proto == LegacyWS {
		typ = "start"
	}
	w.write(map[string]any{"type": typ, "id": id, "payload": map[string]any{"query": query, "variables": vars}})
}

// Stop ends an operation.
func (w *WS) Stop(id string) {
	typ := "complete"
	if w.proto == LegacyWS {
		typ = "stop"
	}
	w.write(map[string]any{"type": typ, "id": id})
}

// Next returns the next message, failing the test after timeout.
func (w *WS) Next(timeout time.Duration) WSMessage {
	w.t.Helper()
	select {
	case m, ok := <-w.in:
		if !ok {
			w.t.Fatalf("websocket closed while waiting for a message")
		}
		return m
	case <-time.After(timeout):
		w.t.Fatalf("no websocket message within %s", timeout)
	}
	return WSMessage{}
}

// TryNext returns the next message or false after timeout.
func (w *WS) TryNext(timeout time.Duration) (WSMessage, bool) {
	select {
	case m, ok := <-w.in:
		return m, ok
	case <-time.After(timeout):
		return WSMessage{}, false
	}
}

// Data returns the next data message of operation id, decoded; it fails on
// an error or completion. Messages of other operations that arrive first
// are kept for their own Data calls.
func (w *WS) Data(id string, timeout time.Duration) *Response {
	w.t.Helper()
	m := w.NextFor(id, timeout)
	if m.Type != "next" && m.Type != "data" {
		w.t.Fatalf("want data for %s, got %s: %s", id, m.Type, m.Payload)
	}
	return w.DataFrom(m)
}

// NextFor returns the next message of operation id.
func (w *WS) NextFor(id string, timeout time.Duration) WSMessage {
	w.t.Helper()
	if q := w.pending[id]; len(q) > 0 {
		w.pending[id] = q[1:]
		return q[0]
	}
	deadline := time.Now().Add(timeout)
	for {
		m := w.Next(time.Until(deadline))
		if m.ID == id {
			return m
		}
		w.pending[m.ID] = append(w.pending[m.ID], m)
	}
}

// Errors decodes the payload of an "error" message.
func (m WSMessage) Errors() []Error {
	var errs []Error
	if json.Unmarshal(m.Payload, &errs) == nil {
		return errs
	}
	var one Error // legacy protocol sends one object
	_ = json.Unmarshal(m.Payload, &one)
	return []Error{one}
}

// Close closes the socket normally.
func (w *WS) Close() { _ = w.Conn.Close(websocket.StatusNormalClosure, "") }

// DataFrom decodes a data message's payload.
func (w *WS) DataFrom(m WSMessage) *Response {
	r := &Response{t: w.t, Raw: m.Payload}
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []Error        `json:"errors"`
	}
	_ = json.Unmarshal(m.Payload, &out)
	r.Data, r.Errors = out.Data, out.Errors
	return r
}

// RawNext reads one message straight from the socket, pings included
// (only for a WS whose reader was not started).
func (w *WS) RawNext(t testing.TB, timeout time.Duration) WSMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_, data, err := w.Conn.Read(ctx)
	if err != nil {
		t.Fatalf("read websocket: %v", err)
	}
	var m WSMessage
	_ = json.Unmarshal(data, &m)
	return m
}

// Pong answers a ping.
func (w *WS) Pong() { w.write(map[string]any{"type": "pong"}) }
