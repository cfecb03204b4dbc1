package pubsub

import (
	"context"
	"log/slog"

	"pageinbox/ent"
)

// Batch collects the events of one transaction and publishes them only once
// the transaction has committed (rule 21): a rolled-back change announces
// nothing, and nobody hears of a change before it can be read.
type Batch struct {
	events []Event
}

// AfterCommit returns a batch bound to tx.
func AfterCommit(tx *ent.Tx, pub Publisher, log *slog.Logger) *Batch {
	b := &Batch{}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			if err := next.Commit(ctx, tx); err != nil {
				return err
			}
			if len(b.events) == 0 {
				return nil
			}
			// The change is durable; a failed publish must not fail the
			// mutation. Subscribers recover missed events from the database.
			if err := pub.Publish(context.WithoutCancel(ctx), b.events...); err != nil {
				log.Error("publish events", "err", err, "count", len(b.events))
			}
			return nil
		})
	})
	return b
}

// Add queues events for publication.
func (b *Batch) Add(events ...Event) { b.events = append(b.events, events...) }
