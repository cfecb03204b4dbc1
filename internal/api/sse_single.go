package api

// graphql-sse's single connection mode: one event stream per client, and
// operations sent over separate requests that name it.
// https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md
//
//	PUT    /query                          reserve a stream: 201, the token as text
//	GET    /query  (Accept: text/event-stream, token)  the stream
//	POST   /query  (token, extensions.operationId)     an operation: 202; results on the stream
//	DELETE /query?operationId=  (token)    stop an operation
//
// The token travels in the X-GraphQL-Event-Stream-Token header (or a
// ?token= parameter). It names a stream, not a person: each operation is
// authenticated by its own request's Authorization, like any other.

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/internal/apierr"
)

const sseTokenHeader = "X-GraphQL-Event-Stream-Token"

// sseReservationTTL is how long a reserved stream waits for its GET.
const sseReservationTTL = time.Minute

// sseStreams is the registry of single-connection streams (per replica:
// the client's requests reach the replica its stream is on only with
// sticky sessions, as for any server of this protocol).
type sseStreams struct {
	keepAlive time.Duration
	mu        sync.Mutex
	streams   map[string]*sseStream
}

func newSSEStreams(keepAlive time.Duration) *sseStreams {
	return &sseStreams{keepAlive: keepAlive, streams: map[string]*sseStream{}}
}

// sseStream is one reserved stream and its operations.
type sseStream struct {
	ctx    context.Context // ends when the stream does
	cancel context.CancelFunc

	mu        sync.Mutex
	w         io.Writer
	f         http.Flusher
	connected bool
	pending   [][]byte // events of operations that ran before the GET came
	ops       map[string]context.CancelFunc
}

var _ graphql.Transport = (*sseStreams)(nil)

func streamToken(r *http.Request) string {
	if t := r.Header.Get(sseTokenHeader); t != "" {
		return t
	}
	return r.URL.Query().Get("token")
}

// Supports claims the reservation and every request that names a stream.
func (s *sseStreams) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	switch r.Method {
	case http.MethodPut:
		return true
	case http.MethodGet, http.MethodPost, http.MethodDelete:
		return streamToken(r) != ""
	}
	return false
}

func (s *sseStreams) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if r.Method == http.MethodPut {
		s.reserve(w)
		return
	}
	token := streamToken(r)
	s.mu.Lock()
	st := s.streams[token]
	s.mu.Unlock()
	if st == nil {
		writeError(w, http.StatusNotFound, apierr.New(apierr.NotFound, "no such event stream: reserve one with PUT"))
		return
	}
	switch r.Method {
	case http.MethodGet:
		s.serve(w, r, token, st)
	case http.MethodPost:
		st.execute(w, r, exec)
	case http.MethodDelete:
		st.stop(r.URL.Query().Get("operationId"))
		w.WriteHeader(http.StatusOK)
	}
}

func (s *sseStreams) reserve(w http.ResponseWriter) {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	ctx, cancel := context.WithCancel(context.Background())
	st := &sseStream{ctx: ctx, cancel: cancel, ops: map[string]context.CancelFunc{}}
	s.mu.Lock()
	s.streams[token] = st
	s.mu.Unlock()
	// A reservation nobody connects to does not stay.
	time.AfterFunc(sseReservationTTL, func() {
		st.mu.Lock()
		connected := st.connected
		st.mu.Unlock()
		if !connected {
			s.end(token, st)
		}
	})
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, token)
}

// end forgets a stream and stops its operations.
func (s *sseStreams) end(token string, st *sseStream) {
	s.mu.Lock()
	if s.streams[token] == st {
		delete(s.streams, token)
	}
	s.mu.Unlock()
	st.mu.Lock()
	st.connected, st.w, st.f = false, nil, nil
	st.mu.Unlock()
	st.cancel()
}

// serve is the stream itself, until the client goes.
func (s *sseStreams) serve(w http.ResponseWriter, r *http.Request, token string, st *sseStream) {
	f, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, apierr.New(apierr.Internal, "streaming unsupported"))
		return
	}
	st.mu.Lock()
	if st.connected || st.ctx.Err() != nil {
		st.mu.Unlock()
		writeError(w, http.StatusConflict, apierr.New(apierr.Conflict, "this event stream is already open"))
		return
	}
	st.connected, st.w, st.f = true, w, f
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, ":\n\n")
	for _, ev := range st.pending {
		_, _ = w.Write(ev)
	}
	st.pending = nil
	f.Flush()
	st.mu.Unlock()
	defer s.end(token, st)

	var tick <-chan time.Time
	if s.keepAlive > 0 {
		t := time.NewTicker(s.keepAlive)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-st.ctx.Done():
			return
		case <-tick:
			if !st.write([]byte(":\n\n")) {
				return
			}
		}
	}
}

// write sends an event, or keeps it until the stream connects.
func (st *sseStream) write(ev []byte) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ctx.Err() != nil {
		return false
	}
	if !st.connected {
		st.pending = append(st.pending, ev)
		return true
	}
	if _, err := st.w.Write(ev); err != nil {
		return false
	}
	st.f.Flush()
	return true
}

func (st *sseStream) event(name, id string, payload any) bool {
	data, err := json.Marshal(map[string]any{"id": id, "payload": payload})
	if payload == nil {
		data, err = json.Marshal(map[string]any{"id": id})
	}
	if err != nil {
		return false
	}
	return st.write([]byte(fmt.Sprintf("event: %s\ndata: %s\n\n", name, data)))
}

// execute starts an operation whose results go to the stream.
func (st *sseStream) execute(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	params, ok := readRequest(w, r)
	if !ok {
		return
	}
	id, _ := params.Extensions["operationId"].(string)
	if id == "" {
		writeError(w, http.StatusBadRequest, apierr.New(apierr.BadUserInput, "extensions.operationId is required in single connection mode"))
		return
	}
	// The operation outlives this request (its results go to the
	// stream) and keeps its values: the caller's credentials.
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	stopWithStream := context.AfterFunc(st.ctx, cancel)
	ctx = graphql.StartOperationTrace(ctx)
	rc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		stopWithStream()
		cancel()
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		w.Header().Set("Content-Type", mediaJSON+"; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, toWire(resp))
		return
	}
	st.mu.Lock()
	_, dup := st.ops[id]
	if !dup {
		st.ops[id] = cancel
	}
	st.mu.Unlock()
	if dup {
		stopWithStream()
		cancel()
		writeError(w, http.StatusConflict, apierr.New(apierr.Conflict, "an operation with this id is running"))
		return
	}
	w.WriteHeader(http.StatusAccepted)
	go func() {
		defer stopWithStream()
		defer cancel()
		ctx := graphql.WithOperationContext(ctx, rc)
		responses, ctx := exec.DispatchOperation(ctx, rc)
		for {
			resp := responses(ctx)
			if resp == nil || ctx.Err() != nil {
				break
			}
			if !st.event("next", id, toWire(resp)) {
				break
			}
		}
		st.mu.Lock()
		_, running := st.ops[id]
		delete(st.ops, id)
		st.mu.Unlock()
		if running { // not stopped by the client
			st.event("complete", id, nil)
		}
	}()
}

// stop cancels an operation at the client's request.
func (st *sseStream) stop(id string) {
	st.mu.Lock()
	cancel := st.ops[id]
	delete(st.ops, id)
	st.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}
