package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// getTransport serves queries over GET (?query=&variables=&operationName=).
// It replaces gqlgen's GET transport, whose refusals (a mutation over GET,
// undecodable variables) bypass the error presenter and so carry no
// extensions.code; here every refusal goes through it.
type getTransport struct{}

var _ graphql.Transport = getTransport{}

func (getTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	return r.Method == http.MethodGet
}

func (getTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	w.Header().Set("Content-Type", "application/json")
	q := r.URL.Query()
	raw := &graphql.RawParams{
		Query:         q.Get("query"),
		OperationName: q.Get("operationName"),
		Headers:       r.Header,
	}
	raw.ReadTime.Start = graphql.Now()
	refuse := func(status int, msg string) {
		w.WriteHeader(status)
		writeJSON(w, exec.DispatchError(r.Context(), gqlerror.List{{Message: msg}}))
	}
	if v := q.Get("variables"); v != "" {
		dec := json.NewDecoder(strings.NewReader(v))
		dec.UseNumber()
		if err := dec.Decode(&raw.Variables); err != nil {
			refuse(http.StatusBadRequest, "variables could not be decoded")
			return
		}
	}
	raw.ReadTime.End = graphql.Now()
	opCtx, errs := exec.CreateOperationContext(r.Context(), raw)
	if errs != nil {
		w.WriteHeader(http.StatusUnprocessableEntity)
		writeJSON(w, exec.DispatchError(graphql.WithOperationContext(r.Context(), opCtx), errs))
		return
	}
	if op := opCtx.Doc.Operations.ForName(opCtx.OperationName); op == nil || op.Operation != ast.Query {
		refuse(http.StatusMethodNotAllowed, "GET requests only allow query operations; use POST")
		return
	}
	responses, ctx := exec.DispatchOperation(r.Context(), opCtx)
	writeJSON(w, responses(ctx))
}

func writeJSON(w http.ResponseWriter, v any) { _ = json.NewEncoder(w).Encode(v) }
