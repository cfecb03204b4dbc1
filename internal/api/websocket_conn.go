package api

// One socket and its reader goroutine, the only goroutine it owns.

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/coder/websocket"
)

// wsConn is one websocket.
type wsConn struct {
	owner *websockets
	ws    *websocket.Conn
	conn  *frameConn // the socket under ws: messages are written here
	exec  graphql.GraphExecutor
	proto string
	// closed is set (under mu, which orders it with ops) before the
	// socket's context is cancelled; every write reads it without the
	// lock, and a delivery checks it instead of its operation's context.
	// It sits beside the fields each write reads, in one cache line.
	closed atomic.Bool
	// ctx is the socket's: operations derive from it, and closing the
	// socket cancels it. After connection_init it carries the credentials.
	ctx    context.Context
	cancel context.CancelFunc

	acked    atomic.Bool
	lastPing atomic.Int64 // last keep-alive sent (UnixNano)
	awaiting atomic.Bool  // graphql-transport-ws: a ping awaits its pong
	slot     *socketSlot  // its place in the connection caps (conncaps.go)

	mu  sync.Mutex
	ops map[string]*wsOp
}

// serve reads the connection until it closes.
func (c *wsConn) serve() {
	defer c.close(websocket.StatusNormalClosure, "")
	if !c.handshake() {
		return
	}
	for {
		m, err := c.read()
		if err != nil {
			if !errors.Is(err, errBadMessage) {
				return
			}
			c.protocolError("invalid message")
			return
		}
		switch m.Type {
		case "subscribe", "start":
			if m.Type == "subscribe" == c.legacy() {
				c.protocolError("unexpected message " + m.Type)
				return
			}
			deep(c.owner.log, func() { c.start(m.ID, m.Payload) })
		case "complete", "stop":
			if m.Type == "complete" == c.legacy() {
				c.protocolError("unexpected message " + m.Type)
				return
			}
			c.stop(m.ID)
		case "ping":
			if !c.legacy() {
				c.write(wsMessage{Type: "pong", Payload: m.Payload})
			}
		case "pong":
			c.awaiting.Store(false)
		case "connection_init":
			if c.legacy() {
				continue // harmless repetition
			}
			c.close(closeTooManyInits, "Too many initialisation requests")
			return
		case "connection_terminate":
			return
		case "ka":
		default:
			c.protocolError("unexpected message " + m.Type)
			return
		}
	}
}

// deep runs f on a short-lived goroutine and waits for it. The reader
// goroutine lives as long as its socket, and a goroutine's stack keeps the
// size of its deepest call: authenticating and starting operations
// (validation, the resolver's queries) there would leave every idle
// socket holding a large stack. Order is kept: the reader waits.
func deep(log *slog.Logger, f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				log.Error("websocket: panic", "panic", r)
			}
		}()
		f()
	}()
	<-done
}

func (c *wsConn) isClosed() bool { return c.closed.Load() }
