package pubsub

import (
	"context"
	"fmt"
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
			if st, ok := pub.(Stager); ok && len(b.events) > 0 {
				// The events become rows of the change itself: they
				// commit or roll back with it, and a relay publishes them.
				after, err := st.Stage(ctx, tx, b.events)
				if err != nil {
					return fmt.Errorf("pubsub: outbox: %w", err)
				}
				if err := next.Commit(ctx, tx); err != nil {
					return err
				}
				after()
				return nil
			}
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

// Stager is a publisher with a transactional outbox (the NATS event bus):
// Stage writes the events in the change's transaction, and the function
// it returns hands them to the relay once the transaction committed.
type Stager interface {
	Stage(ctx context.Context, tx *ent.Tx, events []Event) (after func(), err error)
}

// Add queues events for publication.
func (b *Batch) Add(events ...Event) { b.events = append(b.events, events...) }
