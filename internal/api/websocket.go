package api

// The websocket transport, one concept per file (the way gqlgen splits
// graphql/handler/transport):
//
//	websocket.go              the registry: upgrade, open sockets, shutdown
//	websocket_buffers.go      small per-socket read and write buffers
//	websocket_watch.go        keep-alives and the write timeout, one goroutine for all
//	websocket_subprotocol.go  the two subprotocols: message shape, close codes, decoding
//	websocket_conn.go         one socket: its reader loop
//	websocket_init.go         connection_init and authentication
//	websocket_close.go        ending a socket: close handshake, abort, protocol errors
//	websocket_write.go        encoding and writing results
//	websocket_frame.go        writing a message frame beside the library
//	websocket_operation.go    one operation: start, stop, completion
//	websocket_sink.go         a subscription its producer drives (push.Sink)
//	share.go                  one rendering shared by subscribers of an event

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
)

// websockets is pageinbox's GraphQL-over-websocket transport, in place of
// gqlgen's transport.Websocket; it speaks the same two subprotocols with
// gqlgen's executor. Why our own: gqlgen's keeps four goroutines per
// connection (reader, closer, pinger, and one per subscription waiting on
// the resolver's channel), which at 10,000 idle subscribers is most of the
// server's memory and a goroutine hand-off per event. Here a connection
// owns one reader goroutine; keep-alives and the write timeout are one
// goroutine for all connections; and a subscription whose producer
// supports it (internal/push, internal/live) owns no goroutine: the
// producer renders and writes each event as it comes.
//
// It also keeps what the stock transport lacked: a write deadline (a
// client that stops reading is disconnected instead of pinning a writer),
// the protocol's close codes (4408, 4403, ...), and a registry so shutdown
// closes every socket with 1001.
type websockets struct {
	init         func(ctx context.Context, p transport.InitPayload) (context.Context, error)
	initTimeout  time.Duration
	keepAlive    time.Duration
	writeTimeout time.Duration
	readLimit    int64
	log          *slog.Logger

	shared  sharedFields // fields marked @viewerIndependent (share.go)
	renders renders      // shared subscription renderings (share.go)
	caps    *connCaps    // sockets per person and address (conncaps.go)
	// frames are buffers for outgoing messages (websocket_write.go): a
	// fan-out writes one per subscriber, and allocating each was GC work.
	frames sync.Pool

	mu       sync.Mutex
	conns    map[*wsConn]struct{}
	closed   bool
	watching bool // the keep-alive and write watchdog runs (while any socket is open)
}

func newWebsockets(cfg Config, schema *ast.Schema, init func(context.Context, transport.InitPayload) (context.Context, error)) *websockets {
	return &websockets{
		shared:       sharedFieldsOf(schema),
		init:         init,
		initTimeout:  cfg.InitTimeout,
		keepAlive:    cfg.KeepAlive,
		writeTimeout: cfg.WebsocketWriteTimeout,
		readLimit:    cfg.MaxBodyBytes,
		log:          cfg.Log,
		conns:        make(map[*wsConn]struct{}),
	}
}

var _ graphql.Transport = (*websockets)(nil)

// Supports claims websocket upgrades.
func (w *websockets) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }

// Do upgrades the request and serves the connection on a fresh goroutine;
// the handler returns at once, so the HTTP server's goroutine and its deep
// stack do not stay behind for the life of the socket.
func (w *websockets) Do(rw http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	slot, refused := w.caps.admitSocket(r)
	if refused != nil {
		refuseSocket(rw, refused)
		return
	}
	conn := &frameConn{}
	ws, err := websocket.Accept(smallBuffers{ResponseWriter: rw, conn: conn}, r, &websocket.AcceptOptions{
		Subprotocols: []string{protoTransportWS, protoLegacyWS},
		// Any origin may connect: credentials travel in connection_init,
		// never in cookies, so a foreign page cannot ride a user's session.
		InsecureSkipVerify: true,
	})
	if err != nil {
		slot.leave()
		return // Accept answered the request
	}
	if w.readLimit > 0 {
		ws.SetReadLimit(w.readLimit)
	}
	c := &wsConn{owner: w, ws: ws, conn: conn, exec: exec, proto: ws.Subprotocol(), ops: map[string]*wsOp{}, slot: slot}
	if c.proto == "" {
		c.proto = protoLegacyWS
	}
	// The request's context ends when the handler returns; the socket's
	// lives on with its values.
	c.ctx, c.cancel = context.WithCancel(context.WithoutCancel(r.Context()))
	if !w.add(c) {
		slot.leave()
		_ = ws.Close(closeGoingAway, "server is shutting down")
		return
	}
	go c.serve()
}

func (w *websockets) add(c *wsConn) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false
	}
	w.conns[c] = struct{}{}
	if !w.watching {
		w.watching = true
		go w.watch()
	}
	return true
}

func (w *websockets) forget(c *wsConn) {
	w.mu.Lock()
	delete(w.conns, c)
	w.mu.Unlock()
	c.slot.leave()
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
	for _, c := range conns {
		c.close(closeGoingAway, "server is shutting down")
	}
}

// Open returns the number of open websockets.
func (w *websockets) Open() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.conns)
}
