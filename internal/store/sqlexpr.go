package store

import (
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// IntList is an aggregate of the integer expression expr as one text,
// comma-separated ("3,7,12"; NULL over no rows), in the dialect of the
// statement sel belongs to: a list of ids read beside a row in the same
// statement instead of a second query.
func IntList(sel *sql.Selector, expr string) string {
	if sel.Dialect() == dialect.Postgres {
		return "string_agg(" + expr + "::text, ',')"
	}
	return "group_concat(" + expr + ", ',')"
}
