package api

// connection_init: the handshake that authenticates a socket.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"

	"pageinbox/internal/apierr"
)

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
		c.refuseInit(err)
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

// refuseInit closes a socket whose connection_init failed. A refused token
// is 4403 with the reason; an outage is 1013 (try again later), which
// graphql-ws and subscriptions-transport-ws retry, where 4403 makes apps
// sign the user out; anything else is 1011 with a generic reason, the
// cause only in the log.
func (c *wsConn) refuseInit(err error) {
	code, reason := websocket.StatusCode(closeForbidden), ""
	var ae *apierr.Error
	switch coded := classify(err); {
	case apierr.Has(coded, apierr.Unavailable):
		code, reason = closeTryAgainLater, "service unavailable, try again later"
		c.owner.log.Warn("websocket: connection_init during an outage", "err", err)
	case errors.As(coded, &ae):
		reason = ae.Message
	default:
		code, reason = closeInternal, "internal error"
		c.owner.log.Error("websocket: connection_init failed", "err", err)
	}
	if c.legacy() {
		c.writeError("connection_error", "", reason)
	}
	c.close(code, truncate(reason))
}
