package store

import (
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// lockable is a generated ent query (with the sql/modifier feature).
type lockable[Q, S any] interface {
	Modify(modifiers ...func(*sql.Selector)) S
	Unique(bool) Q
}

// ForUpdate locks the rows a query reads until the transaction ends, on
// PostgreSQL (opts: which tables, SKIP LOCKED). SQLite has no row locks and
// needs none: its transactions take the database's write lock at BEGIN
// (see openSQLite). The query builder decides when it writes the
// statement, so callers need not know which database they run on.
//
// Like ent's own ForUpdate it turns off DISTINCT, which PostgreSQL refuses
// beside FOR UPDATE: a locking read selects rows by their own columns,
// never through an edge, so it has no duplicates to remove.
func ForUpdate[Q lockable[Q, S], S any](q Q, opts ...sql.LockOption) Q {
	q = q.Unique(false)
	q.Modify(func(s *sql.Selector) {
		if s.Dialect() == dialect.Postgres {
			s.ForUpdate(opts...)
		}
	})
	return q
}
