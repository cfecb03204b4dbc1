package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"pageinbox/internal/api"
	"pageinbox/internal/apptest"
)

// dbProxy forwards TCP to the database until cut: then the database is
// unreachable (connections refused, open ones broken) as in an outage.
type dbProxy struct {
	t      *testing.T
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newDBProxy(t *testing.T, target string) *dbProxy {
	p := &dbProxy{t: t, target: target}
	p.listen("127.0.0.1:0")
	p.addr = p.ln.Addr().String()
	return p
}

func (p *dbProxy) listen(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				_ = c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
			go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
		}
	}()
}

// cut closes the listener and every forwarded connection.
func (p *dbProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.ln.Close()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

// restore listens again on the same address.
func (p *dbProxy) restore() { p.listen(p.addr) }

// TestDatabaseOutage: while the database is unreachable, HTTP answers 503
// with UNAVAILABLE and retryAfterSeconds, and a new websocket is closed
// with 1013 (try again later, which graphql-ws retries) - never 4403,
// never the driver's words.
func TestDatabaseOutage(t *testing.T) {
	direct := apptest.DatabaseURL(t, apptest.Postgres)
	if direct == "" {
		t.Skip("PostgreSQL only: SQLite cannot become unreachable")
	}
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newDBProxy(t, u.Host)
	u.Host = proxy.addr
	s := apptest.StartOn(t, apptest.Postgres, u.String(), t.TempDir())
	user := s.SignUp("outage")
	s.Do(user.Token, `{ viewer { id } }`, nil).OK()

	proxy.cut()
	t.Cleanup(proxy.restore) // before the server closes (cleanups run last first)

	r := s.Do(user.Token, `{ viewer { id } }`, nil)
	if r.Status != http.StatusServiceUnavailable || r.Code() != "UNAVAILABLE" || r.Errors[0].Extensions["retryAfterSeconds"] == nil {
		t.Fatalf("during an outage: %d %s", r.Status, r.Raw)
	}
	for _, leak := range []string{"dial", "tcp", "refused", "pq:"} {
		if bytes.Contains(r.Raw, []byte(leak)) {
			t.Fatalf("the answer leaks %q: %s", leak, r.Raw)
		}
	}

	ws := s.DialWS(apptest.TransportWS)
	ws.Init(user.Token)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, _, err = ws.Conn.Read(ctx)
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != 1013 || strings.Contains(ce.Reason, "dial") {
		t.Fatalf("websocket during an outage: %v", err)
	}
}

// TestSilentClientIsClosedRetryably: a graphql-transport-ws client that
// stops answering pings is closed with 1001, which graphql-ws retries
// (1002 made it give up for good).
func TestSilentClientIsClosedRetryably(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite, apptest.WithAPI(func(c *api.Config) { c.KeepAlive = 50 * time.Millisecond }))
	ws := s.DialWS(apptest.TransportWS) // no reader: nobody answers pings
	ws.Init("")
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for {
		_, msg, err := ws.Conn.Read(ctx)
		if err != nil {
			var ce websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.StatusGoingAway {
				t.Fatalf("a client that does not pong: %v", err)
			}
			return
		}
		if !bytes.Contains(msg, []byte(`"connection_ack"`)) && !bytes.Contains(msg, []byte(`"ping"`)) {
			t.Fatalf("unexpected message %s", msg)
		}
	}
}
