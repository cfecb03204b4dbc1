package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"pageinbox/internal/apptest"
)

// lockedBuffer collects the server's log while requests write to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRequestIDs: every response names its request id (the proxy's when it
// sent a sane one, a fresh one otherwise, never a forged log line); an
// INTERNAL error carries it in extensions.requestId, and the server's log
// line for that error carries the same id, on one line.
func TestRequestIDs(t *testing.T) {
	var logs lockedBuffer
	s := apptest.Start(t, apptest.SQLite, apptest.WithLogs(&logs))
	send := func(id string) (*apptest.Response, string) {
		req, _ := http.NewRequest(http.MethodPost, s.URL, strings.NewReader(`{"query":"{ pages(first: 1) { totalCount } }"}`))
		req.Header.Set("Content-Type", "application/json")
		if id != "" {
			req.Header.Set("X-Request-Id", id)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		r := &apptest.Response{Status: res.StatusCode}
		var body struct{ Errors []apptest.Error }
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		r.Errors = body.Errors
		r.Raw, _ = json.Marshal(body)
		return r, res.Header.Get("X-Request-Id")
	}
	if _, got := send("lb-7f3a-42"); got != "lb-7f3a-42" {
		t.Fatalf("a proxy's id is not kept: %q", got)
	}
	a, b := "", ""
	if _, a = send(""); len(a) < 16 {
		t.Fatalf("no id made: %q", a)
	}
	if _, b = send("forged level=ERROR msg=x"); b == a || strings.ContainsAny(b, "\n =") {
		t.Fatalf("an insane id is taken or ids repeat: %q %q", a, b)
	}

	// A broken database: the query fails with INTERNAL.
	if _, err := s.Store.DB.Exec(`ALTER TABLE pages RENAME TO pages_gone`); err != nil {
		t.Fatal(err)
	}
	r, id := send("report-me-123")
	if r.Code() != "INTERNAL" || r.Errors[0].Extensions["requestId"] != id || id != "report-me-123" {
		t.Fatalf("an internal error: %s (request id %q)", r.Raw, id)
	}
	var line string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "internal error") {
			line = l
		}
	}
	if !strings.Contains(line, "request_id=report-me-123") {
		t.Fatalf("the log line of the internal error does not name the request:\n%s", logs.String())
	}
}
