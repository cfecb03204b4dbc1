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
func status(media string, r *graphql.Response) int {
	if r.Data != nil {
		return http.StatusOK
	}
	for _, e := range r.Errors {
		if e.Extensions["code"] == string(apierr.Unavailable) {
			return http.StatusServiceUnavailable
		}
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
	retryAfter(w, resp)
	w.WriteHeader(status(media, resp))
	writeJSON(w, toWire(resp))
}

// codedError is an error for a response body, code included, for refusals
// made before the executor (and its error presenter) ran.
func codedError(e *apierr.Error) *gqlerror.Error {
	return &gqlerror.Error{Message: e.Message, Extensions: map[string]any{"code": string(e.Code)}}
}
