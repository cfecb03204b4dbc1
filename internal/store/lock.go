package store

import "entgo.io/ent/dialect/sql"

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
