package apptest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// SSEStream is a subscription over server-sent events.
type SSEStream struct {
	s      *Server
	events chan *Response
	cancel context.CancelFunc
}

// SSE starts a subscription over server-sent events.
func (s *Server) SSE(token, query string, vars Vars) *SSEStream {
	s.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req) //nolint:bodyclose // closed by the reader goroutine below
	if err != nil {
		cancel()
		s.t.Fatalf("sse: %v", err)
	}
	st := &SSEStream{s: s, events: make(chan *Response, 1024), cancel: cancel}
	s.t.Cleanup(cancel)
	go func() {
		defer res.Body.Close()
		defer close(st.events)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			line := sc.Text()
			data, ok := strings.CutPrefix(line, "data: ")
			if !ok {
				continue
			}
			r := &Response{t: s.t, Raw: []byte(data)}
			var out struct {
				Data   map[string]any `json:"data"`
				Errors []Error        `json:"errors"`
			}
			if json.Unmarshal([]byte(data), &out) == nil {
				r.Data, r.Errors = out.Data, out.Errors
				st.events <- r
			}
		}
	}()
	return st
}

// Next returns the next event, failing after timeout.
func (st *SSEStream) Next(timeout time.Duration) *Response {
	st.s.t.Helper()
	select {
	case r, ok := <-st.events:
		if !ok {
			st.s.t.Fatal("sse stream ended")
		}
		return r
	case <-time.After(timeout):
		st.s.t.Fatalf("no sse event within %s", timeout)
	}
	return nil
}

// Close ends the stream.
func (st *SSEStream) Close() { st.cancel() }
