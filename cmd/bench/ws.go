package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// maxSeq bounds the seqs a benchmark run sends.
const maxSeq = 1 << 12

// deliveries collects when each subscriber received each message. The
// load client shares two cores with the server, so recording is cheap:
// each subscriber appends to its own list and counts are atomic.
type deliveries struct {
	counts [maxSeq]atomic.Int64
	mu     sync.Mutex
	subs   []*receipts
	errs   atomic.Int64
}

// receipts is one subscriber's record.
type receipts struct {
	mu  sync.Mutex
	seq []int
	at  []time.Time
}

func newDeliveries() *deliveries { return &deliveries{} }

func (d *deliveries) newSubscriber() *receipts {
	r := &receipts{}
	d.mu.Lock()
	d.subs = append(d.subs, r)
	d.mu.Unlock()
	return r
}

func (d *deliveries) record(r *receipts, seq int, at time.Time) {
	if seq <= 0 || seq >= maxSeq {
		d.errs.Add(1)
		return
	}
	r.mu.Lock()
	r.seq = append(r.seq, seq)
	r.at = append(r.at, at)
	r.mu.Unlock()
	d.counts[seq].Add(1)
}

// latencies returns each delivery of seq measured from t0.
func (d *deliveries) latencies(seq int, t0 time.Time) []time.Duration {
	at := d.receipts(seq)
	out := make([]time.Duration, len(at))
	for i, t := range at {
		out[i] = t.Sub(t0)
	}
	return out
}

// receipts returns when each subscriber received seq.
func (d *deliveries) receipts(seq int) []time.Time {
	d.mu.Lock()
	subs := d.subs
	d.mu.Unlock()
	var out []time.Time
	for _, r := range subs {
		r.mu.Lock()
		for i, s := range r.seq {
			if s == seq {
				out = append(out, r.at[i])
			}
		}
		r.mu.Unlock()
	}
	return out
}

// wait blocks until n subscribers received seq, or the timeout.
func (d *deliveries) wait(ctx context.Context, seq, n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		got := d.counts[seq].Load()
		if got >= int64(n) {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("message %d reached %d of %d subscribers in %s", seq, got, n, timeout)
		}
		time.Sleep(time.Millisecond)
	}
}

// subscribe opens a graphql-transport-ws socket as token and starts a
// subscription whose payload holds a message's seq; a
// goroutine records each delivery until ctx ends.
func subscribe(ctx context.Context, wsURL, token, query string, vars map[string]any, d *deliveries, wg *sync.WaitGroup) error {
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := dialRaw(dctx, wsURL, "graphql-transport-ws")
	if err != nil {
		return err
	}
	write := func(v any) error {
		b, _ := json.Marshal(v)
		return c.writeText(b)
	}
	if err := write(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": "Bearer " + token}}); err != nil {
		c.close()
		return err
	}
	ack, err := c.next()
	if err != nil || !bytes.Contains(ack, []byte(`"connection_ack"`)) {
		c.close()
		return fmt.Errorf("no connection_ack: %s: %w", ack, err)
	}
	if err := write(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query":     query,
		"variables": vars,
	}}); err != nil {
		c.close()
		return err
	}
	r := d.newSubscriber()
	stop := context.AfterFunc(ctx, c.close)
	wg.Go(func() {
		defer stop()
		defer c.close()
		for {
			data, err := c.next()
			now := time.Now()
			if err != nil {
				return
			}
			switch {
			case bytes.Contains(data, []byte(`"type":"next"`)):
				seq, err := strconv.Atoi(string(field(data, "seq")))
				if err != nil {
					d.errs.Add(1)
					continue
				}
				d.record(r, seq, now)
			case bytes.Contains(data, []byte(`"type":"ping"`)):
				_ = c.writeText([]byte(`{"type":"pong"}`))
			case bytes.Contains(data, []byte(`"type":"error"`)), bytes.Contains(data, []byte(`"type":"complete"`)):
				d.errs.Add(1)
				return
			}
		}
	})
	return nil
}

// field picks a scalar field's value out of a JSON message without
// decoding it all.
func field(data []byte, name string) []byte {
	i := bytes.Index(data, []byte(`"`+name+`":`))
	if i < 0 {
		return nil
	}
	v := data[i+len(name)+3:]
	end := bytes.IndexAny(v, ",}")
	if end < 0 {
		return nil
	}
	return bytes.Trim(v[:end], `"`)
}
