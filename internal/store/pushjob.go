package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"
)

// InsertPushJob queues notifications for Web Push (rule 32) in one
// statement, only when at least one of their recipients has a push
// subscription, and reports whether it did. Most users never enable
// notifications: for them the send path writes no job row, and no
// dispatcher transaction later claims it only to find nobody to push to.
// A device registered after the notification was created does not get
// it, as with a job the dispatcher claimed before the registration. It
// bypasses ent's hooks and privacy policies: callers authorise the job
// first (the push outbox).
func InsertPushJob(ctx context.Context, x Execer, notificationIDs []int, createdAt time.Time) (bool, error) {
	list, _ := json.Marshal(notificationIDs) // []int always marshals
	stmt := `INSERT INTO push_jobs (notification_ids, created_at)
		SELECT ?, ? WHERE EXISTS (SELECT 1 FROM notifications n JOIN push_subscriptions s ON s.user_id = n.recipient_id
			WHERE n.id IN (SELECT value FROM json_each(?)))`
	args := []any{string(list), createdAt, string(list)}
	if x.Dialect() == dialect.Postgres {
		ids := make(pq.Int64Array, len(notificationIDs))
		for i, id := range notificationIDs {
			ids[i] = int64(id)
		}
		stmt = `INSERT INTO push_jobs (notification_ids, created_at)
			SELECT CAST($1 AS jsonb), CAST($2 AS timestamptz) WHERE EXISTS (SELECT 1 FROM notifications n
				JOIN push_subscriptions s ON s.user_id = n.recipient_id WHERE n.id = ANY($3::bigint[]))`
		args = []any{string(list), createdAt, ids}
	}
	res, err := x.ExecContext(ctx, stmt, args...)
	if err != nil {
		return false, fmt.Errorf("store: insert push job: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
