package outbox

import (
	"context"

	"pageinbox/ent"
)

// AfterCommit runs f once tx has committed, not when it rolls back or its
// commit fails: a worker woken for rows that were never written would look
// for nothing, and one woken before the commit would not see them yet.
// A nil f does nothing.
func AfterCommit(tx *ent.Tx, f func()) {
	if f == nil {
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			if err == nil {
				f()
			}
			return err
		})
	})
}
