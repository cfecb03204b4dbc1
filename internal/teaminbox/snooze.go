package teaminbox

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/thread"
	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/webhook"
)

// wakeBatch bounds the threads one poll wakes where the database claims
// rows (store.WakeDueSnoozes).
const wakeBatch = 100

// Snoozer reopens snoozed threads when their time comes (rule 36). Every
// replica runs one; the database decides which replica wakes which
// thread (store.WakeDueSnoozes), so each wakes exactly once, and as the
// schedule is the threads' snoozed_until column it survives restarts.
type Snoozer struct {
	client *ent.Client
	clock  clock.Clock
	pub    pubsub.Publisher
	outbox *webhook.Outbox
	log    *slog.Logger
	woken  atomic.Int64
}

// NewSnoozer returns the scheduler.
func NewSnoozer(client *ent.Client, clk clock.Clock, pub pubsub.Publisher, outbox *webhook.Outbox, log *slog.Logger) *Snoozer {
	return &Snoozer{client: client, clock: clk, pub: pub, outbox: outbox, log: log}
}

// Woken counts the threads this replica woke since it started.
func (s *Snoozer) Woken() int64 { return s.woken.Load() }

// Wake reopens every thread due now and announces each: a THREAD_UPDATED
// inbox event after the commit and a THREAD_UPDATED webhook in it.
func (s *Snoozer) Wake(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.wakeBatch(ctx)
		total += n
		if err != nil || n < wakeBatch {
			return total, err
		}
	}
}

func (s *Snoozer) wakeBatch(ctx context.Context) (int, error) {
	// The scheduler is the server's own work: nobody is signed in. It
	// reads the threads it woke to announce them.
	ctx = rule.For(ctx, rule.SnoozeWake)
	var n int
	err := store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		now := s.clock.Now()
		woken, err := store.WakeDueSnoozes(ctx, tx, now, wakeBatch)
		if err != nil || len(woken) == 0 {
			n = 0
			return err
		}
		ids := make([]int, len(woken))
		for i, w := range woken {
			ids[i] = w.ThreadID
		}
		ths, err := tx.Thread.Query().Where(thread.IDIn(ids...)).All(ctx)
		if err != nil {
			return err
		}
		batch := pubsub.AfterCommit(tx, s.pub, s.log)
		for _, th := range ths {
			batch.Add(pubsub.Event{Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox,
				InboxKind: "THREAD_UPDATED", ThreadID: th.ID, PageID: th.PageID})
			if s.outbox != nil {
				err := s.outbox.Enqueue(ctx, tx, th.PageID, schematype.EventThreadUpdated, map[string]any{"thread": webhook.Thread(th)}, now)
				if err != nil {
					return err
				}
			}
		}
		n = len(woken)
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.woken.Add(int64(n))
	return n, nil
}

// Run polls for due threads every interval until ctx ends. The poll reads
// the snoozed_until index, so an idle poll costs one indexed lookup.
func (s *Snoozer) Run(ctx context.Context, every time.Duration) {
	poll(ctx, every, func() {
		if _, err := s.Wake(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("wake snoozed threads", "err", err)
		}
	})
}
