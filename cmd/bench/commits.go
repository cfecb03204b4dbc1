package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/lib/pq"

	"pageinbox/internal/pubsub"
)

// commitMarks records when each message's event left PostgreSQL. The
// server sends its NOTIFY right after the sending transaction commits, and
// PostgreSQL hands it to every listener at once - the server's and this
// one - so its arrival here is the commit time to within a millisecond,
// without counting the sending transaction itself (a group message also
// writes a notification per member before it commits, which createdAt,
// set at the start, would count).
type commitMarks struct {
	l      *pq.Listener
	thread string
	done   chan struct{}

	mu      sync.Mutex
	at      map[int]time.Time // seq -> arrival
	changed chan struct{}     // closed (and replaced) when a mark arrives
}

func listenCommits(dsn, thread string) (*commitMarks, error) {
	c := &commitMarks{l: pq.NewListener(dsn, time.Second, time.Second, nil), thread: thread,
		done: make(chan struct{}), at: map[int]time.Time{}, changed: make(chan struct{})}
	if err := c.l.Listen(pubsub.Channel); err != nil {
		_ = c.l.Close()
		return nil, err
	}
	go c.run()
	return c, nil
}

func (c *commitMarks) run() {
	defer close(c.done)
	// Events carry database ids; the API's ids are opaque.
	want := []byte(`"th":` + strconv.Itoa(rawID(c.thread)) + `,`)
	for n := range c.l.Notify {
		if n == nil {
			continue
		}
		now := time.Now()
		b := []byte(n.Extra)
		if !bytes.Contains(b, []byte(`"k":"message"`)) || !bytes.Contains(b, want) {
			continue // notifications of members, inbox events
		}
		var ev struct {
			Seq int `json:"s"`
		}
		if json.Unmarshal(b, &ev) != nil {
			continue
		}
		c.mu.Lock()
		if _, ok := c.at[ev.Seq]; !ok {
			c.at[ev.Seq] = now
			close(c.changed)
			c.changed = make(chan struct{})
		}
		c.mu.Unlock()
	}
}

// wait returns when seq's event arrived here, waiting up to timeout for
// it: this listener is one goroutine among the thousands of websocket
// readers of the same process, so the subscribers may have the message
// before the mark of its commit has been recorded here (the arrival time
// is taken as the notification is read, so the wait does not skew it).
// ok is false when no mark came in time; callers count and report those.
func (c *commitMarks) wait(seq int, timeout time.Duration) (at time.Time, ok bool) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		at, ok = c.at[seq]
		changed := c.changed
		c.mu.Unlock()
		if ok {
			return at, true
		}
		select {
		case <-changed:
		case <-deadline.C:
			return time.Time{}, false
		}
	}
}

func (c *commitMarks) close() {
	_ = c.l.Close()
	<-c.done
}
