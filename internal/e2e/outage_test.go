package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
	// stalled, while closed... is open: forwarding stops without closing
	// anything, as when a database hangs.
	gate chan struct{}
}

func newDBProxy(t *testing.T, target string) *dbProxy {
	p := &dbProxy{t: t, target: target, gate: make(chan struct{})}
	close(p.gate)
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
			go func() { _, _ = io.Copy(up, p.gated(c)); _ = up.Close() }()
			go func() { _, _ = io.Copy(c, p.gated(up)); _ = c.Close() }()
		}
	}()
}

// gated reads from c, holding each chunk while the proxy is stalled.
func (p *dbProxy) gated(c net.Conn) io.Reader {
	return readerFunc(func(b []byte) (int, error) {
		n, err := c.Read(b)
		p.mu.Lock()
		gate := p.gate
		p.mu.Unlock()
		<-gate
		return n, err
	})
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(b []byte) (int, error) { return f(b) }

// stall stops forwarding without closing anything: connections (new ones
// too) stay open and nothing answers.
func (p *dbProxy) stall() {
	p.mu.Lock()
	p.gate = make(chan struct{})
	p.mu.Unlock()
}

// resume forwards again.
func (p *dbProxy) resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.gate:
	default:
		close(p.gate)
	}
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

// TestDatabaseStall: while the database hangs (connections open, nothing
// answers), /readyz answers 503 within 2 s, a GraphQL request fails fast
// with UNAVAILABLE (bounded by the connections' I/O deadline, not by the
// kernel's minutes), /livez stays 200; once the database answers again,
// /readyz is 200 and requests succeed.
func TestDatabaseStall(t *testing.T) {
	direct := apptest.DatabaseURL(t, apptest.Postgres)
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newDBProxy(t, u.Host)
	u.Host = proxy.addr
	s := apptest.StartOn(t, apptest.Postgres, u.String(), t.TempDir(), apptest.WithDBTimeout(time.Second))
	user := s.SignUp("stall")
	s.Do(user.Token, `{ viewer { id } }`, nil).OK()
	probe := func(path string) (int, time.Duration) {
		start := time.Now()
		res, err := http.Get(s.HTTP.URL + path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		_ = res.Body.Close()
		return res.StatusCode, time.Since(start)
	}
	if code, _ := probe("/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz before the stall: %d", code)
	}

	proxy.stall()
	t.Cleanup(proxy.resume) // before the server closes
	for range 2 {           // the pooled connection, then a fresh one
		if code, took := probe("/readyz"); code != http.StatusServiceUnavailable || took > 2*time.Second {
			t.Fatalf("/readyz while the database hangs: %d after %v", code, took)
		}
	}
	if code, _ := probe("/livez"); code != http.StatusOK {
		t.Fatalf("/livez while the database hangs: %d", code)
	}
	start := time.Now()
	r := s.Do(user.Token, `{ viewer { id } }`, nil)
	if took := time.Since(start); r.Status != http.StatusServiceUnavailable || r.Code() != "UNAVAILABLE" || took > 5*time.Second {
		t.Fatalf("a request while the database hangs: %d %s after %v", r.Status, r.Raw, took)
	}

	proxy.resume()
	apptest.Eventually(t, 10*time.Second, func() error {
		if code, _ := probe("/readyz"); code != http.StatusOK {
			return fmt.Errorf("/readyz answers %d", code)
		}
		return nil
	})
	s.Do(user.Token, `{ viewer { id } }`, nil).OK()
}
