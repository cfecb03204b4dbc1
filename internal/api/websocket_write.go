package api

// Writing to a socket: messages built in pooled frame buffers, results
// encoded without re-encoding rendered data.

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// write sends one message. A failed write ends the connection.
func (c *wsConn) write(m wsMessage) {
	b, err := json.Marshal(m)
	if err != nil {
		c.owner.log.Error("websocket: encode message", "err", err)
		return
	}
	buf := c.owner.frame()
	c.send(buf, append((*buf)[:frameRoom], b...))
}

// send writes a frame built in buf (frameRoom bytes of room, then the
// message) and recycles buf. A failed write ends the connection.
func (c *wsConn) send(buf *[]byte, frame []byte) bool {
	if c.isClosed() {
		c.owner.recycle(buf, frame)
		return false
	}
	err := c.conn.text(frame) // the socket has taken frame when it returns
	c.owner.recycle(buf, frame)
	switch {
	case err == nil:
		return true
	case errors.Is(err, errShut): // closing by the handshake already
		return false
	default:
		c.abort()
		return false
	}
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
	buf := c.owner.frame()
	b := (*buf)[:frameRoom]
	if plain(r) {
		// The common case, without re-encoding the rendered data.
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
			c.owner.recycle(buf, b)
			c.owner.log.Error("websocket: encode result", "err", err)
			return false
		}
		m, _ := json.Marshal(wsMessage{Type: typ, ID: id, Payload: payload})
		b = append(b, m...)
	}
	return c.send(buf, b)
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
	buf := c.owner.frame()
	b := (*buf)[:frameRoom]
	b = append(b, `{"type":"`...)
	b = append(b, typ...)
	b = append(b, `","id":`...)
	b = strconv.AppendQuote(b, id)
	b = append(b, `,"payload":`...)
	b = append(b, payload...)
	b = append(b, '}')
	return c.send(buf, b)
}

// frame returns a buffer for one outgoing frame.
func (w *websockets) frame() *[]byte {
	if b, ok := w.frames.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, 512)
	return &b
}

// maxPooledFrame: a buffer grown past it by one large message is left to
// the GC rather than kept for small ones.
const maxPooledFrame = 16 << 10

func (w *websockets) recycle(buf *[]byte, b []byte) {
	if cap(b) > maxPooledFrame {
		return
	}
	*buf = b[:0]
	w.frames.Put(buf)
}

// errors ends an operation with errors (a list, on both protocols, as
// gqlgen sends them).
func (c *wsConn) errors(id string, errs []*gqlerror.Error) {
	payload, _ := json.Marshal(errs)
	c.write(wsMessage{Type: "error", ID: id, Payload: payload})
}

func (c *wsConn) complete(id string) { c.write(wsMessage{Type: "complete", ID: id}) }
