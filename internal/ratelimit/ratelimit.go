// Package ratelimit is the server's sliding-window limits (rules 23 and 30):
// at most Max events per key in any Period - messages per sender, failed
// log-ins per account and per client address, sign-ups per address.
//
// The windows live in the database (ent type RateEvent, one row per counted
// event), not in each replica's memory: replicas that share the database
// then share every limit, where per-replica windows let a sender through
// Max times per replica. A sliding log rather than a token bucket such as
// golang.org/x/time/rate: a bucket of 60 refilling one per second lets an
// idle sender through 60 at once and then one a second, up to 120 in a
// minute, where the rule says 60. The log is exact and tells a refused
// caller precisely when the oldest event leaves the window
// (retryAfterSeconds).
//
// A shared cache (Redis, memcached) would answer faster, but would be one
// more service to run, secure and keep available for a limit that the
// database - already on every request's path - can hold; the cost is two
// or three short statements per counted event (see the README's benchmark).
package ratelimit

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/rateevent"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// Limit allows Max events per key in any Period; Max <= 0 allows all.
type Limit struct {
	Name   string // the key's prefix: which limit this is
	Max    int
	Period time.Duration
}

// Off reports whether the limit allows everything.
func (l Limit) Off() bool { return l.Max <= 0 }

func (l Limit) key(subject string) string { return l.Name + ":" + subject }

// sweepEvery is how many recorded events pass between sweeps of a limit's
// expired rows: often enough to keep the table the size of the active
// windows, rare enough to cost nothing per event.
const sweepEvery = 1024

// Limiter reads and writes the windows. Safe for concurrent use.
type Limiter struct {
	postgres bool
	recorded atomic.Int64
}

// New returns a limiter on the database the ent client talks to.
func New(postgres bool) *Limiter { return &Limiter{postgres: postgres} }

// Take records an event for subject inside tx if the window has room;
// otherwise it returns ok false and how long until a slot frees. The event
// is part of tx: if tx rolls back, the event never counted. Concurrent
// Takes of one key - on any replica - are serialized until tx ends, so
// the window is never overshot.
func (l *Limiter) Take(ctx context.Context, tx *ent.Tx, lim Limit, subject string, now time.Time) (retryAfter time.Duration, ok bool, err error) {
	if lim.Off() {
		return 0, true, nil
	}
	key := lim.key(subject)
	if err := store.LockKey(ctx, tx, l.postgres, key); err != nil {
		return 0, false, err
	}
	if wait, full, err := l.full(ctx, tx.Client(), lim, key, now); err != nil || full {
		return wait, false, err
	}
	return 0, true, l.record(ctx, tx.Client(), lim, key, now)
}

// Check tells whether subject's window is full, without recording.
func (l *Limiter) Check(ctx context.Context, c *ent.Client, lim Limit, subject string, now time.Time) (retryAfter time.Duration, ok bool, err error) {
	if lim.Off() {
		return 0, true, nil
	}
	wait, full, err := l.full(ctx, c, lim, lim.key(subject), now)
	return wait, !full, err
}

// Record counts an event for subject that already happened (a failed
// log-in), whether or not the window had room.
func (l *Limiter) Record(ctx context.Context, c *ent.Client, lim Limit, subject string, now time.Time) error {
	if lim.Off() {
		return nil
	}
	return l.record(ctx, c, lim, lim.key(subject), now)
}

// full reads the newest Max events of key in the window.
func (l *Limiter) full(ctx context.Context, c *ent.Client, lim Limit, key string, now time.Time) (time.Duration, bool, error) {
	var recent []struct {
		At time.Time `json:"at"`
	}
	err := c.RateEvent.Query().
		Where(rateevent.Key(key), rateevent.AtGT(now.Add(-lim.Period))).
		Order(ent.Desc(rateevent.FieldAt)).
		Limit(lim.Max).
		Select(rateevent.FieldAt).
		Scan(rule.System(ctx), &recent)
	if err != nil {
		return 0, false, fmt.Errorf("ratelimit: read %s: %w", lim.Name, err)
	}
	if len(recent) < lim.Max {
		return 0, false, nil
	}
	// The oldest of the newest Max leaves the window first.
	return recent[len(recent)-1].At.Add(lim.Period).Sub(now), true, nil
}

func (l *Limiter) record(ctx context.Context, c *ent.Client, lim Limit, key string, now time.Time) error {
	ctx = rule.System(ctx)
	if err := c.RateEvent.Create().SetKey(key).SetAt(now).Exec(ctx); err != nil {
		return fmt.Errorf("ratelimit: record %s: %w", lim.Name, err)
	}
	if l.recorded.Add(1)%sweepEvery != 0 {
		return nil
	}
	// Forget this limit's events that left the window. The key range is
	// the limit's prefix, so the (key, at) index serves the delete.
	_, err := c.RateEvent.Delete().
		Where(rateevent.KeyGT(lim.Name+":"), rateevent.KeyLT(lim.Name+";"), rateevent.AtLTE(now.Add(-lim.Period))).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("ratelimit: sweep %s: %w", lim.Name, err)
	}
	return nil
}

// RetrySeconds rounds a wait up to whole seconds, at least 1, for
// extensions.retryAfterSeconds: rounding down would send the client back a
// moment too early, into another refusal.
func RetrySeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
