package api

// Writing a GraphQL-over-HTTP answer: content type and status the way the
// GraphQL over HTTP specification (and its graphql-http audit) asks.

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/apierr"
)

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// responseType picks the answer's media type: application/graphql-response+json
// when the client names it, application/json otherwise (also for */* and
// no Accept, which the specification asks for the sake of older clients).
func responseType(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || params["q"] == "0" {
			continue
		}
		if mt == mediaGraphQLResponse {
			return mediaGraphQLResponse
		}
	}
	return mediaJSON
}

// wireResponse is graphql.Response as sent: without "data" when the
// request failed before execution (the specification's request errors).
type wireResponse struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

func toWire(r *graphql.Response) wireResponse {
	return wireResponse{Errors: r.Errors, Data: r.Data, Extensions: r.Extensions}
}

// status is the HTTP status of one answer. A request error (no data)
// answers 200 to application/json clients - their libraries read errors
// only from 2xx answers - and 400 to application/graphql-response+json
// ones. An outage answers 503 either way, so load balancers and clients
// back off.
//
// "Either way" includes an answer with data: a request whose session
// came from the cache (account.SessionCache) gets past authentication
// during an outage and fails in its first field, and it must tell the
// client to back off just as when the session lookup failed.
func status(media string, r *graphql.Response) int {
	for _, e := range r.Errors {
		if e.Extensions["code"] == string(apierr.Unavailable) {
			return http.StatusServiceUnavailable
		}
	}
	if r.Data != nil {
		return http.StatusOK
	}
	if media == mediaGraphQLResponse && len(r.Errors) > 0 {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// retryAfter sets Retry-After from the answer's UNAVAILABLE error.
func retryAfter(w http.ResponseWriter, r *graphql.Response) {
	for _, e := range r.Errors {
		if e.Extensions["code"] == string(apierr.Unavailable) {
			if s, ok := e.Extensions["retryAfterSeconds"].(int); ok {
				w.Header().Set("Retry-After", strconv.Itoa(s))
			}
			return
		}
	}
}

// respond writes one answer.
func respond(w http.ResponseWriter, r *http.Request, resp *graphql.Response) {
	media := responseType(r)
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	// A browser must never read an answer as HTML or script, whatever
	// text the data holds.
	w.Header().Set("X-Content-Type-Options", "nosniff")
	retryAfter(w, resp)
	w.WriteHeader(status(media, resp))
	if len(resp.Errors) == 0 && len(resp.Extensions) == 0 && resp.Data != nil {
		// The common answer, written as is: encoding/json would scan and
		// re-compact the executor's already compact data (a list of 50
		// threads is ~10 KiB), for the same bytes.
		writeData(w, resp.Data)
		return
	}
	writeJSON(w, toWire(resp))
}

// writeData writes {"data": data} followed by a newline, as writeJSON
// would (except for escaping <, > and & in strings, which JSON does not
// require: answers go out as JSON with nosniff, never as HTML).
func writeData(w http.ResponseWriter, data json.RawMessage) {
	buf := make([]byte, 0, len(data)+10)
	buf = append(buf, `{"data":`...)
	buf = append(buf, data...)
	buf = append(buf, "}\n"...)
	_, _ = w.Write(buf)
}

// codedError is an error for a response body, code included, for refusals
// made before the executor (and its error presenter) ran.
func codedError(e *apierr.Error) *gqlerror.Error {
	return &gqlerror.Error{Message: e.Message, Extensions: map[string]any{"code": string(e.Code)}}
}
