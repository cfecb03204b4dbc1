package api

// GraphQL over POST: one operation, or a batch (batch.go).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/apierr"
)

// postTransport serves application/json POSTs. It replaces gqlgen's POST
// transport, which answers a body it cannot decode with the body itself
// and Go type names, answers request errors 422 to application/json
// clients, takes no batches and runs a subscription as a query that waits
// for its first event.
type postTransport struct {
	// maxBatch caps the operations of one batched request.
	maxBatch int
}

var _ graphql.Transport = postTransport{}

func (postTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" || r.Method != http.MethodPost {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == mediaJSON
}

func (t postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, apierr.Errorf(apierr.LimitExceeded, "request body over %d bytes", tooLarge.Limit))
			return
		}
		writeError(w, http.StatusBadRequest, apierr.New(apierr.BadUserInput, "the request body could not be read"))
		return
	}
	if b := bytes.TrimLeft(body, " \t\r\n"); len(b) > 0 && b[0] == '[' {
		t.batch(w, r, exec, body, start)
		return
	}
	params, perr := decodeParams(body)
	if perr != nil {
		writeError(w, http.StatusBadRequest, perr)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	resp, _ := runOne(r.Context(), exec, params, false)
	respond(w, r, resp)
}

// decodeParams reads one {query, operationName, variables, extensions}
// object. Its refusals name the problem, never the body or a Go type.
func decodeParams(b []byte) (*graphql.RawParams, *apierr.Error) {
	var params graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return nil, apierr.Errorf(apierr.BadUserInput, "the request's %q parameter has the wrong type", typeErr.Field)
		}
		return nil, apierr.New(apierr.BadUserInput, "the request body is not a GraphQL request in JSON")
	}
	if dec.More() {
		return nil, apierr.New(apierr.BadUserInput, "the request body holds more than one JSON value")
	}
	return &params, nil
}

// errNoStream refuses a subscription where its events cannot be streamed.
var errNoStream = apierr.New(apierr.BadUserInput,
	"subscriptions need a streaming transport: a websocket (graphql-ws), server-sent events (Accept: text/event-stream) or multipart HTTP (Accept: multipart/mixed;subscriptionSpec=\"1.0\")")

// runOne executes one query or mutation to its single result. A
// subscription is refused: the caller has nothing to stream it on.
// queriesOnly refuses mutations too (GET, see get.go).
// The second result is the refusal of the operation's kind, if any.
func runOne(ctx context.Context, exec graphql.GraphExecutor, params *graphql.RawParams, queriesOnly bool) (*graphql.Response, *apierr.Error) {
	ctx = graphql.StartOperationTrace(ctx)
	rc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		return exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs), nil
	}
	ctx = graphql.WithOperationContext(ctx, rc)
	var refusal *apierr.Error
	switch op := rc.Operation.Operation; {
	case op == ast.Subscription:
		refusal = errNoStream
	case queriesOnly && op != ast.Query:
		refusal = errMutationOverGet
	}
	if refusal != nil {
		return exec.DispatchError(ctx, gqlerror.List{gqlerror.WrapPath(nil, refusal)}), refusal
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	return responses(ctx), nil
}
