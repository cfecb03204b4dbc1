package store

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
)

// Queryer runs a statement ent does not build and reads its rows: an
// *ent.Client or *ent.Tx (Dialect from ent/template/dialect.tmpl,
// QueryContext from ent's sql/execquery feature).
type Queryer interface {
	Dialect() string
	QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error)
}

// Woken is a thread the snooze scheduler turned OPEN again.
type Woken struct {
	ThreadID, PageID int
}

// WakeDueSnoozes turns up to limit SNOOZED threads whose snoozed_until has
// come OPEN again, in one statement, and returns them (rule 36). It
// bypasses ent's hooks and privacy policies: it is the server's own
// scheduler.
//
// On PostgreSQL several replicas poll at once: the rows are claimed with
// FOR UPDATE SKIP LOCKED inside the UPDATE, so each due thread is woken by
// exactly one of them, and a thread a sender holds locked is left for the
// next poll instead of queueing the scheduler behind it. SQLite has one
// writer per database (its transactions take the write lock at BEGIN), so
// the conditional UPDATE alone is exactly-once, and it wakes every due
// thread. Both read the snoozed_until index; the column is set only while
// a thread is SNOOZED.
func WakeDueSnoozes(ctx context.Context, q Queryer, now time.Time, limit int) ([]Woken, error) {
	stmt := `UPDATE threads SET status = 'OPEN', snoozed_until = NULL, updated_at = ?
		WHERE snoozed_until <= ? AND status = 'SNOOZED'
		RETURNING id, page_id`
	args := []any{now, now}
	if q.Dialect() == dialect.Postgres {
		stmt = `UPDATE threads SET status = 'OPEN', snoozed_until = NULL, updated_at = $1
			WHERE id IN (SELECT id FROM threads WHERE snoozed_until <= $1 AND status = 'SNOOZED'
				ORDER BY snoozed_until LIMIT $2 FOR UPDATE SKIP LOCKED)
			RETURNING id, page_id`
		args = []any{now, limit}
	}
	rows, err := q.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("store: wake snoozed threads: %w", err)
	}
	defer rows.Close()
	var out []Woken
	for rows.Next() {
		var w Woken
		if err := rows.Scan(&w.ThreadID, &w.PageID); err != nil {
			return nil, fmt.Errorf("store: wake snoozed threads: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
