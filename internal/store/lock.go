package store

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"pageinbox/ent"
)

// lockable is a generated ent query that can take row locks.
type lockable[Q any] interface {
	ForUpdate(opts ...sql.LockOption) Q
}

// ForUpdate locks the rows a query reads until the transaction ends, on
// PostgreSQL. SQLite has no row locks and needs none: its transactions take
// the database's write lock at BEGIN (see openSQLite).
func ForUpdate[Q lockable[Q]](postgres bool, q Q) Q {
	if postgres {
		return q.ForUpdate()
	}
	return q
}

// LockKey serializes the transactions that pass the same key until each
// ends, on every replica: a PostgreSQL transaction-scoped advisory lock on
// the key's hash. SQLite transactions already hold the database's write
// lock from BEGIN (see openSQLite), so there it is a no-op.
func LockKey(ctx context.Context, tx *ent.Tx, postgres bool, key string) error {
	if !postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, key); err != nil {
		return fmt.Errorf("store: lock %q: %w", key, err)
	}
	return nil
}
