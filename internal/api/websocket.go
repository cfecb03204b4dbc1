package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/push"
)

// Subprotocols and close codes. graphql-transport-ws is the graphql-ws
// library's protocol; graphql-ws is the legacy subscriptions-transport-ws
// one (chosen when a client names none).
const (
	protoTransportWS = "graphql-transport-ws"
	protoLegacyWS    = "graphql-ws"

	closeGoingAway    = 1001 // server shutting down: reconnect and resume
	closeProtocol     = 1002 // legacy protocol: a message it does not allow
	closeBadMessage   = 4400 // graphql-transport-ws: invalid message
	closeUnauthorized = 4401 // graphql-transport-ws: subscribe before connection_ack
	closeForbidden    = 4403 // connection_init refused
	closeInitTimeout  = 4408 // no connection_init in time
	closeDuplicateID  = 4409 // graphql-transport-ws: an operation id already in use
	closeTooManyInits = 4429 // graphql-transport-ws: a second connection_init
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

	renders renders   // shared subscription renderings (share.go)
	caps    *connCaps // sockets per person and address (conncaps.go)

	mu       sync.Mutex
	conns    map[*wsConn]struct{}
	closed   bool
	watching bool // the keep-alive and write watchdog runs (while any socket is open)
}

func newWebsockets(cfg Config, init func(context.Context, transport.InitPayload) (context.Context, error)) *websockets {
	return &websockets{
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
	ws, err := websocket.Accept(smallBuffers{rw}, r, &websocket.AcceptOptions{
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
	c := &wsConn{owner: w, ws: ws, exec: exec, proto: ws.Subprotocol(), ops: map[string]*wsOp{}, slot: slot}
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

// smallBuffers hands the websocket library smaller buffers than the HTTP
// server's 4 KiB reader and writer, which it would otherwise keep for the
// life of every socket. Client messages are small; a 2 KiB writer holds
// a typical event frame whole (one write per frame).
type smallBuffers struct{ http.ResponseWriter }

func (s smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(s.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	// Bytes the HTTP server already read past the upgrade request move
	// into the new reader's buffer, where the library looks for them.
	early, _ := brw.Reader.Peek(brw.Reader.Buffered())
	br := bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(early)), conn), max(512, len(early)))
	if len(early) > 0 {
		if _, err := br.Peek(len(early)); err != nil {
			_ = conn.Close()
			return nil, nil, err
		}
	}
	return conn, bufio.NewReadWriter(br, bufio.NewWriterSize(conn, 2048)), nil
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

// watch sends keep-alives and enforces the write timeout for every socket
// from one goroutine, instead of a pinger goroutine and a timer per write
// for each. A write stuck longer than the timeout means the client stopped
// reading: it is disconnected. It stops when the last socket closes.
func (w *websockets) watch() {
	tick := max(min(w.writeTimeout/8, w.keepAlive/4), 10*time.Millisecond)
	t := time.NewTicker(tick)
	defer t.Stop()
	var stuck, due []*wsConn
	for now := range t.C {
		w.mu.Lock()
		if len(w.conns) == 0 {
			w.watching = false
			w.mu.Unlock()
			return
		}
		for c := range w.conns {
			if since := c.writing.Load(); since != 0 && now.Sub(time.Unix(0, since)) > w.writeTimeout {
				stuck = append(stuck, c)
			} else if w.keepAlive > 0 && c.acked.Load() && now.Sub(time.Unix(0, c.lastPing.Load())) >= w.keepAlive {
				due = append(due, c)
			}
		}
		w.mu.Unlock()
		for _, c := range stuck {
			c.abort()
		}
		for _, c := range due {
			c.lastPing.Store(now.UnixNano())
			go c.keepalive() // a write may block: never on this goroutine
		}
		stuck, due = stuck[:0], due[:0]
	}
}

// wsConn is one websocket.
type wsConn struct {
	owner *websockets
	ws    *websocket.Conn
	exec  graphql.GraphExecutor
	proto string
	// ctx is the socket's: operations derive from it, and closing the
	// socket cancels it. After connection_init it carries the credentials.
	ctx    context.Context
	cancel context.CancelFunc

	wmu      sync.Mutex   // one writer at a time
	writing  atomic.Int64 // when the current write started (UnixNano), 0 if none
	acked    atomic.Bool
	lastPing atomic.Int64 // last keep-alive sent (UnixNano)
	awaiting atomic.Bool  // graphql-transport-ws: a ping awaits its pong
	slot     *socketSlot  // its place in the connection caps (conncaps.go)

	mu     sync.Mutex
	ops    map[string]*wsOp
	closed bool
}

// wsMessage is a protocol message, either way.
type wsMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func (c *wsConn) legacy() bool { return c.proto == protoLegacyWS }

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

var errBadMessage = errors.New("invalid message")

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

// read returns the next message; errBadMessage when it is not one.
func (c *wsConn) read() (wsMessage, error) {
	typ, data, err := c.ws.Read(context.Background())
	if err != nil {
		return wsMessage{}, err
	}
	var m wsMessage
	if typ != websocket.MessageText || json.Unmarshal(data, &m) != nil || m.Type == "" {
		return wsMessage{}, errBadMessage
	}
	return m, nil
}

// handshake waits for connection_init and authenticates it.
func (c *wsConn) handshake() bool {
	var timedOut atomic.Bool
	timer := time.AfterFunc(c.owner.initTimeout, func() {
		timedOut.Store(true)
		c.close(closeInitTimeout, "connection initialisation timeout")
	})
	m, err := c.read()
	if !timer.Stop() || timedOut.Load() {
		return false
	}
	if err != nil {
		if errors.Is(err, errBadMessage) {
			c.protocolError("invalid message")
		}
		return false
	}
	switch m.Type {
	case "connection_init":
	case "connection_terminate":
		return false
	case "subscribe":
		c.close(closeUnauthorized, "Unauthorized")
		return false
	default:
		c.protocolError("unexpected message " + m.Type)
		return false
	}
	var payload transport.InitPayload
	if len(m.Payload) > 0 && !bytes.Equal(m.Payload, []byte("null")) {
		if json.Unmarshal(m.Payload, &payload) != nil {
			c.protocolError("connection_init payload must be an object")
			return false
		}
	}
	var ctx context.Context
	deep(c.owner.log, func() { ctx, err = c.owner.init(c.ctx, payload) })
	if ctx == nil && err == nil {
		err = errors.New("connection_init failed")
	}
	if err != nil {
		if c.legacy() {
			c.writeError("connection_error", "", err.Error())
		}
		c.close(closeForbidden, truncate(err.Error()))
		return false
	}
	if e := c.slot.identify(ctx); e != nil {
		if c.legacy() {
			c.writeError("connection_error", "", e.Message)
		}
		c.close(closeTooManyInits, truncate(e.Message))
		return false
	}
	c.mu.Lock()
	c.ctx = ctx
	c.mu.Unlock()
	c.write(wsMessage{Type: "connection_ack"})
	if c.legacy() {
		c.write(wsMessage{Type: "ka"})
	}
	c.lastPing.Store(time.Now().UnixNano())
	c.acked.Store(true)
	return true
}

// keepalive sends the protocol's keep-alive; a graphql-transport-ws
// client that did not answer the previous ping within the interval is
// gone (the same rule as gqlgen's: two intervals without a pong).
func (c *wsConn) keepalive() {
	if c.legacy() {
		c.write(wsMessage{Type: "ka"})
		return
	}
	if c.awaiting.Swap(true) {
		c.close(closeProtocol, "no pong")
		return
	}
	c.write(wsMessage{Type: "ping"})
}

// protocolError ends the connection for a message the protocol forbids.
func (c *wsConn) protocolError(reason string) {
	if c.legacy() {
		c.writeError("connection_error", "", reason)
		c.close(closeProtocol, reason)
		return
	}
	c.close(closeBadMessage, reason)
}

// close closes the socket once, ending every operation.
func (c *wsConn) close(code websocket.StatusCode, reason string) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.mu.Unlock()
	c.owner.forget(c)
	c.cancel() // every operation's context derives from it
	// The close handshake waits for the peer (up to 5 s): not here.
	go func() { _ = c.ws.Close(code, reason) }()
}

// abort drops the connection at once, without a close handshake: the
// client stopped reading (a write is stuck) or the connection broke.
func (c *wsConn) abort() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		_ = c.ws.CloseNow() // a handshake may be waiting on a stuck write
		return
	}
	c.closed = true
	c.mu.Unlock()
	c.owner.forget(c)
	c.cancel()
	_ = c.ws.CloseNow()
}

func (c *wsConn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// write sends one message. A failed write ends the connection.
func (c *wsConn) write(m wsMessage) {
	b, err := json.Marshal(m)
	if err != nil {
		c.owner.log.Error("websocket: encode message", "err", err)
		return
	}
	c.writeRaw(b)
}

func (c *wsConn) writeRaw(b []byte) bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.isClosed() {
		return false
	}
	c.writing.Store(time.Now().UnixNano())
	err := c.ws.Write(context.Background(), websocket.MessageText, b)
	c.writing.Store(0)
	if err != nil {
		c.abort()
		return false
	}
	return true
}

// writeError sends a legacy connection_error.
func (c *wsConn) writeError(typ, id, message string) {
	b, _ := json.Marshal(&gqlerror.Error{Message: message})
	c.write(wsMessage{Type: typ, ID: id, Payload: b})
}

// next sends one result of an operation.
func (c *wsConn) next(id string, r *graphql.Response) bool {
	typ := "next"
	if c.legacy() {
		typ = "data"
	}
	var b []byte
	if plain(r) {
		// The common case, without re-encoding the rendered data.
		b = make([]byte, 0, len(r.Data)+len(id)+48)
		b = append(b, `{"type":"`...)
		b = append(b, typ...)
		b = append(b, `","id":`...)
		b = strconv.AppendQuote(b, id)
		b = append(b, `,"payload":{"data":`...)
		b = append(b, r.Data...)
		b = append(b, "}}"...)
	} else {
		payload, err := json.Marshal(r)
		if err != nil {
			c.owner.log.Error("websocket: encode result", "err", err)
			return false
		}
		b, _ = json.Marshal(wsMessage{Type: typ, ID: id, Payload: payload})
	}
	return c.writeRaw(b)
}

// plain reports a result that is data alone (gqlgen sets an empty
// extensions map on every response).
func plain(r *graphql.Response) bool {
	return len(r.Errors) == 0 && len(r.Extensions) == 0 && r.Label == "" && r.Path == nil && r.HasNext == nil && len(r.Data) > 0
}

// nextPayload sends a rendered payload ({"data":...}) of an operation.
func (c *wsConn) nextPayload(id string, payload []byte) bool {
	typ := "next"
	if c.legacy() {
		typ = "data"
	}
	b := make([]byte, 0, len(payload)+len(id)+40)
	b = append(b, `{"type":"`...)
	b = append(b, typ...)
	b = append(b, `","id":`...)
	b = strconv.AppendQuote(b, id)
	b = append(b, `,"payload":`...)
	b = append(b, payload...)
	b = append(b, '}')
	return c.writeRaw(b)
}

// errors ends an operation with errors (a list, on both protocols, as
// gqlgen sends them).
func (c *wsConn) errors(id string, errs []*gqlerror.Error) {
	payload, _ := json.Marshal(errs)
	c.write(wsMessage{Type: "error", ID: id, Payload: payload})
}

func (c *wsConn) complete(id string) { c.write(wsMessage{Type: "complete", ID: id}) }

// start runs an operation.
func (c *wsConn) start(id string, payload json.RawMessage) {
	if id == "" {
		c.protocolError("an operation needs an id")
		return
	}
	c.mu.Lock()
	_, dup := c.ops[id]
	base := c.ctx
	c.mu.Unlock()
	if dup {
		if c.legacy() {
			c.errors(id, []*gqlerror.Error{{Message: "an operation with this id is running"}})
			return
		}
		c.close(closeDuplicateID, truncate("Subscriber for "+id+" already exists"))
		return
	}
	started := graphql.Now()
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		c.errors(id, []*gqlerror.Error{{Message: "invalid json"}})
		c.complete(id)
		return
	}
	params.ReadTime = graphql.TraceTiming{Start: started, End: graphql.Now()}
	ctx := graphql.StartOperationTrace(base)
	rc, err := c.exec.CreateOperationContext(ctx, params)
	if err != nil {
		resp := c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), err)
		if errcode.GetErrorKind(err) == errcode.KindProtocol {
			c.errors(id, resp.Errors)
		} else {
			c.next(id, resp) // presented: coded, and capped in number
		}
		c.complete(id)
		return
	}
	release, capped := c.slot.startOperation(rc.Operation.Operation == ast.Subscription)
	if capped != nil {
		c.errors(id, []*gqlerror.Error{codedError(capped)})
		return
	}
	ctx, cancel := context.WithCancel(graphql.WithOperationContext(ctx, rc))
	op := &wsOp{c: c, id: id, cancel: cancel, ready: make(chan struct{}), release: release}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		cancel()
		release()
		return
	}
	c.ops[id] = op
	c.mu.Unlock()

	if rc.Operation.Operation != ast.Subscription {
		go op.run(ctx, rc) // queries and mutations: never on the reader
		return
	}
	ctx = push.NewContext(ctx, op)
	op.ctx = ctx
	func() {
		defer func() {
			if r := recover(); r != nil {
				op.fail(rc.Recover(ctx, r))
			}
		}()
		op.responses, op.ctx = c.exec.DispatchOperation(ctx, rc)
	}()
	close(op.ready)
	if op.responses == nil { // it panicked
		op.cancel() // a producer that attached finishes, and closes
		if !op.attached {
			op.Close()
		}
		return
	}
	if !op.attached {
		// The resolver failed (its error is the one response) or does
		// not drive its stream: wait on it like gqlgen does.
		go op.loop()
	}
}

// stop ends an operation at the client's request.
func (c *wsConn) stop(id string) {
	c.mu.Lock()
	op := c.ops[id]
	c.mu.Unlock()
	if op != nil {
		op.cancel()
		if !op.attached {
			return // its loop ends and completes
		}
		// A driven stream finishes on its producer's goroutine (its
		// context's AfterFunc), which calls Close.
	}
}

// truncate keeps a close reason under the protocol's 123 bytes.
func truncate(s string) string {
	if len(s) > 120 {
		return s[:120]
	}
	return s
}

// wsOp is one running operation; for a subscription it is also the
// push.Sink its producer drives.
type wsOp struct {
	c       *wsConn
	id      string
	cancel  context.CancelFunc
	release func() // uncounts it from the socket's caps
	// ctx is the operation's (as gqlgen's executor returned it): the
	// producer calls Deliver from its own goroutine, without it.
	ctx       context.Context
	responses graphql.ResponseHandler
	ready     chan struct{} // closed once responses is set
	attached  bool          // the producer drives it
	keyed     bool          // share is computed (on the first delivery)
	share     string        // the shared-rendering key; "" renders alone

	mu    sync.Mutex
	errs  []*gqlerror.Error
	ended bool
}

var _ push.Sink = (*wsOp)(nil)

// Attach: the producer drives this subscription (called while
// DispatchOperation runs the resolver, on the same goroutine).
func (o *wsOp) Attach() { o.attached = true }

// Deliver renders v through the executor, or takes the rendering another
// subscriber of the same value and operation made (share.go), and writes
// it.
func (o *wsOp) Deliver(v any, send func()) bool {
	<-o.ready // the first value may come while DispatchOperation returns
	if o.responses == nil || o.ctx.Err() != nil {
		return false
	}
	if !o.keyed {
		o.keyed = true
		o.share = shareKey(o.ctx, o.ctxOperation())
	}
	if o.share == "" || v == nil {
		return o.render(send)
	}
	renders := &o.c.owner.renders
	e, leader := renders.take(renderKey{value: v, key: o.share})
	if !leader {
		select {
		case <-e.done:
		case <-o.ctx.Done():
			return false
		}
		if e.payload != nil {
			renders.reused.Add(1)
			return o.c.nextPayload(o.id, e.payload)
		}
		return o.render(send) // the leader's could not be shared
	}
	var payload []byte
	defer func() { renders.publish(e, payload) }()
	resp := o.execute(send)
	if resp == nil {
		return false
	}
	if plain(resp) {
		// A copy: gqlgen reuses the operation's buffer for its next value.
		payload = append(append(append(make([]byte, 0, len(resp.Data)+9), `{"data":`...), resp.Data...), '}')
		return o.c.nextPayload(o.id, payload)
	}
	return o.c.next(o.id, resp)
}

// render executes and writes one value of this subscriber's own.
func (o *wsOp) render(send func()) bool {
	resp := o.execute(send)
	return resp != nil && o.c.next(o.id, resp)
}

// execute puts the value on the channel and runs the executor on it.
func (o *wsOp) execute(send func()) (resp *graphql.Response) {
	send()
	defer func() {
		if r := recover(); r != nil {
			o.fail(o.ctxOperation().Recover(o.ctx, r))
			resp = nil
		}
	}()
	return o.responses(o.ctx)
}

func (o *wsOp) ctxOperation() *graphql.OperationContext { return graphql.GetOperationContext(o.ctx) }

// Error records an error that ends the subscription.
func (o *wsOp) Error(err *gqlerror.Error) {
	o.mu.Lock()
	o.errs = append(o.errs, err)
	o.mu.Unlock()
}

func (o *wsOp) fail(err error) {
	var ge *gqlerror.Error
	if !errors.As(err, &ge) {
		ge = &gqlerror.Error{Message: fmt.Sprint(err)}
	}
	o.Error(ge)
}

// Close ends the operation: its errors, or complete.
func (o *wsOp) Close() {
	o.mu.Lock()
	if o.ended {
		o.mu.Unlock()
		return
	}
	o.ended = true
	errs := o.errs
	o.mu.Unlock()
	o.release()
	c := o.c
	c.mu.Lock()
	if c.ops[o.id] == o {
		delete(c.ops, o.id)
	}
	c.mu.Unlock()
	o.cancel()
	if c.isClosed() {
		return
	}
	if len(errs) > 0 {
		c.errors(o.id, errs)
		return
	}
	c.complete(o.id)
}

// loop waits on a subscription that its producer does not drive.
func (o *wsOp) loop() {
	defer o.Close()
	defer func() {
		if r := recover(); r != nil {
			o.fail(o.ctxOperation().Recover(o.ctx, r))
		}
	}()
	for {
		resp := o.responses(o.ctx)
		if resp == nil || !o.c.next(o.id, resp) {
			return
		}
	}
}

// run executes a query or mutation (and its deferred parts).
func (o *wsOp) run(ctx context.Context, rc *graphql.OperationContext) {
	defer o.Close()
	defer func() {
		if r := recover(); r != nil {
			o.fail(rc.Recover(ctx, r))
		}
	}()
	responses, ctx := o.c.exec.DispatchOperation(ctx, rc)
	for {
		resp := responses(ctx)
		if resp == nil || !o.c.next(o.id, resp) {
			return
		}
	}
}
