package messaging

import (
	"context"
	"log/slog"
	"slices"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"pageinbox/ent"
	"pageinbox/ent/notification"
	"pageinbox/ent/notificationjob"
	"pageinbox/ent/pagemembership"
	"pageinbox/internal/clock"
	"pageinbox/internal/outbox"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
	"pageinbox/internal/webpush"
)

// Expander is the notification outbox of a large fan-out (rule 20). The
// send path queues one NotificationJob for a message with more than
// deferAbove recipients; after the commit the Expander writes the
// notifications, queues their Web Push job, deletes the job and announces
// the notifications, in one transaction of its own. The replica that sent
// the message is woken at its commit; every replica also polls, so a job
// left by a replica that stopped is expanded by another. Jobs are claimed
// with row locks (SKIP LOCKED), so each is expanded exactly once.
//
// A job's message is at that moment being written live to every staff
// member's socket, and its thousands of rows would take the same two
// cores: so a round first yields to this replica's live fan-out (yield),
// and the rows follow it by a fraction of a second. A backlog is drained
// without yielding.
type Expander struct {
	client *ent.Client
	clock  clock.Clock
	pub    pubsub.Publisher
	push   *webpush.Outbox
	log    *slog.Logger
	wake   outbox.Signal
	// delivering: this replica's live streams writing an event now (nil:
	// never yield).
	delivering func() int64
}

// expandBatch bounds the jobs one transaction expands: each may hold
// thousands of recipients.
const expandBatch = 8

// Yielding to the live fan-out: the first look comes after expandLinger
// (the commit's event reaches the streams within it), and the round waits
// while any stream is delivering, for at most expandYieldMax, so a replica
// that is never idle still expands.
const (
	expandLinger    = 20 * time.Millisecond
	expandYieldMax  = 500 * time.Millisecond
	expandYieldTick = 5 * time.Millisecond
)

// ExpanderPoll is how often each replica looks for jobs nobody woke it
// for (another replica's, after a crash).
const ExpanderPoll = time.Second

func newExpander(client *ent.Client, clk clock.Clock, pub pubsub.Publisher, push *webpush.Outbox, delivering func() int64, log *slog.Logger) *Expander {
	return &Expander{client: client, clock: clk, pub: pub, push: push, delivering: delivering, log: log, wake: outbox.NewSignal()}
}

// enqueue queues a message's notifications in the send's transaction and
// wakes this replica's worker once it commits. recipients nil means the
// page's inbox staff, but not sender (0: no one to leave out).
func (e *Expander) enqueue(ctx context.Context, tx *ent.Tx, kind notification.Kind, th *ent.Thread, m *ent.Message, recipients []int, sender int, at time.Time) error {
	job := tx.NotificationJob.Create().
		SetKind(notificationjob.Kind(kind)).
		SetThreadID(th.ID).
		SetMessageID(m.ID).
		SetPageID(th.PageID).
		SetCreatedAt(at)
	if recipients != nil {
		job.SetRecipients(recipients)
	}
	if sender != 0 {
		job.SetSenderID(sender)
	}
	err := job.Exec(rule.AuthorizeNotificationOutbox(ctx))
	if err != nil {
		return err
	}
	outbox.AfterCommit(tx, e.Wake)
	return nil
}

// Wake makes the worker look for jobs now.
func (e *Expander) Wake() { e.wake.Wake() }

// Run expands jobs until ctx ends.
func (e *Expander) Run(ctx context.Context, poll time.Duration) {
	outbox.Worker{
		Wake: e.wake,
		Poll: poll,
		Drain: func(ctx context.Context) (bool, error) {
			n, err := e.Round(ctx)
			return n >= expandBatch, err // a full batch: there may be more right away
		},
		OnError: func(err error) { e.log.Error("expand notification jobs", "err", err) },
		Yield:   e.yield,
	}.Run(ctx)
}

// yield waits while this replica's live streams deliver (see Expander).
// It measures with the wall clock, not e.clock: it paces CPU, it does not
// decide anything a test's clock controls.
func (e *Expander) yield(ctx context.Context) {
	if e.delivering == nil {
		return
	}
	t := time.NewTimer(expandLinger)
	defer t.Stop()
	deadline := time.Now().Add(expandYieldMax)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if e.delivering() == 0 || time.Now().After(deadline) {
			return
		}
		t.Reset(expandYieldTick)
	}
}

// Round expands up to expandBatch pending jobs and returns how many.
func (e *Expander) Round(ctx context.Context) (int, error) {
	ctx = rule.For(ctx, rule.NotifyRecipients)
	n := 0
	err := store.InTx(ctx, e.client, func(tx *ent.Tx) error {
		q := tx.NotificationJob.Query().Order(ent.Asc(notificationjob.FieldID)).Limit(expandBatch)
		jobs, err := store.ForUpdate(q, entsql.WithLockAction(entsql.SkipLocked)).All(ctx)
		if err != nil || len(jobs) == 0 {
			return err
		}
		// Announced once the notifications can be read (rule 21).
		batch := pubsub.AfterCommit(tx, e.pub, e.log)
		ids := make([]int, len(jobs))
		for i, j := range jobs {
			ids[i] = j.ID
			recipients, err := e.recipients(ctx, tx, j)
			if err != nil {
				return err
			}
			if err := insertNotifications(ctx, tx, notification.Kind(j.Kind), j.ThreadID, j.MessageID, j.PageID, recipients, j.CreatedAt); err != nil {
				return err
			}
			// Web Push reads the notifications by message (rule 32), so
			// its job is queued with them.
			if err := e.push.Message(ctx, tx, j.MessageID, j.CreatedAt); err != nil {
				return err
			}
			batch.Add(notificationsEvent(j.ThreadID, j.MessageID))
		}
		n = len(jobs)
		_, err = tx.NotificationJob.Delete().Where(notificationjob.IDIn(ids...)).
			Exec(rule.AuthorizeNotificationExpand(ctx, ids))
		return err
	})
	if err != nil {
		// Nothing was expanded: a count would make the worker try again
		// at once, in a loop, while the failure lasts.
		return 0, err
	}
	return n, nil
}

// recipients are the job's own, or the page's ADMIN and MODERATOR staff
// now (a few milliseconds after the message: who joins or leaves the team
// meanwhile is told, or not, as if they had done so just before), leaving
// out the sender.
func (e *Expander) recipients(ctx context.Context, tx *ent.Tx, j *ent.NotificationJob) ([]int, error) {
	if j.Recipients != nil {
		return j.Recipients, nil
	}
	staff, err := tx.PageMembership.Query().
		Where(pagemembership.PageID(j.PageID), pagemembership.RoleIn(viewer.RoleAdmin, viewer.RoleModerator)).
		Select(pagemembership.FieldUserID).
		Ints(ctx)
	if err != nil {
		return nil, err
	}
	if j.SenderID != nil {
		staff = slices.DeleteFunc(staff, func(id int) bool { return id == *j.SenderID })
	}
	return staff, nil
}

// OldestPending is the age of the oldest job not yet expanded (0: none),
// for the outbox-age metric.
func (e *Expander) OldestPending(ctx context.Context) (time.Duration, error) {
	jobs := e.client.NotificationJob.Query().
		Order(ent.Asc(notificationjob.FieldID)).
		Select(notificationjob.FieldCreatedAt)
	return outbox.Age(rule.For(ctx, rule.NotifyRecipients), e.clock,
		outbox.First(jobs.First, func(j *ent.NotificationJob) time.Time { return j.CreatedAt }))
}
