package e2e

// Rules 26 and 27 as an HTTP client sees them: CORS, batches, automatic
// persisted queries, the GraphQL-over-HTTP status codes, subscriptions
// where nothing can stream. The real client libraries run in
// clients_node_test.go.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"pageinbox/internal/api"
	"pageinbox/internal/apptest"
)

// rawAnswer is an HTTP answer's status and headers (its body read).
type rawAnswer struct {
	StatusCode int
	Header     http.Header
}

// raw sends a request and returns the answer with its body.
func raw(t *testing.T, req *http.Request) (rawAnswer, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(req.Context(), 10*time.Second)
	defer cancel()
	res, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return rawAnswer{StatusCode: res.StatusCode, Header: res.Header}, body
}

func postJSON(t *testing.T, s *apptest.Server, body string, header map[string]string) (rawAnswer, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return raw(t, req)
}

// TestCORS (rule 26): the configured origins get CORS answers, with a
// cached preflight that allows the Authorization header; other origins get
// none, and their websocket and event-stream handshakes are refused.
// Production allows no origin by default.
func TestCORS(t *testing.T) {
	const app, other = "https://app.example.com", "https://evil.example.com"
	s := apptest.Start(t, apptest.SQLite, apptest.WithAPI(func(c *api.Config) { c.CORSOrigins = []string{app} }))
	preflight := func(s *apptest.Server, origin string) rawAnswer {
		req, _ := http.NewRequest(http.MethodOptions, s.URL, nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		res, _ := raw(t, req)
		return res
	}
	res := preflight(s, app)
	if res.Header.Get("Access-Control-Allow-Origin") != app || res.Header.Get("Access-Control-Max-Age") == "" ||
		!strings.Contains(strings.ToLower(res.Header.Get("Access-Control-Allow-Headers")), "authorization") {
		t.Fatalf("preflight from %s: %d %v", app, res.StatusCode, res.Header)
	}
	if res.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("credentials mode must stay off: %v", res.Header)
	}
	if res := preflight(s, other); res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from %s allowed: %v", other, res.Header)
	}
	res, body := postJSON(t, s, `{"query":"{ viewer { id } }"}`, map[string]string{"Origin": app})
	if res.Header.Get("Access-Control-Allow-Origin") != app || !bytes.Contains(body, []byte(`"viewer":null`)) {
		t.Fatalf("POST from %s: %v %s", app, res.Header, body)
	}

	// Websockets and event streams: the list applies too.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	wsURL := "ws" + strings.TrimPrefix(s.URL, "http")
	for origin, want := range map[string]int{other: http.StatusForbidden, app: http.StatusSwitchingProtocols} {
		c, res, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{ //nolint:bodyclose // closed below or by the socket
			Subprotocols: []string{apptest.TransportWS}, HTTPHeader: http.Header{"Origin": {origin}},
		})
		if res == nil || res.StatusCode != want {
			t.Fatalf("websocket from %s: %v %v (want %d)", origin, res, err, want)
		}
		if c != nil {
			_ = c.CloseNow()
		}
	}
	res, body = postJSON(t, s, `{"query":"subscription { typingChanged(threadId: \"1\") { typing } }"}`,
		map[string]string{"Origin": other, "Accept": "text/event-stream"})
	if res.StatusCode != http.StatusForbidden || !bytes.Contains(body, []byte(`"FORBIDDEN"`)) {
		t.Fatalf("event stream from %s: %d %s", other, res.StatusCode, body)
	}

	prod := apptest.Start(t, apptest.SQLite, apptest.WithProduction())
	if res := preflight(prod, app); res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("production allows %s by default: %v", app, res.Header)
	}
	dev := apptest.Start(t, apptest.SQLite)
	if res := preflight(dev, other); res.Header.Get("Access-Control-Allow-Origin") == "" {
		t.Fatalf("development refuses %s by default: %v", other, res.Header)
	}
}

// TestBatchedRequests: a JSON array is answered as an array in order;
// each operation is checked on its own; the batch size is capped, and
// refusals carry a code and echo neither the body nor Go types.
func TestBatchedRequests(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithAPI(func(c *api.Config) { c.MaxBatch = 3 }))
		u := s.SignUp("batcher")
		auth := map[string]string{"Authorization": "Bearer " + u.Token}
		res, body := postJSON(t, s, `[{"query":"{ viewer { handle } }"},{"query":"{ nosuchfield }"},{"query":"query P { viewer { handle } } query Q { viewer { id } }","operationName":"Q"}]`, auth)
		var out []struct {
			Data   map[string]any  `json:"data"`
			Errors []apptest.Error `json:"errors"`
		}
		if err := json.Unmarshal(body, &out); err != nil || res.StatusCode != http.StatusOK || len(out) != 3 {
			t.Fatalf("batch: %d %s", res.StatusCode, body)
		}
		if v, _ := out[0].Data["viewer"].(map[string]any); v["handle"] != u.Handle {
			t.Fatalf("first of the batch: %s", body)
		}
		if len(out[1].Errors) == 0 || out[1].Errors[0].Code() != "BAD_USER_INPUT" || out[1].Data != nil {
			t.Fatalf("second of the batch: %s", body)
		}
		if v, _ := out[2].Data["viewer"].(map[string]any); v["id"] != u.ID {
			t.Fatalf("third of the batch: %s", body)
		}
		// Over the cap: refused as a whole, with a code, echoing nothing.
		secret := `{"query":"{ viewer { id } } # secret-text"}`
		res, body = postJSON(t, s, "["+strings.Repeat(secret+",", 3)+secret+"]", auth)
		if res.StatusCode != http.StatusBadRequest || !bytes.Contains(body, []byte(`"QUERY_TOO_COMPLEX"`)) || bytes.Contains(body, []byte("secret-text")) {
			t.Fatalf("batch of 4 over a cap of 3: %d %s", res.StatusCode, body)
		}
		for _, bad := range []string{`[{"query": 5}]`, `[1, 2`, `{"query": ["x"]}`, `[]`} {
			res, body = postJSON(t, s, bad, auth)
			if !bytes.Contains(body, []byte(`"code":`)) || bytes.Contains(body, []byte("graphql.RawParams")) || bytes.Contains(body, []byte("Go ")) ||
				bytes.Contains(body, []byte("json:")) {
				t.Fatalf("refusal of %s: %d %s", bad, res.StatusCode, body)
			}
		}
	})
}

// TestBatchesCountAgainstRateLimits: a batch does not slip past the
// per-sender rate limit - each of its mutations is counted.
func TestBatchesCountAgainstRateLimits(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite, apptest.WithRateLimits(2, 100))
	c := s.StartConversation("batchrate")
	op, _ := json.Marshal(map[string]any{
		"query":     `mutation($t: ID!) { sendMessage(input: {threadId: $t, body: "hi"}) { message { seq } } }`,
		"variables": map[string]any{"t": c.ThreadID},
	})
	batch := "[" + strings.TrimSuffix(strings.Repeat(string(op)+",", 3), ",") + "]"
	_, body := postJSON(t, s, batch, map[string]string{"Authorization": "Bearer " + c.Visitor.Token})
	if !bytes.Contains(body, []byte(`"RATE_LIMITED"`)) {
		t.Fatalf("3 messages in one batch with a limit of 2 per minute (1 already sent): %s", body)
	}
}

// TestAutomaticPersistedQueries: Apollo's protocol over POST and GET; an
// unknown hash is PERSISTED_QUERY_NOT_FOUND; GET answers are not cached
// for signed-in callers and vary with the token and origin.
func TestAutomaticPersistedQueries(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	u := s.SignUp("apq")
	const q = `{ viewer { handle } }`
	sum := sha256.Sum256([]byte(q))
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`
	auth := map[string]string{"Authorization": "Bearer " + u.Token}
	_, body := postJSON(t, s, `{"extensions":`+ext+`}`, auth)
	if !bytes.Contains(body, []byte(`"PERSISTED_QUERY_NOT_FOUND"`)) {
		t.Fatalf("unknown hash: %s", body)
	}
	get := func() (rawAnswer, []byte) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"?extensions="+url.QueryEscape(ext), nil)
		req.Header.Set("Authorization", "Bearer "+u.Token)
		return raw(t, req)
	}
	if _, body := get(); !bytes.Contains(body, []byte(`"PERSISTED_QUERY_NOT_FOUND"`)) {
		t.Fatalf("unknown hash over GET: %s", body)
	}
	if _, body := postJSON(t, s, `{"query":`+strconvQuote(q)+`,"extensions":`+ext+`}`, auth); !bytes.Contains(body, []byte(u.Handle)) {
		t.Fatalf("query with its hash: %s", body)
	}
	if _, body := postJSON(t, s, `{"extensions":`+ext+`}`, auth); !bytes.Contains(body, []byte(u.Handle)) {
		t.Fatalf("known hash over POST: %s", body)
	}
	res, body := get()
	if !bytes.Contains(body, []byte(u.Handle)) {
		t.Fatalf("known hash over GET: %s", body)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") || !strings.Contains(cc, "no-store") {
		t.Fatalf("GET answer for a signed-in caller: Cache-Control %q", cc)
	}
	if vary := strings.Join(res.Header.Values("Vary"), ","); !strings.Contains(vary, "Authorization") || !strings.Contains(vary, "Origin") {
		t.Fatalf("GET answer: Vary %q", vary)
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestGraphQLOverHTTPStatuses (rule 27, the GraphQL over HTTP spec):
// request errors answer 200 to application/json clients and 400 to
// application/graphql-response+json ones, without a data key; unsupported
// methods and content types answer a coded JSON error.
func TestGraphQLOverHTTPStatuses(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite, apptest.WithAPI(func(c *api.Config) { c.Limits.MaxDepth = 1 }))
	for q, code := range map[string]string{`{ viewer {`: "BAD_USER_INPUT", `{ nosuchfield }`: "BAD_USER_INPUT", `{ viewer { id } }`: "QUERY_TOO_COMPLEX"} {
		for accept, want := range map[string]int{"application/json": 200, "application/graphql-response+json": 400, "": 200} {
			res, body := postJSON(t, s, `{"query":`+strconvQuote(q)+`}`, map[string]string{"Accept": accept})
			if res.StatusCode != want || bytes.Contains(body, []byte(`"data"`)) || !bytes.Contains(body, []byte(`"code":"`+code+`"`)) {
				t.Fatalf("%q with Accept %q: %d %s (want %d, %s, no data)", q, accept, res.StatusCode, body, want, code)
			}
		}
	}
	req, _ := http.NewRequest(http.MethodPatch, s.URL, strings.NewReader(`{}`))
	res, body := raw(t, req)
	if res.StatusCode != http.StatusMethodNotAllowed || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || !bytes.Contains(body, []byte(`"code":`)) {
		t.Fatalf("PATCH: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	req, _ = http.NewRequest(http.MethodPost, s.URL, strings.NewReader(`{ viewer { id } }`))
	req.Header.Set("Content-Type", "text/plain")
	res, body = raw(t, req)
	if res.StatusCode != http.StatusUnsupportedMediaType || !bytes.Contains(body, []byte(`"code":`)) {
		t.Fatalf("text/plain POST: %d %s", res.StatusCode, body)
	}
}

// TestSubscriptionWhereNothingStreams: a subscription over a plain POST is
// refused at once with a code instead of hanging until an event.
func TestSubscriptionWhereNothingStreams(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	c := s.StartConversation("nostream")
	q, _ := json.Marshal(map[string]any{"query": `subscription($t: ID!) { messageAdded(threadId: $t) { seq } }`, "variables": map[string]any{"t": c.ThreadID}})
	res, body := postJSON(t, s, string(q), map[string]string{"Authorization": "Bearer " + c.Visitor.Token, "Accept": "application/json"})
	if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"BAD_USER_INPUT"`)) || !bytes.Contains(body, []byte("streaming")) {
		t.Fatalf("subscription over POST: %d %s", res.StatusCode, body)
	}
}

// TestTransportWSErrorIsTheLastMessage: graphql-transport-ws forbids
// anything for an operation after its error message.
func TestTransportWSErrorIsTheLastMessage(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	u := s.SignUp("wserr")
	ws := s.Connect(apptest.TransportWS, u.Token)
	defer ws.Close()
	ws.Subscribe("bad", `query { nosuchfield }`, nil)
	if m := ws.Next(wait); m.Type != "error" || m.ID != "bad" {
		t.Fatalf("want error for bad, got %s %s %s", m.Type, m.ID, m.Payload)
	}
	ws.Subscribe("good", `query { viewer { id } }`, nil)
	if m := ws.Next(wait); m.ID != "good" || m.Type != "next" {
		t.Fatalf("after error for bad, want next for good, got %s %s %s", m.Type, m.ID, m.Payload)
	}
}

// urql sends queries as GET by default, with text/event-stream listed
// after the JSON types in its Accept: that is a query wanting JSON, not an
// event stream (the web app's first request failed on it).
func TestGETWithURQLsAcceptAnswersJSON(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		req, _ := http.NewRequest(http.MethodGet, s.URL+"?query="+url.QueryEscape("{ __typename }"), nil)
		req.Header.Set("Accept", "application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed")
		if r := s.Send(req); r.Status != http.StatusOK || r.String("__typename") != "Query" {
			t.Fatalf("GET with urql's Accept: %d %s", r.Status, r.Raw)
		}
	})
}
