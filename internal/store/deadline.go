package store

// Deadlines on PostgreSQL connections. lib/pq cannot cancel a query on a
// hung connection: its cancel request goes over a second connection to the
// same hung server, and the first connection's read blocks until the
// kernel gives up (minutes). So every read and write on a connection gets a
// deadline of its own: a database that stops answering fails the query
// (a net timeout, which the API answers as UNAVAILABLE) within that bound,
// and lib/pq discards the connection.

import (
	"context"
	"net"
	"time"
)

// DefaultIOTimeout bounds one read or write on a pooled connection. A
// query whose first result byte takes longer fails: pageinbox has no
// query that should take that long, and an outage must not hold requests
// for minutes.
const DefaultIOTimeout = 10 * time.Second

// deadlineDialer dials connections whose every read and write must finish
// within io (lib/pq's Dialer and DialerContext).
type deadlineDialer struct {
	io time.Duration
	d  net.Dialer
}

func newDeadlineDialer(io time.Duration) *deadlineDialer {
	return &deadlineDialer{io: io, d: net.Dialer{Timeout: io, KeepAlive: 30 * time.Second}}
}

func (d *deadlineDialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

func (d *deadlineDialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), min(timeout, d.io))
	defer cancel()
	return d.DialContext(ctx, network, address)
}

func (d *deadlineDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	c, err := d.d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return &deadlineConn{Conn: c, io: d.io}, nil
}

// deadlineConn sets a fresh deadline before each read and write. An idle
// pooled connection is not reading, so the deadline only ever runs while
// a statement waits for the server.
type deadlineConn struct {
	net.Conn
	io time.Duration
}

func (c *deadlineConn) Read(p []byte) (int, error) {
	if err := c.SetReadDeadline(time.Now().Add(c.io)); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *deadlineConn) Write(p []byte) (int, error) {
	if err := c.SetWriteDeadline(time.Now().Add(c.io)); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}
