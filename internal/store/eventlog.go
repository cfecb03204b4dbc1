package store

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
)

// AppendPageEvent inserts an entry of a page's event log (rule 34) with an
// empty body, in one statement, and returns its id and whether the page
// has an active webhook (whose deliveries the caller then queues). It
// bypasses ent's hooks and privacy policies: callers authorise the event
// first (the webhook outbox).
//
// Ids must commit in order within a page, so that a reader paging with
// after never skips an event that commits later with a smaller id. On
// PostgreSQL the statement takes a KEY SHARE lock on the page row before
// the id is drawn (the lock is in a materialised CTE, the id in the outer
// INSERT), and readers of the log take FOR UPDATE on the same row
// (ForUpdate): they wait for every transaction that drew an id and keep
// new ones from drawing until they read. KEY SHARE locks do not conflict
// with each other, so concurrent senders to the same page no longer queue
// on the page row from the event to their commit; the page's readers wait
// for the writers in flight instead. SQLite has one writer at a time (its
// transactions take the write lock at BEGIN), so ids commit in order
// there without any lock.
func AppendPageEvent(ctx context.Context, q Queryer, pageID int, typ string, threadID, messageID *int, createdAt time.Time) (id int, hooked bool, err error) {
	stmt := `INSERT INTO page_events (page_id, type, thread_id, message_id, payload, created_at)
		VALUES (?, ?, ?, ?, '', ?)
		RETURNING id, EXISTS (SELECT 1 FROM webhooks WHERE page_id = ? AND active)`
	if q.Dialect() == dialect.Postgres {
		stmt = `WITH p AS MATERIALIZED (SELECT id FROM pages WHERE id = $1 FOR KEY SHARE)
			INSERT INTO page_events (page_id, type, thread_id, message_id, payload, created_at)
			SELECT p.id, $2, $3, $4, '', $5 FROM p
			RETURNING id, EXISTS (SELECT 1 FROM webhooks WHERE page_id = $6 AND active)`
	}
	rows, err := q.QueryContext(ctx, stmt, pageID, typ, threadID, messageID, createdAt, pageID)
	if err != nil {
		return 0, false, fmt.Errorf("store: append page event: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return 0, false, fmt.Errorf("store: append page event: %w", err)
		}
		return 0, false, fmt.Errorf("store: append page event: page %d not found", pageID)
	}
	if err := rows.Scan(&id, &hooked); err != nil {
		return 0, false, fmt.Errorf("store: append page event: %w", err)
	}
	return id, hooked, rows.Close()
}
