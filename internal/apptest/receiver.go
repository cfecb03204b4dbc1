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

// Reply is one answer of a receiver: a status and its headers (such as
// Retry-After).
type Reply struct {
	Status int
	Header http.Header
	// Hang holds the answer until the request is abandoned (an attempt
	// timing out).
	Hang bool
}

// Receiver is a webhook endpoint on 127.0.0.1 that records what it gets
// and answers with the replies it is told to (200 once they run out).
type Receiver struct {
	*httptest.Server
	mu      sync.Mutex
	got     []Delivery
	replies []Reply
	arrived chan struct{}
}

// NewReceiver starts a receiver answering the given statuses in turn.
func NewReceiver(t testing.TB, statuses ...int) *Receiver {
	replies := make([]Reply, len(statuses))
	for i, s := range statuses {
		replies[i] = Reply{Status: s}
	}
	return NewReplyingReceiver(t, replies...)
}

// NewReplyingReceiver starts a receiver giving the given replies in turn.
func NewReplyingReceiver(t testing.TB, replies ...Reply) *Receiver {
	r := &Receiver{replies: replies, arrived: make(chan struct{}, 1024)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, Delivery{Header: req.Header.Clone(), Body: body})
		reply := Reply{Status: http.StatusOK}
		if len(r.replies) > 0 {
			reply, r.replies = r.replies[0], r.replies[1:]
		}
		r.mu.Unlock()
		r.arrived <- struct{}{}
		if reply.Hang {
			<-req.Context().Done()
			return
		}
		for k, v := range reply.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(reply.Status)
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
