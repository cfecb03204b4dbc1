package store

import "entgo.io/ent/dialect"

// RateWindowSQL is the statements of internal/ratelimit's shared windows
// (ent type RateWindow) for one database. The compare-and-swap of a
// window (an UPDATE conditioned on the JSON value read before) and the
// row lock are beyond ent's builders, so, like the other raw statements,
// they are written here, where the dialect is known, and services stay
// unaware of it.
type RateWindowSQL struct {
	Insert    string // key, times, last_at; nothing when the key exists
	Swap      string // key, times, last_at, old times; one row when old still holds
	Read      string // key
	ReadLock  string // key; locks the row until the transaction ends
	Upsert    string // key, times, last_at
	Sweep     string // key prefix bounds (exclusive), last_at limit
	swapOrder func(key, times string, last int64, old string) []any
}

// SwapArgs orders the Swap statement's arguments.
func (q RateWindowSQL) SwapArgs(key, times string, last int64, old string) []any {
	return q.swapOrder(key, times, last, old)
}

// RateWindowStatements returns the statements for dialect d (the Dialect()
// of an ent client or transaction). SQLite transactions hold the write
// lock from BEGIN, so its ReadLock needs no clause.
func RateWindowStatements(d string) RateWindowSQL {
	if d == dialect.Postgres {
		return RateWindowSQL{
			Insert:   `INSERT INTO rate_windows (key, times, last_at, accepted) VALUES ($1, $2, $3, true) ON CONFLICT (key) DO NOTHING`,
			Swap:     `UPDATE rate_windows SET times = $2, last_at = $3 WHERE key = $1 AND times = $4::jsonb`,
			Read:     `SELECT times FROM rate_windows WHERE key = $1`,
			ReadLock: `SELECT times FROM rate_windows WHERE key = $1 FOR UPDATE`,
			Upsert: `INSERT INTO rate_windows (key, times, last_at, accepted) VALUES ($1, $2, $3, true)
ON CONFLICT (key) DO UPDATE SET times = excluded.times, last_at = excluded.last_at, accepted = true`,
			Sweep: `DELETE FROM rate_windows WHERE key > $1 AND key < $2 AND last_at <= $3`,
			swapOrder: func(key, times string, last int64, old string) []any {
				return []any{key, times, last, old}
			},
		}
	}
	return RateWindowSQL{
		Insert:   `INSERT INTO rate_windows (key, times, last_at, accepted) VALUES (?, ?, ?, true) ON CONFLICT (key) DO NOTHING`,
		Swap:     `UPDATE rate_windows SET times = ?, last_at = ? WHERE key = ? AND times = ?`,
		Read:     `SELECT times FROM rate_windows WHERE key = ?`,
		ReadLock: `SELECT times FROM rate_windows WHERE key = ?`,
		Upsert: `INSERT INTO rate_windows (key, times, last_at, accepted) VALUES (?, ?, ?, true)
ON CONFLICT (key) DO UPDATE SET times = excluded.times, last_at = excluded.last_at, accepted = true`,
		Sweep: `DELETE FROM rate_windows WHERE key > ? AND key < ? AND last_at <= ?`,
		swapOrder: func(key, times string, last int64, old string) []any {
			return []any{times, last, key, old}
		},
	}
}
