package outbox

import (
	"context"
	"time"

	"pageinbox/ent"
	"pageinbox/internal/clock"
)

// Oldest reads when one outbox table's oldest pending row was queued; ok
// is false when the table holds none.
type Oldest func(ctx context.Context) (at time.Time, ok bool, err error)

// First is the Oldest of an ent query that orders a table's pending rows
// oldest first: its First, read with createdAt. ent's NotFound is an empty
// table, not an error.
func First[T any](first func(context.Context) (T, error), createdAt func(T) time.Time) Oldest {
	return func(ctx context.Context) (time.Time, bool, error) {
		row, err := first(ctx)
		if ent.IsNotFound(err) {
			return time.Time{}, false, nil
		}
		if err != nil {
			return time.Time{}, false, err
		}
		return createdAt(row), true, nil
	}
}

// Age is how long the oldest pending row of the tables has waited (0 when
// they are all empty): an outbox's backlog, which the metrics report as
// pageinbox_outbox_oldest_seconds. It is never negative: a row stamped by
// a replica whose clock runs a little ahead has waited 0, and the metric
// keeps -1 for "unknown".
func Age(ctx context.Context, clk clock.Clock, tables ...Oldest) (time.Duration, error) {
	var oldest time.Time
	found := false
	for _, table := range tables {
		at, ok, err := table(ctx)
		if err != nil {
			return 0, err
		}
		if ok && (!found || at.Before(oldest)) {
			oldest, found = at, true
		}
	}
	if !found {
		return 0, nil
	}
	return max(clk.Now().Sub(oldest), 0), nil
}
