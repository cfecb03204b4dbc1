package ratelimit

import (
	"encoding/json"
	"time"
)

// buckets is how many slices a window's period is cut into. The state of
// a key is then at most this many (slice, count, last event) triples,
// whatever the limit: a limit of a million per minute costs what a limit
// of 60 does, where a log of every event's time would grow with it.
const buckets = 60

// bucket counts the events of one slice of the period and remembers the
// newest one's time.
type bucket struct {
	Slice int64 `json:"s"` // time / (period / buckets)
	Count int   `json:"n"`
	Last  int64 `json:"l"` // Unix nanoseconds of the newest event in it
}

// window is a key's buckets, oldest first.
//
// A bucket's events all count until its newest event leaves the period,
// so the window never lets more than Max events into any period; it may
// hold a caller back at most one slice (period/60: a second for a
// per-minute limit) longer than a log of every event would. When the
// events of a bucket share one instant - a burst - the answer is exact.
type window []bucket

// live drops the buckets whose newest event left the period.
func (w window) live(lim Limit, now time.Time) window {
	cutoff := now.Add(-lim.Period).UnixNano()
	i := 0
	for i < len(w) && w[i].Last <= cutoff {
		i++
	}
	return w[i:]
}

// marshal is the window as stored.
func (w window) marshal() []byte {
	raw, _ := json.Marshal(w) // a slice of plain structs: cannot fail
	return raw
}

func (w window) count() int {
	n := 0
	for _, b := range w {
		n += b.Count
	}
	return n
}

func slice(lim Limit, t time.Time) int64 {
	width := max(lim.Period.Nanoseconds()/buckets, 1)
	return t.UnixNano() / width
}

// add counts an event at now (now is never before the newest event of a
// clock that only moves forward; an older one joins the newest bucket).
func (w window) add(lim Limit, now time.Time) window {
	s, at := slice(lim, now), now.UnixNano()
	if n := len(w); n > 0 && w[n-1].Slice >= s {
		w = append(window(nil), w...)
		w[n-1].Count++
		w[n-1].Last = max(w[n-1].Last, at)
		return w
	}
	return append(append(window(nil), w...), bucket{Slice: s, Count: 1, Last: at})
}

// remove takes back one event counted at at (a cancelled reservation).
func (w window) remove(lim Limit, at time.Time) window {
	s := slice(lim, at)
	out := append(window(nil), w...)
	for i := range out {
		if out[i].Slice == s {
			if out[i].Count--; out[i].Count == 0 {
				out = append(out[:i], out[i+1:]...)
			}
			break
		}
	}
	return out
}

// wait is how long until a full window has room: buckets leave oldest
// first, each when its newest event leaves the period.
func (w window) wait(lim Limit, now time.Time) time.Duration {
	n := w.count()
	for _, b := range w {
		n -= b.Count
		if n < lim.Max {
			return time.Unix(0, b.Last).Add(lim.Period).Sub(now)
		}
	}
	return 0
}
