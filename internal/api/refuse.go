package api

// The last transport: a request no other transport takes.

import (
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/internal/apierr"
)

// refuseTransport answers what no transport serves with a coded JSON
// error (405 for a method, 415 for a body type), instead of gqlgen's
// "transport not supported" in text/plain.
type refuseTransport struct{}

var _ graphql.Transport = refuseTransport{}

func (refuseTransport) Supports(*http.Request) bool { return true }

func (refuseTransport) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	switch r.Method {
	case http.MethodGet, http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, POST")
		writeError(w, http.StatusMethodNotAllowed, apierr.Errorf(apierr.BadUserInput, "method %s is not supported: use POST, or GET for queries", r.Method))
		return
	}
	if r.Method == http.MethodGet {
		writeError(w, http.StatusNotAcceptable, apierr.New(apierr.BadUserInput, "a GET needs a query parameter and an Accept that allows application/json (or text/event-stream for a subscription)"))
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "" {
		writeError(w, http.StatusUnsupportedMediaType, apierr.New(apierr.BadUserInput, "a POST needs Content-Type: application/json"))
		return
	}
	writeError(w, http.StatusUnsupportedMediaType, apierr.Errorf(apierr.BadUserInput, "content type %q is not supported: send application/json (or multipart/form-data for uploads)", mt))
}
