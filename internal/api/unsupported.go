package api

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/internal/apierr"
)

// unsupported answers what no other transport takes (a PUT, a POST of
// text/plain), last in order: gqlgen's own answer to those, "transport not
// supported", carries no extensions.code.
type unsupported struct{}

var _ graphql.Transport = unsupported{}

func (unsupported) Supports(*http.Request) bool { return true }

func (unsupported) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	if r.Method == http.MethodPost {
		writeError(w, http.StatusUnsupportedMediaType, apierr.New(apierr.BadUserInput,
			"Content-Type must be application/json (or multipart/form-data with files)"))
		return
	}
	w.Header().Set("Allow", "GET, POST, OPTIONS")
	writeError(w, http.StatusMethodNotAllowed, apierr.Errorf(apierr.BadUserInput,
		"%s is not supported: use POST (or GET for queries)", r.Method))
}
