package main

import (
	"bytes"
	"encoding/json"
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

	mu sync.Mutex
	at map[int]time.Time // seq -> arrival
}

func listenCommits(dsn, thread string) (*commitMarks, error) {
	c := &commitMarks{l: pq.NewListener(dsn, time.Second, time.Second, nil), thread: thread,
		done: make(chan struct{}), at: map[int]time.Time{}}
	if err := c.l.Listen(pubsub.Channel); err != nil {
		_ = c.l.Close()
		return nil, err
	}
	go c.run()
	return c, nil
}

func (c *commitMarks) run() {
	defer close(c.done)
	want := []byte(`"th":` + c.thread)
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
		}
		c.mu.Unlock()
	}
}

// get returns when seq's event arrived.
func (c *commitMarks) get(seq int) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.at[seq]
	return t, ok
}

func (c *commitMarks) close() {
	_ = c.l.Close()
	<-c.done
}
