package api

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/internal/apierr"
	"pageinbox/internal/viewer"
)

// ConnCaps cap live connections (rule 29), so one client cannot hold the
// server's memory with thousands of sockets, subscriptions or streams
// (Mattermost and GitHub cap these the same way). 0 turns a cap off.
type ConnCaps struct {
	// SubscriptionsPerSocket caps the subscriptions running on one
	// websocket; OperationsPerSocket its queries and mutations in flight.
	SubscriptionsPerSocket int
	OperationsPerSocket    int
	// SocketsPerPerson caps one user's (or page token's) websockets;
	// SocketsPerAddress the anonymous ones - and those not yet
	// initialised - of one client address.
	SocketsPerPerson  int
	SocketsPerAddress int
	// StreamsPerPerson caps server-sent event streams per person (per
	// client address for anonymous ones).
	StreamsPerPerson int
}

// DefaultConnCaps leave room for a person with several tabs and devices,
// each with a subscription per open thread.
func DefaultConnCaps() ConnCaps {
	return ConnCaps{SubscriptionsPerSocket: 100, OperationsPerSocket: 20,
		SocketsPerPerson: 20, SocketsPerAddress: 100, StreamsPerPerson: 10}
}

// RemoteAddress is the client address of a request without a proxy in
// front: the TCP peer's IP.
func RemoteAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// connCaps counts what each person and address holds open.
type connCaps struct {
	ConnCaps
	auth    Authenticator
	address func(*http.Request) string
	sockets tally
	streams tally
}

func newConnCaps(c ConnCaps, auth Authenticator, address func(*http.Request) string) *connCaps {
	if address == nil {
		address = RemoteAddress
	}
	return &connCaps{ConnCaps: c, auth: auth, address: address}
}

// tally counts holders per key.
type tally struct {
	mu sync.Mutex
	n  map[string]int
}

func (t *tally) acquire(key string, limit int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if limit > 0 && t.n[key] >= limit {
		return false
	}
	if t.n == nil {
		t.n = map[string]int{}
	}
	t.n[key]++
	return true
}

func (t *tally) release(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n[key]--; t.n[key] <= 0 {
		delete(t.n, key) // the map holds only what is open
	}
}

func addressKey(addr string) string { return "address:" + addr }

// personKey names who a viewer is for the caps: a user, or a page token.
func personKey(v *viewer.Viewer) (string, bool) {
	if id, ok := v.UserID(); ok {
		return "user:" + strconv.Itoa(id), true
	}
	if t, ok := v.Token(); ok {
		return "token:" + strconv.Itoa(t.ID), true
	}
	return "", false
}

type personCtxKey struct{}

// withPerson remembers who authenticated a websocket's connection_init.
func withPerson(ctx context.Context, v *viewer.Viewer) context.Context {
	if key, ok := personKey(v); ok {
		return context.WithValue(ctx, personCtxKey{}, key)
	}
	return ctx
}

func limitError(format string, a ...any) *apierr.Error {
	return apierr.Errorf(apierr.LimitExceeded, format, a...)
}

// socketSlot is one websocket's place in the counts, and its own counts of
// operations.
type socketSlot struct {
	caps *connCaps
	mu   sync.Mutex
	key  string // the key it is counted under; "" once released
	subs atomic.Int64
	ops  atomic.Int64
}

// admitSocket counts a websocket about to be accepted under its address
// (until connection_init says who it is); nil when the address is over
// its cap.
func (c *connCaps) admitSocket(r *http.Request) (*socketSlot, *apierr.Error) {
	key := addressKey(c.address(r))
	if !c.sockets.acquire(key, c.SocketsPerAddress) {
		return nil, limitError("at most %d open websockets per client address without signing in", c.SocketsPerAddress)
	}
	return &socketSlot{caps: c, key: key}, nil
}

// identify moves an initialised socket from its address to its person; an
// error means the person is over the cap and the socket must close (4429).
func (s *socketSlot) identify(ctx context.Context) *apierr.Error {
	person, ok := ctx.Value(personCtxKey{}).(string)
	if !ok {
		return nil // anonymous: stays counted under its address
	}
	if !s.caps.sockets.acquire(person, s.caps.SocketsPerPerson) {
		return limitError("at most %d open websockets per person", s.caps.SocketsPerPerson)
	}
	s.mu.Lock()
	old := s.key
	s.key = person
	s.mu.Unlock()
	s.caps.sockets.release(old)
	return nil
}

// leave uncounts a closed socket (once).
func (s *socketSlot) leave() {
	s.mu.Lock()
	key := s.key
	s.key = ""
	s.mu.Unlock()
	if key != "" {
		s.caps.sockets.release(key)
	}
}

// startOperation counts an operation on the socket; the release func
// uncounts it when it ends.
func (s *socketSlot) startOperation(subscription bool) (release func(), err *apierr.Error) {
	n, limit, what := &s.ops, s.caps.OperationsPerSocket, "queries and mutations in flight"
	if subscription {
		n, limit, what = &s.subs, s.caps.SubscriptionsPerSocket, "subscriptions"
	}
	if v := n.Add(1); limit > 0 && v > int64(limit) {
		n.Add(-1)
		return nil, limitError("at most %d %s per websocket", limit, what)
	}
	var once sync.Once
	return func() { once.Do(func() { n.Add(-1) }) }, nil
}

// cappedSSE is the server-sent events transport (sse.go) with a cap on the
// streams each person (or anonymous address) holds open.
type cappedSSE struct {
	sseTransport
	caps *connCaps
}

func (s cappedSSE) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	key := addressKey(s.caps.address(r))
	if token, ok := r.Context().Value(credentialKey{}).(string); ok {
		// A bad token is refused by the operation itself; it counts
		// under its address meanwhile.
		if v, err := s.caps.auth.Authenticate(r.Context(), token); err == nil {
			if person, ok := personKey(v); ok {
				key = person
			}
		}
	}
	if !s.caps.streams.acquire(key, s.caps.StreamsPerPerson) {
		writeError(w, http.StatusTooManyRequests, limitError("at most %d open event streams per person", s.caps.StreamsPerPerson))
		return
	}
	defer s.caps.streams.release(key)
	s.sseTransport.Do(w, r, exec)
}

// refuseSocket answers an upgrade over the address cap before upgrading.
func refuseSocket(w http.ResponseWriter, e *apierr.Error) {
	w.Header().Set("Retry-After", "30")
	writeError(w, http.StatusTooManyRequests, e)
}
