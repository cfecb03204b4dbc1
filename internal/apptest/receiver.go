package apptest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Delivery is one request a webhook receiver got.
type Delivery struct {
	Header http.Header
	Body   []byte
}

// Receiver is a webhook endpoint on 127.0.0.1 that records what it gets
// and answers with the status codes it is told to (200 once they run out).
type Receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      []Delivery
	statuses []int
	arrived  chan struct{}
}

// NewReceiver starts a receiver answering the given statuses in turn.
func NewReceiver(t testing.TB, statuses ...int) *Receiver {
	r := &Receiver{statuses: statuses, arrived: make(chan struct{}, 1024)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, Delivery{Header: req.Header.Clone(), Body: body})
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		r.mu.Unlock()
		r.arrived <- struct{}{}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

// Wait waits for the n-th request (1-based) and returns all so far.
func (r *Receiver) Wait(t testing.TB, n int) []Delivery {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		r.mu.Lock()
		got := append([]Delivery(nil), r.got...)
		r.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-r.arrived:
		case <-deadline:
			t.Fatalf("receiver: %d of %d requests after 10 s", len(got), n)
		}
	}
}

// Count returns how many requests arrived.
func (r *Receiver) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}
