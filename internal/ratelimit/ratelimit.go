// Package ratelimit is the server's sliding-window limits (rules 23 and 30):
// at most Max events per key in any Period - messages per sender, failed
// log-ins per account and per client address, sign-ups per address.
//
// The windows live in the database (ent type RateWindow: one row per key
// holding the times of its counted events), not in each replica's memory:
// replicas that share the database then share every limit, where
// per-replica windows let a sender through Max times per replica. A sliding
// log rather than a token bucket such as golang.org/x/time/rate: a bucket
// of 60 refilling one per second lets an idle sender through 60 at once and
// then one a second, up to 120 in a minute, where the rule says 60. The log
// is exact and tells a refused caller precisely when the oldest event
// leaves the window (retryAfterSeconds).
//
// Counting takes the key's row lock until the transaction ends, so
// concurrent events of one key - on any replica - never overshoot. On
// PostgreSQL one INSERT ... ON CONFLICT DO UPDATE statement locks the row,
// drops expired times, decides and appends; SQLite, whose transactions
// hold the database's write lock from BEGIN, reads and writes the row.
//
// A shared cache (Redis, memcached) would answer faster, but is one more
// service to run, secure and keep available for limits the database -
// already on every request's path - can hold; the cost is one statement
// per counted message on PostgreSQL (see the README's benchmark).
package ratelimit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
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
	postgres bool
	counted  atomic.Int64
}

// New returns a limiter; postgres selects the one-statement path.
func New(postgres bool) *Limiter { return &Limiter{postgres: postgres} }

// querier is what a transaction and a client both offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Take counts an event for subject at now inside tx if the window has
// room; otherwise it returns ok false and how long until a slot frees. The
// event is part of tx: if tx rolls back, it never counted.
func (l *Limiter) Take(ctx context.Context, tx *ent.Tx, lim Limit, subject string, now time.Time) (retryAfter time.Duration, ok bool, err error) {
	if lim.Off() {
		return 0, true, nil
	}
	key := lim.key(subject)
	var times []int64
	if l.postgres {
		ok, times, err = l.takePostgres(ctx, tx, lim, key, now)
	} else {
		ok, times, err = l.takeGeneric(ctx, tx, lim, key, now)
	}
	if err != nil {
		return 0, false, fmt.Errorf("ratelimit: %s: %w", lim.Name, err)
	}
	if !ok {
		return wait(lim, times, now), false, nil
	}
	if l.counted.Add(1)%sweepEvery == 0 {
		if err := l.sweep(ctx, tx, lim, now); err != nil {
			return 0, false, err
		}
	}
	return 0, true, nil
}

// takePostgres decides in one statement. The upsert locks the key's row
// (or, for a new key, its unique-index entry) and reads its latest
// committed version, so concurrent takes queue behind each other.
func (l *Limiter) takePostgres(ctx context.Context, q querier, lim Limit, key string, now time.Time) (bool, []int64, error) {
	const stmt = `INSERT INTO rate_windows AS w (key, times, last_at, accepted)
VALUES ($1, jsonb_build_array($2::bigint), $2, true)
ON CONFLICT (key) DO UPDATE SET
	accepted = (SELECT count(*) FROM jsonb_array_elements(w.times) AS t(v) WHERE t.v::bigint > $3) < $4,
	times = CASE WHEN (SELECT count(*) FROM jsonb_array_elements(w.times) AS t(v) WHERE t.v::bigint > $3) < $4
		THEN (SELECT COALESCE(jsonb_agg(t.v ORDER BY t.i), '[]'::jsonb) FROM jsonb_array_elements(w.times) WITH ORDINALITY AS t(v, i) WHERE t.v::bigint > $3)
			|| jsonb_build_array($2::bigint)
		ELSE w.times END,
	last_at = CASE WHEN (SELECT count(*) FROM jsonb_array_elements(w.times) AS t(v) WHERE t.v::bigint > $3) < $4 THEN $2 ELSE w.last_at END
RETURNING accepted, times`
	rows, err := q.QueryContext(ctx, stmt, key, now.UnixNano(), now.Add(-lim.Period).UnixNano(), lim.Max)
	if err != nil {
		return false, nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return false, nil, err
		}
		return false, nil, errors.New("upsert returned no row")
	}
	var (
		accepted bool
		raw      []byte
		times    []int64
	)
	if err := rows.Scan(&accepted, &raw); err != nil {
		return false, nil, err
	}
	if err := json.Unmarshal(raw, &times); err != nil {
		return false, nil, err
	}
	return accepted, times, rows.Close()
}

// takeGeneric reads, decides and writes; the caller's transaction holds
// the database's write lock (SQLite).
func (l *Limiter) takeGeneric(ctx context.Context, q querier, lim Limit, key string, now time.Time) (bool, []int64, error) {
	times, err := l.read(ctx, q, key, false)
	if err != nil {
		return false, nil, err
	}
	times = live(times, lim, now)
	if len(times) >= lim.Max {
		return false, times, nil
	}
	times = append(times, now.UnixNano())
	return true, times, l.write(ctx, q, key, times)
}

// read returns key's times; forUpdate locks the row on PostgreSQL.
func (l *Limiter) read(ctx context.Context, q querier, key string, forUpdate bool) ([]int64, error) {
	stmt := `SELECT times FROM rate_windows WHERE key = ?`
	if l.postgres {
		stmt = `SELECT times FROM rate_windows WHERE key = $1`
		if forUpdate {
			stmt += ` FOR UPDATE`
		}
	}
	rows, err := q.QueryContext(ctx, stmt, key)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	var raw []byte
	if err := rows.Scan(&raw); err != nil {
		return nil, err
	}
	var times []int64
	if err := json.Unmarshal(raw, &times); err != nil {
		return nil, err
	}
	return times, rows.Close()
}

func (l *Limiter) write(ctx context.Context, q querier, key string, times []int64) error {
	raw, _ := json.Marshal(times)
	var last int64
	if len(times) > 0 {
		last = times[len(times)-1]
	}
	stmt := `INSERT INTO rate_windows (key, times, last_at, accepted) VALUES (?, ?, ?, true)
ON CONFLICT (key) DO UPDATE SET times = excluded.times, last_at = excluded.last_at, accepted = true`
	if l.postgres {
		stmt = `INSERT INTO rate_windows (key, times, last_at, accepted) VALUES ($1, $2, $3, true)
ON CONFLICT (key) DO UPDATE SET times = excluded.times, last_at = excluded.last_at, accepted = true`
	}
	_, err := q.ExecContext(ctx, stmt, key, string(raw), last)
	return err
}

// sweep forgets lim's windows whose newest event left the window. The key
// range is the limit's prefix, so the unique key index serves it.
func (l *Limiter) sweep(ctx context.Context, q querier, lim Limit, now time.Time) error {
	stmt := `DELETE FROM rate_windows WHERE key > ? AND key < ? AND last_at <= ?`
	if l.postgres {
		stmt = `DELETE FROM rate_windows WHERE key > $1 AND key < $2 AND last_at <= $3`
	}
	if _, err := q.ExecContext(ctx, stmt, lim.Name+":", lim.Name+";", now.Add(-lim.Period).UnixNano()); err != nil {
		return fmt.Errorf("ratelimit: sweep %s: %w", lim.Name, err)
	}
	return nil
}

// live drops the times that left the window (ascending input).
func live(times []int64, lim Limit, now time.Time) []int64 {
	cutoff := now.Add(-lim.Period).UnixNano()
	i := 0
	for i < len(times) && times[i] <= cutoff {
		i++
	}
	return times[i:]
}

// wait is how long until a full window has room: the oldest of its newest
// Max events leaves it first.
func wait(lim Limit, times []int64, now time.Time) time.Duration {
	times = live(times, lim, now)
	if len(times) < lim.Max {
		return 0
	}
	oldest := time.Unix(0, times[len(times)-lim.Max])
	return oldest.Add(lim.Period).Sub(now)
}

// Check tells whether subject's window is full, without counting.
func (l *Limiter) Check(ctx context.Context, c *ent.Client, lim Limit, subject string, now time.Time) (retryAfter time.Duration, ok bool, err error) {
	if lim.Off() {
		return 0, true, nil
	}
	times, err := l.read(ctx, c, lim.key(subject), false)
	if err != nil {
		return 0, false, fmt.Errorf("ratelimit: %s: %w", lim.Name, err)
	}
	if d := wait(lim, times, now); d > 0 {
		return d, false, nil
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
	l    *Limiter
	c    *ent.Client
	keys []string
	at   int64
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
	res = &Reservation{l: l, c: c, at: now.UnixNano()}
	err = store.InTx(ctx, c, func(tx *ent.Tx) error {
		res.keys, retryAfter = res.keys[:0], 0
		for _, s := range subjects {
			wait, ok, err := l.Take(ctx, tx, s.Limit, s.ID, now)
			if err != nil {
				return err
			}
			if !ok {
				retryAfter = max(retryAfter, wait)
			}
			res.keys = append(res.keys, s.Limit.key(s.ID))
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
	if r == nil || len(r.keys) == 0 {
		return nil
	}
	err := store.InTx(ctx, r.c, func(tx *ent.Tx) error {
		for _, key := range r.keys {
			times, err := r.l.read(ctx, tx, key, true)
			if err != nil {
				return err
			}
			if i := slices.Index(times, r.at); i >= 0 {
				if err := r.l.write(ctx, tx, key, slices.Delete(times, i, i+1)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ratelimit: cancel: %w", err)
	}
	r.keys = nil
	return nil
}

// RetrySeconds rounds a wait up to whole seconds, at least 1, for
// extensions.retryAfterSeconds: rounding down would send the client back a
// moment too early, into another refusal.
func RetrySeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
