package api

// Keep-alives and the write timeout for every socket, from one goroutine.

import "time"

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
			if since := c.conn.writing.Load(); since != 0 && now.Sub(time.Unix(0, since)) > w.writeTimeout {
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

// keepalive sends the protocol's keep-alive; a graphql-transport-ws
// client that did not answer the previous ping within the interval is
// gone (the same rule as gqlgen's: two intervals without a pong).
func (c *wsConn) keepalive() {
	if c.legacy() {
		c.write(wsMessage{Type: "ka"})
		return
	}
	if c.awaiting.Swap(true) {
		// 1001, not 1002: graphql-ws treats 1002 as fatal, and a client
		// that missed pings (a phone waking up) should reconnect.
		c.close(closeGoingAway, "no pong in time")
		return
	}
	c.write(wsMessage{Type: "ping"})
}
