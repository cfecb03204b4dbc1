// Package requestid gives every HTTP request and websocket operation an
// id that travels in its context, its response (X-Request-Id), every log
// line written for it, and the extensions of its INTERNAL errors, so a
// user's report can be matched to the server's log.
package requestid

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
)

// Header carries the id in requests (from a proxy or client) and responses.
const Header = "X-Request-Id"

// LogKey is the id's attribute in log lines.
const LogKey = "request_id"

type key struct{}

// With returns ctx carrying id.
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, key{}, id)
}

// From returns ctx's id ("" when it has none).
func From(ctx context.Context) string {
	id, _ := ctx.Value(key{}).(string)
	return id
}

// Sub gives one operation of a request (a websocket's) an id of its own:
// the request's, a slash, and the operation's id as far as it is sane.
func Sub(ctx context.Context, op string) context.Context {
	if !sane(op, 64) {
		op = New()[:8]
	}
	return With(ctx, From(ctx)+"/"+op)
}

// New returns a random id (16 hex digits).
func New() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// sane accepts what proxies send (UUIDs, hex, base64url, dotted and
// dashed tokens) and nothing that could forge a log line.
func sane(id string, max int) bool {
	if id == "" || len(id) > max {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-' || c == '_' || c == '.' || c == ':':
		default:
			return false
		}
	}
	return true
}

// Middleware honours a sane incoming X-Request-Id (a proxy's, so its logs
// and ours share the id), else makes one, and returns it in the response.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(Header)
		if !sane(id, 128) {
			id = New()
		}
		w.Header().Set(Header, id)
		next.ServeHTTP(w, r.WithContext(With(r.Context(), id)))
	})
}

// Handler adds the context's id to every log record written with a
// context (slog's ...Context functions).
func Handler(h slog.Handler) slog.Handler { return handler{h} }

type handler struct{ slog.Handler }

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	if id := From(ctx); id != "" {
		r.AddAttrs(slog.String(LogKey, id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h handler) WithAttrs(as []slog.Attr) slog.Handler { return handler{h.Handler.WithAttrs(as)} }
func (h handler) WithGroup(name string) slog.Handler    { return handler{h.Handler.WithGroup(name)} }
