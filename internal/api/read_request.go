package api

import (
	"io"
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/internal/apierr"
)

// readRequest reads one GraphQL request from a POST body for the streaming
// transports (multipart and graphql-sse), answering a coded refusal itself
// when the body cannot be read or is not a request.
func readRequest(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, bool) {
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, apierr.New(apierr.BadUserInput, "the request body could not be read"))
		return nil, false
	}
	params, perr := decodeParams(body)
	if perr != nil {
		writeError(w, http.StatusBadRequest, perr)
		return nil, false
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	return params, true
}
