package api

// Subscriptions over Apollo's multipart HTTP protocol: what Apollo
// Client's HttpLink (and Apollo Kotlin and iOS) use without a websocket.
// https://www.apollographql.com/docs/graphos/routing/operations/subscriptions/multipart-protocol

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/apierr"
)

const multipartBoundary = "graphql"

// multipartSubscriptions streams a subscription's events as the parts of a
// multipart/mixed answer ({"payload": result} each, {} as a heartbeat).
// gqlgen's MultipartMixed transport speaks the incremental-delivery
// (@defer) format instead, which Apollo does not read for subscriptions.
// A query or mutation sent with this Accept is answered as plain JSON,
// which the protocol allows.
type multipartSubscriptions struct {
	heartbeat time.Duration
}

var _ graphql.Transport = multipartSubscriptions{}

// Supports claims POSTs whose Accept names the subscription spec.
func (multipartSubscriptions) Supports(r *http.Request) bool {
	if r.Method != http.MethodPost || r.Header.Get("Upgrade") != "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != mediaJSON {
		return false
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "multipart/mixed") && strings.Contains(accept, "subscriptionSpec")
}

func (t multipartSubscriptions) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	params, ok := readRequest(w, r)
	if !ok {
		return
	}
	ctx := graphql.StartOperationTrace(r.Context())
	rc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		respond(w, r, exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs))
		return
	}
	ctx = graphql.WithOperationContext(ctx, rc)
	if rc.Operation.Operation != ast.Subscription {
		responses, ctx := exec.DispatchOperation(ctx, rc)
		respond(w, r, responses(ctx))
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, apierr.New(apierr.Internal, "streaming unsupported"))
		return
	}
	w.Header().Set("Content-Type", `multipart/mixed;boundary="`+multipartBoundary+`";subscriptionSpec="1.0"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	pw := &partWriter{w: w, f: flusher}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if t.heartbeat > 0 {
		go pw.heartbeats(ctx, t.heartbeat)
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	for {
		resp := responses(ctx)
		if resp == nil {
			break
		}
		if !pw.part(map[string]any{"payload": toWire(resp)}) {
			return
		}
	}
	pw.end()
}

// partWriter writes parts, one writer at a time (results and heartbeats).
type partWriter struct {
	mu sync.Mutex
	w  io.Writer
	f  http.Flusher
}

func (p *partWriter) part(v any) bool {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]any{"payload": nil, "errors": gqlerror.List{codedError(apierr.New(apierr.Internal, "internal error"))}})
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err = io.WriteString(p.w, "\r\n--"+multipartBoundary+"\r\nContent-Type: application/json; charset=utf-8\r\n\r\n")
	if err == nil {
		_, err = p.w.Write(b)
	}
	p.f.Flush()
	return err == nil
}

func (p *partWriter) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, _ = io.WriteString(p.w, "\r\n--"+multipartBoundary+"--\r\n")
	p.f.Flush()
}

// heartbeats sends {} parts, which keep proxies from closing an idle
// stream and which clients skip.
func (p *partWriter) heartbeats(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if !p.part(struct{}{}) {
				return
			}
		}
	}
}
