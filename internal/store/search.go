package store

import (
	"context"
	"strings"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"pageinbox/internal/store/stmtcache"
)

// ThreadsWithMessagesMatching is the full-text half of the inbox search:
// threads (the rows sel reads) with a message containing every term as a
// word prefix, so "ship" finds "shipping". Terms hold letters and digits
// only. It uses the index Migrate creates for each database: a
// GIN-indexed tsvector on PostgreSQL, an FTS5 table on SQLite.
func ThreadsWithMessagesMatching(terms []string) func(*sql.Selector) {
	return func(sel *sql.Selector) {
		if sel.Dialect() == dialect.Postgres {
			prefixes := make([]string, len(terms))
			for i, t := range terms {
				prefixes[i] = t + ":*"
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

// Full-text search over message bodies (ThreadFilter.search, rule 15):
// PostgreSQL keeps a generated tsvector with a GIN index; the 'simple'
// configuration neither stems nor drops stop words, so it works for every
// language the same way. SQLite keeps an FTS5 index fed by triggers.
func postgresSearchDDL() []string {
	return []string{
		`ALTER TABLE messages ADD COLUMN IF NOT EXISTS search tsvector
			GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED`,
		`CREATE INDEX IF NOT EXISTS messages_search_idx ON messages USING GIN (search)`,
	}
}

// nameSearchIndex indexes users' names for the inbox search's "visitor
// name contains" half (ILIKE '%term%'), which otherwise reads every user:
// 30 ms at 50,000 users, growing with them. The trigram index needs the
// pg_trgm extension (in PostgreSQL's contrib, trusted since version 13, so
// a database owner may create it). Where it cannot be created the search
// still answers, by scanning, and start-up goes on.
func (s *Store) nameSearchIndex(ctx context.Context) error {
	if _, err := s.DB.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm`); err != nil {
		var exists bool
		if qerr := s.DB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')`).Scan(&exists); qerr != nil || !exists {
			s.NameIndexMissing = true
			return nil //nolint:nilerr // without pg_trgm the name search runs unindexed (NameIndexMissing)
		}
	}
	return s.exec(ctx, `CREATE INDEX IF NOT EXISTS users_name_trgm_idx ON users USING GIN (name gin_trgm_ops)`)
}

func sqliteSearchDDL() []string {
	return []string{
		`CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
			body, content='messages', content_rowid='id',
			tokenize='unicode61 remove_diacritics 2', prefix='2 3')`,
		`CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN
			INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body);
		END`,
		`CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN
			INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
		END`,
		// Edits and unsends (rule 37) replace the body: the old words
		// leave the index, so an unsent text cannot be found again.
		`CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF body ON messages BEGIN
			INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
			INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body);
		END`,
	}
}
