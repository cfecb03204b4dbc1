package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/internal/apierr"
)

// getTransport serves queries over GET (?query=&variables=&operationName=
// &extensions=, the last for automatic persisted queries). It replaces
// gqlgen's GET transport, whose refusals (a mutation over GET, undecodable
// variables) bypass the error presenter and so carry no extensions.code;
// here every refusal goes through it.
type getTransport struct{}

var _ graphql.Transport = getTransport{}

// errMutationOverGet: GET is safe (cacheable, prefetched); writes are not.
var errMutationOverGet = apierr.New(apierr.BadUserInput, "GET requests only allow query operations; use POST")

func (getTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	// An event stream asked for without a JSON alternative is graphql-sse's
	// (sse.go); urql lists text/event-stream after the JSON types in the
	// Accept of every query, which it sends as GET by default.
	return r.Method == http.MethodGet && (acceptsJSON(r) || !strings.Contains(r.Header.Get("Accept"), "text/event-stream"))
}

func (getTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	q := r.URL.Query()
	raw := &graphql.RawParams{
		Query:         q.Get("query"),
		OperationName: q.Get("operationName"),
		Headers:       r.Header,
	}
	raw.ReadTime.Start = graphql.Now()
	for name, into := range map[string]*map[string]any{"variables": &raw.Variables, "extensions": &raw.Extensions} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(v))
		dec.UseNumber()
		if err := dec.Decode(into); err != nil {
			writeError(w, http.StatusBadRequest, apierr.Errorf(apierr.BadUserInput, "the %s parameter is not a JSON object", name))
			return
		}
	}
	raw.ReadTime.End = graphql.Now()
	resp, refusal := runOne(r.Context(), exec, raw, true)
	cacheHeaders(w, r)
	if refusal == errMutationOverGet {
		w.Header().Set("Allow", "POST")
		w.Header().Set("Content-Type", responseType(r)+"; charset=utf-8")
		w.WriteHeader(http.StatusMethodNotAllowed)
		writeJSON(w, toWire(resp))
		return
	}
	respond(w, r, resp)
}

func writeJSON(w http.ResponseWriter, v any) { _ = json.NewEncoder(w).Encode(v) }
