package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/graph"
	"pageinbox/internal/apierr"
	"pageinbox/internal/viewer"
)

// parseOnly is pageinbox's schema without its resolvers: operations that
// pass every check answer null data instead of running.
type parseOnly struct{ graphql.ExecutableSchema }

func (parseOnly) Exec(context.Context) graphql.ResponseHandler {
	return graphql.OneShot(&graphql.Response{Data: []byte("null")})
}

type noAuth struct{}

func (noAuth) Authenticate(context.Context, string) (*viewer.Viewer, error) {
	return nil, apierr.New(apierr.Unauthenticated, "no sessions here")
}

// FuzzRequestPipeline sends request bodies through the whole HTTP
// pipeline before execution - transports, body cap, parser token cap,
// validation, limits, error cap and presenter: whatever comes in, the
// answer is JSON, small, and every error has a known code and a message
// with no Go internals.
func FuzzRequestPipeline(f *testing.F) {
	cfg := DefaultConfig(slog.New(slog.NewTextHandler(io.Discard, nil)))
	cfg.Production = true
	srv := New(cfg, parseOnly{graph.NewSchema(&graph.Resolver{})}, noAuth{}, func(context.Context) error { return nil })
	for _, s := range []string{
		`{"query":"{ viewer { id } }"}`,
		`{"query":"{ __typename @x @x @x }"}`,
		`{"query":"{ a: __schema { types { name } } b: __schema { types { name } } }"}`,
		`{"query":"query($ids: [ID!]!) { nodes(ids: $ids) { id } }","variables":{"ids":["1","2"]}}`,
		`{"query":"{ pages(first: 5, search: \"x\") { edges { node { id } } } }"}`,
		`{"query":"{ node(id: \"abc\") { id } }"}`,
		`{"query":"mutation { logOut }","variables":{"x":"a\u0000b"}}`,
		`[{"query":"{ viewer { id } }"}]`,
		`{"query":"fragment F on Query { ...F } { ...F }"}`,
		`{"query":"{ viewer { threads(first: 101) { totalCount } } }"}`,
		`{"query": 5}`,
		`not json`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		out := rec.Body.Bytes()
		if len(out) > 64<<10 {
			t.Fatalf("answer of %d bytes", len(out))
		}
		type answer struct {
			Errors []pipelineError `json:"errors"`
		}
		// One answer, or one per operation of a batch.
		var answers []answer
		if err := json.Unmarshal(out, &answers); err != nil {
			var one answer
			if err := json.Unmarshal(out, &one); err != nil {
				t.Fatalf("answer is not JSON: %s", out)
			}
			answers = []answer{one}
		}
		for _, resp := range answers {
			checkErrors(t, resp.Errors, cfg.Limits.MaxErrors, body)
		}
	})
}

// checkErrors: at most max errors (and one "too many"), each coded,
// human and free of Go internals.
type pipelineError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

func checkErrors(t *testing.T, errs []pipelineError, max int, body []byte) {
	t.Helper()
	if len(errs) > max+1 {
		t.Fatalf("%d errors", len(errs))
	}
	for _, e := range errs {
		code, _ := e.Extensions["code"].(string)
		if !apierr.Known(code) || code == string(apierr.Internal) || e.Message == "" ||
			strings.Contains(e.Message, "strconv") || strings.Contains(e.Message, "graphql.") {
			t.Fatalf("error %+v for %q", e, body)
		}
	}
}
