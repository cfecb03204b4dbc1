package migrations

import (
	"slices"

	atlas "ariga.io/atlas/sql/schema"
	entschema "entgo.io/ent/dialect/sql/schema"
)

// uncheckedForeignKeys names the columns whose ent/schema foreign keys the
// database does not enforce, by table.
//
// notifications: a visitor message to a page with 10,000 staff writes
// 10,000 notification rows at once (messaging.Expander), and PostgreSQL
// checks a foreign key row by row - for these four keys it was about 85 %
// of that INSERT's time (350 ms of 400), all of it competing with the
// message's live delivery on the same cores. The rows stay consistent
// without the check: they are written only by the server, from a thread,
// message and page it just read and recipients it just looked up, and
// users, pages, threads and messages are never deleted. (Notes and
// webhooks, which can go, keep their keys: ON DELETE SET NULL.)
func uncheckedForeignKeys(table string) []string {
	if table == "notifications" {
		return []string{"recipient_id", "thread_id", "message_id", "page_id"}
	}
	return nil
}

// DiffOptions are the options every diff of ent/schema against the
// migrations uses (cmd/migration, and the test that they match), so both
// agree on what the database enforces.
func DiffOptions() []entschema.MigrateOption {
	return []entschema.MigrateOption{entschema.WithDiffHook(withoutUncheckedKeys)}
}

// withoutUncheckedKeys drops the unchecked foreign keys from the desired
// schema before it is compared with the current one.
func withoutUncheckedKeys(next entschema.Differ) entschema.Differ {
	return entschema.DiffFunc(func(current, desired *atlas.Schema) ([]atlas.Change, error) {
		for _, t := range desired.Tables {
			cols := uncheckedForeignKeys(t.Name)
			if cols == nil {
				continue
			}
			t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk *atlas.ForeignKey) bool {
				return len(fk.Columns) == 1 && slices.Contains(cols, fk.Columns[0].Name)
			})
		}
		return next.Diff(current, desired)
	})
}
