package apptest

import (
	"testing"

	"pageinbox/internal/globalid"
)

// RowID returns the database id behind an id the API returned, for tests
// that reach into the database.
func RowID(t testing.TB, id string) int {
	t.Helper()
	n, err := globalid.Decode(id)
	if err != nil {
		t.Fatalf("the API returned an id it cannot read back: %v", err)
	}
	return n
}

// UnusedID returns a well-formed id of the same type as id that no row
// has: what a client holds after the object was deleted, or guesses.
func UnusedID(t testing.TB, id string) string {
	t.Helper()
	return globalid.Encode(RowID(t, id) + 1_000_000)
}
