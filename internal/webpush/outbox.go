package webpush

import (
	"context"
	"time"

	"pageinbox/ent"
	"pageinbox/internal/outbox"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// Outbox records, in the transaction that creates notifications, that they
// are to be pushed (rule 32): at most one row per batch of notifications
// whatever the number of recipients and devices, so the send path pays one
// INSERT, which writes nothing when no recipient has a device. Which
// devices, and what each push says, is the dispatcher's work after the
// commit.
type Outbox struct {
	// wake nudges this process's dispatcher once the transaction
	// committed.
	wake func()
}

// NewOutbox returns an outbox that wakes the dispatcher with wake.
func NewOutbox(wake func()) *Outbox { return &Outbox{wake: wake} }

// Notifications queues the given notifications.
func (o *Outbox) Notifications(ctx context.Context, tx *ent.Tx, ids []int, createdAt time.Time) error {
	if o == nil || len(ids) == 0 {
		return nil
	}
	// A job only when a recipient has a device (store.InsertPushJob):
	// one statement either way.
	queued, err := store.InsertPushJob(ctx, tx, ids, createdAt)
	if err != nil || !queued {
		return err
	}
	o.wakeAfterCommit(tx)
	return nil
}

// Message queues every notification of a message (the set-based insert of
// a large fan-out, which returns no ids).
func (o *Outbox) Message(ctx context.Context, tx *ent.Tx, messageID int, createdAt time.Time) error {
	if o == nil {
		return nil
	}
	return o.enqueue(ctx, tx, tx.PushJob.Create().SetMessageID(messageID).SetCreatedAt(createdAt))
}

func (o *Outbox) enqueue(ctx context.Context, tx *ent.Tx, job *ent.PushJobCreate) error {
	// The outbox is the server's own record, written whoever made the
	// change; it carries no content, only which notifications.
	if err := job.Exec(rule.AuthorizePushOutbox(ctx)); err != nil {
		return err
	}
	o.wakeAfterCommit(tx)
	return nil
}

// wakeAfterCommit wakes the dispatcher once tx committed.
func (o *Outbox) wakeAfterCommit(tx *ent.Tx) { outbox.AfterCommit(tx, o.wake) }
