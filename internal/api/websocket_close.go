package api

// Ending a socket: once, with the protocol's close code.

import "github.com/coder/websocket"

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
	if c.closed.Load() {
		c.mu.Unlock()
		return
	}
	c.closed.Store(true)
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
	if c.closed.Load() {
		c.mu.Unlock()
		_ = c.ws.CloseNow() // a handshake may be waiting on a stuck write
		return
	}
	c.closed.Store(true)
	c.mu.Unlock()
	c.owner.forget(c)
	c.cancel()
	_ = c.ws.CloseNow()
}

// truncate keeps a close reason under the protocol's 123 bytes.
func truncate(s string) string {
	if len(s) > 120 {
		return s[:120]
	}
	return s
}
