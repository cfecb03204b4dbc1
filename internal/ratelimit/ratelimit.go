// Package ratelimit is rule 23's per-sender message limit: at most Limit
// messages in any Period (60 per minute by default).
//
// It keeps a sliding log - the times of each sender's accepted sends in the
// current period - rather than a token bucket such as
// golang.org/x/time/rate: a bucket of 60 that refills one per second lets
// an idle sender through 60 at once and then one a second, up to 120 in a
// single minute, where the rule says 60. The log is exact, tells a refused
// sender precisely when the oldest send leaves the window (retryAfterSeconds),
// and costs one slice of at most Limit times per active sender.
//
// A send takes its slot before it is stored and gives it back if its
// transaction rolls back, so refused and failed sends do not count.
package ratelimit

import (
	"sync"
	"time"
)

// sweepEvery is how many Takes pass between sweeps of idle senders: often
// enough to keep the map the size of the active senders, rare enough to
// cost nothing per send.
const sweepEvery = 4096

// Window allows Limit events per key in any Period. The zero Limit allows
// everything. Safe for concurrent use.
type Window struct {
	limit  int
	period time.Duration

	mu    sync.Mutex
	logs  map[string][]time.Time // ascending; only times within the period
	takes int
}

// New returns a window of limit events per period; limit <= 0 turns it off.
func New(limit int, period time.Duration) *Window {
	return &Window{limit: limit, period: period, logs: make(map[string][]time.Time)}
}

// Slot is one accepted event; Release gives it back.
type Slot struct {
	w   *Window
	key string
	at  time.Time
}

// Take records an event for key at now if the window has room. Otherwise
// it returns ok false and how long until a slot frees.
func (w *Window) Take(key string, now time.Time) (slot *Slot, retryAfter time.Duration, ok bool) {
	if w == nil || w.limit <= 0 {
		return nil, 0, true // nothing recorded, nothing to give back
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.takes++
	if w.takes%sweepEvery == 0 {
		w.sweep(now)
	}
	log := live(w.logs[key], now.Add(-w.period))
	if len(log) >= w.limit {
		w.logs[key] = log
		// The earliest send that keeps the sender at the limit leaves the
		// window first.
		return nil, log[len(log)-w.limit].Add(w.period).Sub(now), false
	}
	w.logs[key] = append(log, now)
	return &Slot{w: w, key: key, at: now}, 0, true
}

// Release gives the slot back (the send it admitted did not happen). A
// second Release, or one on the nil slot of an unlimited window, is a
// no-op.
func (s *Slot) Release() {
	if s == nil || s.w == nil {
		return
	}
	w := s.w
	s.w = nil
	w.mu.Lock()
	defer w.mu.Unlock()
	log := w.logs[s.key]
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].Equal(s.at) {
			log = append(log[:i], log[i+1:]...)
			break
		}
	}
	if len(log) == 0 {
		delete(w.logs, s.key)
		return
	}
	w.logs[s.key] = log
}

// live drops the times at or before cutoff.
func live(log []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(log) && !log[i].After(cutoff) {
		i++
	}
	return log[i:]
}

// sweep forgets senders with nothing in the window. Called with mu held.
func (w *Window) sweep(now time.Time) {
	cutoff := now.Add(-w.period)
	for k, log := range w.logs {
		if len(live(log, cutoff)) == 0 {
			delete(w.logs, k)
		}
	}
}

// Senders is how many senders the window tracks (tests check idle ones are
// forgotten).
func (w *Window) Senders() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.logs)
}

// RetrySeconds rounds a wait up to whole seconds, at least 1, for
// extensions.retryAfterSeconds: rounding down would send the client back a
// moment too early, into another refusal.
func RetrySeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
