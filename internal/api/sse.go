package api

// graphql-sse's distinct connections mode: one POST, one event stream.

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"pageinbox/internal/apierr"
)

// sseTransport is gqlgen's SSE transport with two changes: it claims a
// request only when the client asks for an event stream rather than JSON
// (urql lists text/event-stream in the Accept of every query, after the
// JSON types it prefers), and a body it cannot decode is refused with a
// coded error before gqlgen's, which echoes the body and Go type names.
type sseTransport struct{ transport.SSE }

func (t sseTransport) Supports(r *http.Request) bool {
	return t.SSE.Supports(r) && !acceptsJSON(r)
}

func (t sseTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, apierr.New(apierr.BadUserInput, "the request body could not be read"))
		return
	}
	if _, perr := decodeParams(body); perr != nil {
		writeError(w, http.StatusBadRequest, perr)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t.SSE.Do(w, r, exec)
}

// acceptsJSON reports an Accept that names a JSON answer.
func acceptsJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && (mt == mediaJSON || mt == mediaGraphQLResponse) {
			return true
		}
	}
	return false
}
