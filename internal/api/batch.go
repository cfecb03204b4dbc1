package api

// Batched requests: a JSON array of operations (Apollo's BatchHttpLink).

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/apierr"
)

// DefaultMaxBatch is how many operations one batched request may carry.
const DefaultMaxBatch = 10

// batch runs each operation of an array in order and answers an array of
// their results in the same order. Every operation goes through the
// executor on its own - authentication, the query limits, rate limits -
// exactly as if it came alone; only the HTTP round trip is shared.
func (t postTransport) batch(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, body []byte, start time.Time) {
	var items []json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil {
		writeError(w, http.StatusBadRequest, apierr.New(apierr.BadUserInput, "the request body is not a JSON array of GraphQL requests"))
		return
	}
	switch limit := t.maxBatch; {
	case len(items) == 0:
		writeError(w, http.StatusBadRequest, apierr.New(apierr.BadUserInput, "a batch needs at least one operation"))
		return
	case len(items) > limit:
		writeError(w, http.StatusBadRequest, apierr.Errorf(apierr.QueryTooComplex, "a batch may carry at most %d operations, not %d", limit, len(items)))
		return
	}
	read := graphql.Now()
	out := make([]wireResponse, len(items))
	for i, item := range items {
		params, perr := decodeParams(item)
		if perr != nil {
			out[i] = wireResponse{Errors: gqlerror.List{codedError(perr)}}
			continue
		}
		params.Headers = r.Header
		params.ReadTime = graphql.TraceTiming{Start: start, End: read}
		resp, _ := runOne(r.Context(), exec, params, false)
		out[i] = toWire(resp)
	}
	w.Header().Set("Content-Type", responseType(r)+"; charset=utf-8")
	writeJSON(w, out)
}
