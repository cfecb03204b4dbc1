package store

import (
	"context"
	stdsql "database/sql"
	"encoding/json"
	"fmt"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/lib/pq"
)

// Execer runs statements ent does not build: an *ent.Client or *ent.Tx
// (Dialect comes from ent/template/dialect.tmpl, ExecContext from ent's
// sql/execquery feature).
type Execer interface {
	Dialect() string
	ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error)
}

// InsertEach inserts one row per id in one statement: column each takes
// the ids in turn, the columns take values, the same in every row.
//
// The ids travel as one parameter (an array PostgreSQL unnests, a JSON
// array SQLite's json_each reads), where ent's bulk builder binds every
// value of every row: for 10,000 rows that is one statement instead of
// ten, and none of the per-row garbage whose collection otherwise runs
// into the fan-out that follows (see README, Performance). It bypasses
// ent's hooks and privacy policies: callers authorise the rows first.
func InsertEach(ctx context.Context, x Execer, table, each string, ids []int, columns []string, values ...any) error {
	if len(columns) != len(values) {
		return fmt.Errorf("store: insert into %s: %d columns, %d values", table, len(columns), len(values))
	}
	var b sql.Builder
	b.SetDialect(x.Dialect())
	b.WriteString("INSERT INTO ").Ident(table).WriteString(" (").IdentComma(append([]string{each}, columns...)...).WriteString(") SELECT ")
	postgres := x.Dialect() == dialect.Postgres
	if postgres {
		b.WriteString("r")
	} else {
		b.WriteString("value")
	}
	for _, v := range values {
		b.Comma().Arg(v)
	}
	if postgres {
		set := make(pq.Int64Array, len(ids))
		for i, id := range ids {
			set[i] = int64(id)
		}
		b.WriteString(" FROM unnest(").Arg(set).WriteString("::bigint[]) AS r")
	} else {
		list, _ := json.Marshal(ids) // []int always marshals
		b.WriteString(" FROM json_each(").Arg(string(list)).WriteString(")")
	}
	query, args := b.Query()
	if _, err := x.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("store: insert into %s: %w", table, err)
	}
	return nil
}
