package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
)

// Close codes of the graphql-ws protocols and RFC 6455 that gqlgen's
// transport does not pick itself.
const (
	closeGoingAway        = 1001 // server shutting down: reconnect and resume
	closeInitTimeout      = 4408 // graphql-transport-ws: no connection_init in time
	closeForbidden        = 4403 // graphql-transport-ws: connection_init refused
	gqlgenInitTimeoutText = "connection initialisation timeout"
)

// websockets accepts websocket connections for gqlgen on top of
// github.com/coder/websocket, adding what the stock adapter lacks: a write
// deadline (a client that stops reading is disconnected instead of pinning
// a writer forever), the 4408 close code for a missing connection_init, and
// a registry so shutdown can close every socket with 1001.
type websockets struct {
	writeTimeout time.Duration

	mu       sync.Mutex
	conns    map[*wsConn]struct{}
	closed   bool
	watching bool // the write watchdog runs (while any socket is open)
}

func newWebsockets(writeTimeout time.Duration) *websockets {
	return &websockets{writeTimeout: writeTimeout, conns: make(map[*wsConn]struct{})}
}

// Accept upgrades the request.
func (w *websockets) Accept(rw http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	for k, vs := range opts.ResponseHeader {
		for _, v := range vs {
			rw.Header().Add(k, v)
		}
	}
	c, err := websocket.Accept(rw, r, &websocket.AcceptOptions{
		Subprotocols: opts.Subprotocols,
		// Any origin may connect: credentials travel in connection_init,
		// never in cookies, so a foreign page cannot ride a user's session.
		InsecureSkipVerify: true,
	})
	if err != nil {
		return nil, err
	}
	conn := &wsConn{conn: c, owner: w}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		_ = c.Close(closeGoingAway, "server is shutting down")
		return nil, http.ErrServerClosed
	}
	w.conns[conn] = struct{}{}
	if !w.watching {
		w.watching = true
		go w.watch()
	}
	w.mu.Unlock()
	return conn, nil
}

// watch enforces the write timeout for every socket from one goroutine.
// Why not a deadline per write: a context with a timeout costs a timer
// and two allocations per message, which at 10,000 subscribers of one
// event is measurable; a write stuck longer than the timeout is rare and
// a few hundred milliseconds late to be noticed is fine. The watchdog
// stops when the last socket closes.
func (w *websockets) watch() {
	tick := time.NewTicker(max(w.writeTimeout/8, 50*time.Millisecond))
	defer tick.Stop()
	var stuck []*wsConn
	for range tick.C {
		now := time.Now().UnixNano()
		w.mu.Lock()
		if len(w.conns) == 0 {
			w.watching = false
			w.mu.Unlock()
			return
		}
		for c := range w.conns {
			if since := c.writing.Load(); since != 0 && time.Duration(now-since) > w.writeTimeout {
				stuck = append(stuck, c)
			}
		}
		w.mu.Unlock()
		for _, c := range stuck {
			// The client stopped reading: drop it (the blocked write
			// returns an error and gqlgen ends the connection).
			_ = c.conn.CloseNow()
		}
		stuck = stuck[:0]
	}
}

// Shutdown closes every open websocket with 1001 (going away), so clients
// reconnect - to another replica - and resume from their last seq.
func (w *websockets) Shutdown() {
	w.mu.Lock()
	w.closed = true
	conns := make([]*wsConn, 0, len(w.conns))
	for c := range w.conns {
		conns = append(conns, c)
	}
	w.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Go(func() { _ = c.conn.Close(closeGoingAway, "server is shutting down") })
	}
	wg.Wait()
}

// Open returns the number of open websockets.
func (w *websockets) Open() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.conns)
}

func (w *websockets) forget(c *wsConn) {
	w.mu.Lock()
	delete(w.conns, c)
	w.mu.Unlock()
}

type wsConn struct {
	conn  *websocket.Conn
	owner *websockets

	// writing is when the current write started (UnixNano), 0 if none.
	writing atomic.Int64

	mu            sync.Mutex
	readDeadline  *time.Timer
	closing       bool
	forgottenOnce sync.Once
}

var (
	_ transport.WebsocketConn          = (*wsConn)(nil)
	_ transport.WebsocketReadLimiter   = (*wsConn)(nil)
	_ transport.WebsocketReadDeadliner = (*wsConn)(nil)
)

func (c *wsConn) forget() { c.forgottenOnce.Do(func() { c.owner.forget(c) }) }

func (c *wsConn) NextReader() (int, io.Reader, error) {
	typ, data, err := c.conn.Read(context.Background())
	if err != nil {
		c.forget()
		switch websocket.CloseStatus(err) {
		case websocket.StatusNormalClosure, websocket.StatusNoStatusRcvd, websocket.StatusGoingAway:
			return int(typ), nil, transport.ErrWebsocketClosed
		}
		return int(typ), nil, err
	}
	return int(typ), bytes.NewReader(data), nil
}

// WriteJSON writes one message; the watchdog closes the connection when
// the write takes longer than the write timeout.
func (c *wsConn) WriteJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.writing.Store(time.Now().UnixNano())
	err = c.conn.Write(context.Background(), websocket.MessageText, data)
	c.writing.Store(0)
	return err
}

// WriteClose starts the close handshake in the background (coder/websocket
// waits up to 5 s for the peer's close frame).
func (c *wsConn) WriteClose(code int, message string) error {
	if code == transport.WebsocketCloseProtocolError && message == gqlgenInitTimeoutText {
		code = closeInitTimeout
	}
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return nil
	}
	c.closing = true
	c.stopDeadlineLocked()
	c.mu.Unlock()
	c.forget()
	go func() { _ = c.conn.Close(websocket.StatusCode(code), message) }()
	return nil
}

func (c *wsConn) Close() error {
	c.forget()
	c.mu.Lock()
	closing := c.closing
	c.stopDeadlineLocked()
	c.mu.Unlock()
	if closing {
		return nil // the close handshake owns the connection
	}
	return c.conn.CloseNow()
}

func (c *wsConn) Subprotocol() string { return c.conn.Subprotocol() }

func (c *wsConn) SetReadLimit(limit int64) { c.conn.SetReadLimit(limit) }

// SetReadDeadline closes the connection when the deadline passes (gqlgen
// uses it to drop clients that stop answering pings).
func (c *wsConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopDeadlineLocked()
	if t.IsZero() {
		return nil
	}
	c.readDeadline = time.AfterFunc(time.Until(t), func() { _ = c.conn.CloseNow() })
	return nil
}

func (c *wsConn) stopDeadlineLocked() {
	if c.readDeadline != nil {
		c.readDeadline.Stop()
		c.readDeadline = nil
	}
}
