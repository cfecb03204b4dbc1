// Package ratelimit is the server's sliding-window limits (rules 23 and 30):
// at most Max events per key in any Period - messages per sender, failed
// log-ins per account and per client address, sign-ups per address.
//
// The windows live in the database (ent type RateWindow: one row per key),
// not in each replica's memory: replicas that share the database then share
// every limit, where per-replica windows let a sender through Max times per
// replica. A sliding window rather than a token bucket such as
// golang.org/x/time/rate: a bucket of 60 refilling one per second lets an
// idle sender through 60 at once and then one a second, up to 120 in a
// minute, where the rule says 60. The window is kept as 60 slices of the
// period (window.go), so it never lets more than Max events into any period
// and costs the same for any Max.
//
// Counting is a read and a compare-and-swap write that keeps the key's row
// locked until the transaction ends (see swap), so concurrent events of
// one key - on any replica - never overshoot. When this replica wrote the
// key's window last (a sender's next message), the read is skipped: the
// swap against that window is the whole cost, one statement, and it
// fails harmlessly, falling back to the read, if the row changed since.
//
// A shared cache (Redis, memcached) would answer faster, but is one more
// service to run, secure and keep available for limits the database -
// already on every request's path - can hold (see the README's benchmark
// for the cost).
package ratelimit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"pageinbox/ent"
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

// sweepEvery is how many counted events pass between sweeps of a limit's
// idle windows: often enough to keep the table the size of the active
// keys, rare enough to cost nothing per event.
const sweepEvery = 1024

// Limiter reads and writes the windows. Safe for concurrent use.
type Limiter struct {
	counted atomic.Int64

	// wrote remembers the window this replica last wrote for each key, so
	// that the next event of a key (a sender's next message) can go
	// straight to the compare-and-swap: one statement instead of a read
	// and a write. Only a hint: the swap succeeds only if the row still
	// holds exactly that window, and otherwise the event is counted the
	// long way (read, then swap).
	mu    sync.Mutex
	wrote map[string][]byte
}

// wroteMax bounds the hints; a full map starts over.
const wroteMax = 10_000

// hint returns the window this replica last wrote for key.
func (l *Limiter) hint(key string) ([]byte, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	raw, ok := l.wrote[key]
	return raw, ok
}

// remember records the window just written for key (nil forgets it).
func (l *Limiter) remember(key string, raw []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if raw == nil {
		delete(l.wrote, key)
		return
	}
	if l.wrote == nil || len(l.wrote) >= wroteMax {
		l.wrote = make(map[string][]byte)
	}
	l.wrote[key] = raw
}

// New returns a limiter.
func New() *Limiter { return &Limiter{} }

// querier is what a transaction and a client both offer; Dialect picks
// the statements (internal/store writes them for each database).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	Dialect() string
}

// Take counts an event for subject at now inside tx if the window has
// room; otherwise it returns ok false and how long until a slot frees. The
// event is part of tx: if tx rolls back, it never counted.
func (l *Limiter) Take(ctx context.Context, tx *ent.Tx, lim Limit, subject string, now time.Time) (retryAfter time.Duration, ok bool, err error) {
	if lim.Off() {
		return 0, true, nil
	}
	key := lim.key(subject)
	if ok, err := l.takeOnHint(ctx, tx, lim, key, now); err != nil || ok {
		return 0, ok, err
	}
	for {
		w, raw, found, err := l.read(ctx, tx, key, false)
		if err != nil {
			return 0, false, fmt.Errorf("ratelimit: %s: %w", lim.Name, err)
		}
		// A refusal needs no lock: a concurrent event can only fill the
		// window further.
		if w = w.live(lim, now); w.count() >= lim.Max {
			return w.wait(lim, now), false, nil
		}
		next := w.add(lim, now)
		swapped, err := l.swap(ctx, tx, key, raw, found, next)
		if err != nil {
			return 0, false, fmt.Errorf("ratelimit: %s: %w", lim.Name, err)
		}
		if swapped {
			l.remember(key, next.marshal())
			break
		}
		// Another transaction counted an event of this key since the
		// read and committed: read again.
	}
	if l.counted.Add(1)%sweepEvery == 0 {
		if err := l.sweep(ctx, tx, lim, now); err != nil {
			return 0, false, err
		}
	}
	return 0, true, nil
}

// takeOnHint counts the event with a single compare-and-swap against the
// window this replica last wrote for key, when there is one with room.
// false without error: no hint, no room in it (a refusal is always
// decided on a fresh read), or the row changed since; Take then reads.
func (l *Limiter) takeOnHint(ctx context.Context, tx *ent.Tx, lim Limit, key string, now time.Time) (bool, error) {
	old, ok := l.hint(key)
	if !ok {
		return false, nil
	}
	var w window
	if err := json.Unmarshal(old, &w); err != nil {
		l.remember(key, nil)
		return false, nil //nolint:nilerr // a bad hint is no hint
	}
	if w = w.live(lim, now); w.count() >= lim.Max {
		return false, nil
	}
	next := w.add(lim, now)
	swapped, err := l.swap(ctx, tx, key, old, true, next)
	if err != nil {
		return false, fmt.Errorf("ratelimit: %s: %w", lim.Name, err)
	}
	if !swapped {
		l.remember(key, nil)
		return false, nil
	}
	l.remember(key, next.marshal())
	if l.counted.Add(1)%sweepEvery == 0 {
		if err := l.sweep(ctx, tx, lim, now); err != nil {
			return false, err
		}
	}
	return true, nil
}

// swap writes w over the window read as old (found false: no row yet)
// and reports whether nobody changed it in between. The row is then
// locked until the transaction ends, so the compare-and-swap of a
// concurrent transaction waits for it and, once it commits, fails and
// reads again: one read and one write per counted event, and no overshoot
// on any replica. (SQLite transactions hold the write lock from BEGIN;
// there the swap always succeeds.)
func (l *Limiter) swap(ctx context.Context, q querier, key string, old []byte, found bool, w window) (bool, error) {
	raw := w.marshal()
	last := w[len(w)-1].Last
	stmts := store.RateWindowStatements(q.Dialect())
	stmt, args := stmts.Insert, []any{key, string(raw), last}
	if found {
		stmt, args = stmts.Swap, stmts.SwapArgs(key, string(raw), last, string(old))
	}
	res, err := q.ExecContext(ctx, stmt, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// read returns key's window; forUpdate locks the row on PostgreSQL
// (SQLite transactions hold the write lock from BEGIN).
func (l *Limiter) read(ctx context.Context, q querier, key string, forUpdate bool) (w window, raw []byte, found bool, err error) {
	stmts := store.RateWindowStatements(q.Dialect())
	stmt := stmts.Read
	if forUpdate {
		stmt = stmts.ReadLock
	}
	rows, err := q.QueryContext(ctx, stmt, key)
	if err != nil {
		return nil, nil, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, nil, false, rows.Err()
	}
	if err := rows.Scan(&raw); err != nil {
		return nil, nil, false, err
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, nil, false, err
	}
	return w, raw, true, rows.Close()
}

func (l *Limiter) write(ctx context.Context, q querier, key string, w window) error {
	raw := w.marshal()
	var last int64
	if len(w) > 0 {
		last = w[len(w)-1].Last
	}
	_, err := q.ExecContext(ctx, store.RateWindowStatements(q.Dialect()).Upsert, key, string(raw), last)
	return err
}

// sweep forgets lim's windows whose newest event left the window. The key
// range is the limit's prefix, so the unique key index serves it.
func (l *Limiter) sweep(ctx context.Context, q querier, lim Limit, now time.Time) error {
	if _, err := q.ExecContext(ctx, store.RateWindowStatements(q.Dialect()).Sweep, lim.Name+":", lim.Name+";", now.Add(-lim.Period).UnixNano()); err != nil {
		return fmt.Errorf("ratelimit: sweep %s: %w", lim.Name, err)
	}
	return nil
}

// Check tells whether subject's window is full, without counting.
func (l *Limiter) Check(ctx context.Context, c *ent.Client, lim Limit, subject string, now time.Time) (retryAfter time.Duration, ok bool, err error) {
	if lim.Off() {
		return 0, true, nil
	}
	w, _, _, err := l.read(ctx, c, lim.key(subject), false)
	if err != nil {
		return 0, false, fmt.Errorf("ratelimit: %s: %w", lim.Name, err)
	}
	if w = w.live(lim, now); w.count() >= lim.Max {
		return w.wait(lim, now), false, nil
	}
	return 0, true, nil
}

// Subject is one window an event counts in.
type Subject struct {
	Limit Limit
	ID    string
}

// Reservation is events counted before their outcome is known (a log-in
// counts as failed until its password checked out); Cancel takes them
// back. Counting first means parallel attempts - on any replica - cannot
// all slip in under the limit while each is still being checked.
type Reservation struct {
	l        *Limiter
	c        *ent.Client
	subjects []Subject
	at       time.Time
}

var errFull = errors.New("ratelimit: window full")

// Reserve counts one event in each subject's window, or in none of them if
// any is full: then it returns ok false and the longest wait. Subjects
// with an empty ID or a limit that is off are skipped.
func (l *Limiter) Reserve(ctx context.Context, c *ent.Client, now time.Time, subjects ...Subject) (res *Reservation, retryAfter time.Duration, ok bool, err error) {
	subjects = slices.DeleteFunc(slices.Clone(subjects), func(s Subject) bool { return s.Limit.Off() || s.ID == "" })
	if len(subjects) == 0 {
		return nil, 0, true, nil
	}
	// One lock order for everyone, so two reservations cannot deadlock.
	slices.SortFunc(subjects, func(a, b Subject) int { return strings.Compare(a.Limit.key(a.ID), b.Limit.key(b.ID)) })
	res = &Reservation{l: l, c: c, subjects: subjects, at: now}
	err = store.InTx(ctx, c, func(tx *ent.Tx) error {
		retryAfter = 0
		for _, s := range subjects {
			wait, ok, err := l.Take(ctx, tx, s.Limit, s.ID, now)
			if err != nil {
				return err
			}
			if !ok {
				retryAfter = max(retryAfter, wait)
			}
		}
		if retryAfter > 0 {
			return errFull // roll back the events counted so far
		}
		return nil
	})
	if errors.Is(err, errFull) {
		return nil, retryAfter, false, nil
	}
	if err != nil {
		return nil, 0, false, err
	}
	return res, 0, true, nil
}

// Cancel takes the reserved events back. A nil Reservation is a no-op.
func (r *Reservation) Cancel(ctx context.Context) error {
	if r == nil || len(r.subjects) == 0 {
		return nil
	}
	err := store.InTx(ctx, r.c, func(tx *ent.Tx) error {
		for _, s := range r.subjects {
			key := s.Limit.key(s.ID)
			w, _, found, err := r.l.read(ctx, tx, key, true)
			if err != nil {
				return err
			}
			if found {
				if err := r.l.write(ctx, tx, key, w.remove(s.Limit, r.at)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ratelimit: cancel: %w", err)
	}
	r.subjects = nil
	return nil
}

// RetrySeconds rounds a wait up to whole seconds, at least 1, for
// extensions.retryAfterSeconds: rounding down would send the client back a
// moment too early, into another refusal.
func RetrySeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
