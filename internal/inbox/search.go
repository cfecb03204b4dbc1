package inbox

import (
	"strings"

	"entgo.io/ent/dialect/sql"

	"pageinbox/ent/predicate"
	"pageinbox/internal/store/stmtcache"
)

// bodiesMatch is the full-text half of ThreadFilter.search: threads with a
// message containing every term (as a word prefix, so "ship" finds
// "shipping"). It uses the index the store creates for each database: a
// GIN-indexed tsvector on PostgreSQL, an FTS5 table on SQLite.
func (s *Service) bodiesMatch(terms []string) predicate.Thread {
	return func(sel *sql.Selector) {
		if s.postgres {
			prefixes := make([]string, len(terms))
			for i, t := range terms {
				prefixes[i] = t + ":*" // terms hold letters and digits only
			}
			// Planned for its words each time (see stmtcache.PlanEachTime):
			// a rare word is best found through the index, a common one by
			// walking the newest threads until 50 match.
			sel.Where(sql.P(func(b *sql.Builder) {
				b.WriteString(sel.C("id")).WriteString(" IN (SELECT thread_id FROM messages WHERE search @@ to_tsquery('simple', ").
					Arg(strings.Join(prefixes, " & ")).WriteString(") " + stmtcache.PlanEachTime + ")")
			}))
			return
		}
		quoted := make([]string, len(terms))
		for i, t := range terms {
			quoted[i] = `"` + t + `"*`
		}
		sel.Where(sql.P(func(b *sql.Builder) {
			b.WriteString(sel.C("id")).WriteString(" IN (SELECT m.thread_id FROM messages_fts JOIN messages AS m ON m.id = messages_fts.rowid WHERE messages_fts MATCH ").
				Arg(strings.Join(quoted, " AND ")).WriteString(")")
		}))
	}
}
