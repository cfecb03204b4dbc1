package e2e

// The real client libraries of single-page and mobile apps, run with node
// against the server (rules 26, 27): Apollo Client, urql, Relay, graphql-sse in
// both modes, graphql-http's audit, and CORS from a page in headless
// Chromium.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pageinbox/internal/api"
	"pageinbox/internal/apptest"
)

// nodeScript runs a script of testdata/nodeclients and returns its JSON
// output lines by their "name". It skips (or fails, under .ci/run) when
// node or the packages are missing.
func nodeScript(t *testing.T, script string, args ...string) map[string]map[string]any {
	t.Helper()
	dir, _ := filepath.Abs("testdata/nodeclients")
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "@apollo", "client"))
	}
	if err != nil {
		if os.Getenv(RequireNodeClientsEnv) == "1" {
			t.Fatalf("node clients required: %v (run npm ci in %s)", err, dir)
		}
		t.Skipf("node clients not installed: %v (npm ci --prefix %s)", err, dir)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{script}, args...)...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", script, err, stdout, stderr.String())
	}
	got := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(string(stdout)), "\n") {
		var v map[string]any
		if json.Unmarshal([]byte(line), &v) != nil {
			continue
		}
		name, _ := v["name"].(string)
		got[name] = v
	}
	return got
}

// want fails unless the named check printed each field's value.
func want(t *testing.T, got map[string]map[string]any, name string, fields map[string]any) {
	t.Helper()
	v, ok := got[name]
	if !ok {
		t.Fatalf("%s: no output (got %v)", name, got)
	}
	for k, w := range fields {
		if fmt.Sprint(v[k]) != fmt.Sprint(w) {
			t.Errorf("%s: %s = %v, want %v (all: %v)", name, k, v[k], w, v)
		}
	}
}

// TestApolloClient: HttpLink queries and multipart subscriptions,
// BatchHttpLink (one request for two queries), PersistedQueryLink (hash,
// then the text on PERSISTED_QUERY_NOT_FOUND, then the hash alone) and
// GraphQLWsLink; and the README's setup.
func TestApolloClient(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	c := s.StartConversation("apollo")
	got := nodeScript(t, "apollo.mjs", s.URL, c.Visitor.Token, c.ThreadID)
	want(t, got, "http-query", map[string]any{"handle": c.Visitor.Handle, "error": nil})
	want(t, got, "http-multipart-subscription", map[string]any{"seq": 1, "error": nil})
	want(t, got, "batch", map[string]any{"requests": 1, "handle": c.Visitor.Handle, "thread": c.ThreadID, "error": nil})
	want(t, got, "persisted", map[string]any{"sent": "[hash full hash]", "handle": c.Visitor.Handle, "again": c.Visitor.Handle, "error": nil})
	want(t, got, "ws-subscription", map[string]any{"seq": 1, "error": nil})
	want(t, got, "readme-setup", map[string]any{"handle": c.Visitor.Handle, "seq": 1, "error": nil})
}

// TestUrql: urql's fetch exchange for queries; subscriptions over
// server-sent events (fetchSubscriptions, the README's setup), over Apollo's
// multipart protocol (fetchSubscriptions asking for multipart/mixed) and
// over graphql-ws (subscriptionExchange). The transport each answer came on
// is checked, so a fallback from one to another fails.
func TestUrql(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	c := s.StartConversation("urql")
	got := nodeScript(t, "urql.mjs", s.URL, c.Visitor.Token, c.ThreadID)
	want(t, got, "query", map[string]any{"handle": c.Visitor.Handle, "error": nil})
	want(t, got, "subscription", map[string]any{"seq": 1, "transport": "text/event-stream", "error": nil})
	want(t, got, "multipart-subscription", map[string]any{"seq": 1, "transport": "multipart/mixed", "error": nil})
	want(t, got, "ws-subscription", map[string]any{"seq": 1, "transport": "websocket", "error": nil})
}

// TestRelay: the README's Relay environment (Network.create with its fetch
// function, graphql-ws for subscriptions) runs a query (viewer and a thread
// by its global id through node), a mutation, and a subscription that
// receives the message the mutation sent.
func TestRelay(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	c := s.StartConversation("relay")
	got := nodeScript(t, "relay.mjs", s.URL, c.Visitor.Token, c.ThreadID)
	want(t, got, "query", map[string]any{"handle": c.Visitor.Handle, "typename": "Thread", "node": c.ThreadID, "error": nil})
	want(t, got, "mutation", map[string]any{"seq": 2, "body": "from relay", "error": nil})
	want(t, got, "subscription", map[string]any{"seq": 2, "body": "from relay", "error": nil})
}

// TestGraphQLSSE: graphql-sse's client in distinct connections mode and
// in single connection mode.
func TestGraphQLSSE(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	c := s.StartConversation("graphqlsse")
	got := nodeScript(t, "sse.mjs", s.URL, c.Visitor.Token, c.ThreadID)
	for _, mode := range []string{"distinct", "single"} {
		want(t, got, mode, map[string]any{"handle": c.Visitor.Handle, "seq": 1, "errors": "null"})
	}
}

// TestGraphQLHTTPAudit: graphql-http's audit passes with no MUST or
// SHOULD failing (the script exits 1 otherwise and prints each audit).
func TestGraphQLHTTPAudit(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	got := nodeScript(t, "audit.mjs", s.URL)
	want(t, got, "summary", map[string]any{"failed": 0})
	if ran, _ := got["summary"]["ran"].(float64); ran < 30 {
		t.Fatalf("the audit ran %v checks", ran)
	}
}

// chromiumPath is Debian's Chromium, which playwright-core drives.
const chromiumPath = "/usr/bin/chromium"

// TestCORSFromABrowser (rule 26): in headless Chromium, a page on an
// allowed origin reads /query with a bearer token (a preflighted request)
// and opens a websocket; a page on another origin can do neither.
func TestCORSFromABrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv(RequireNodeClientsEnv) == "1" {
			t.Fatalf("chromium required: %v", err)
		}
		t.Skipf("no chromium: %v", err)
	}
	page := func() *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte("<!doctype html><title>app</title>"))
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	allowed, other := page(), page()
	s := apptest.Start(t, apptest.SQLite, apptest.WithAPI(func(c *api.Config) { c.CORSOrigins = []string{allowed.URL} }))
	u := s.SignUp("browser")
	got := nodeScript(t, "cors-browser.mjs", s.URL, allowed.URL, other.URL, u.Token, chromiumPath)
	want(t, got, "allowed", map[string]any{"origin": allowed.URL, "handle": u.Handle, "fetchError": nil, "websocket": "open"})
	want(t, got, "other", map[string]any{"origin": other.URL, "handle": nil, "fetchError": "TypeError: Failed to fetch", "websocket": "refused"})
}
