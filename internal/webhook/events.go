package webhook

import (
	"context"
	"log/slog"
	"time"

	"entgo.io/contrib/entgql"

	"pageinbox/ent"
	"pageinbox/ent/page"
	"pageinbox/ent/pageevent"
	"pageinbox/internal/clock"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// Events is the page event log (rule 34), oldest first, for the page's
// ADMIN and MODERATOR staff and its READ_THREADS tokens; nil for everyone
// else. A reader that pages with after: <the last cursor it saw> gets
// every event once: ids are drawn under a KEY SHARE lock on the page row
// (store.AppendPageEvent), and the read first takes FOR UPDATE on that
// row, which waits for every transaction that drew an id to end and keeps
// new ones from drawing until the read is done - so no event with a
// smaller id than one returned can commit later.
func (s *Service) Events(ctx context.Context, p *ent.Page, first *int, after *entgql.Cursor[int]) (*ent.PageEventConnection, error) {
	if ok, err := rule.IsInboxStaff(ctx, p.ID); err != nil || !ok {
		return nil, err
	}
	var conn *ent.PageEventConnection
	err := store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		// Waiting for the page's writers is the server's bookkeeping,
		// whoever reads.
		if _, err := store.ForUpdate(tx.Page.Query().Where(page.ID(p.ID))).IDs(rule.For(ctx, rule.WebhookDelivery)); err != nil {
			return err
		}
		var err error
		conn, err = tx.PageEvent.Query().Where(pageevent.PageID(p.ID)).Paginate(ctx, after, first, nil, nil)
		return err
	})
	return conn, err
}

// DefaultRetention is how long the event log keeps an event (rule 34: at
// least 7 days).
const DefaultRetention = 7 * 24 * time.Hour

// Pruner deletes the log's events older than the retention, on every
// replica (deleting is idempotent).
type Pruner struct {
	client    *ent.Client
	clock     clock.Clock
	retention time.Duration
	log       *slog.Logger
}

// NewPruner returns a pruner keeping events for retention.
func NewPruner(client *ent.Client, clk clock.Clock, retention time.Duration, log *slog.Logger) *Pruner {
	return &Pruner{client: client, clock: clk, retention: retention, log: log}
}

// Prune deletes the events older than the retention and returns how many.
func (p *Pruner) Prune(ctx context.Context) (int, error) {
	cutoff := p.clock.Now().Add(-p.retention)
	return p.client.PageEvent.Delete().Where(pageevent.CreatedAtLT(cutoff)).
		Exec(rule.AuthorizeEventPrune(ctx, cutoff))
}

// Run prunes every interval until ctx ends.
func (p *Pruner) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := p.Prune(ctx); err != nil && ctx.Err() == nil {
			p.log.Error("prune page events", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// EventThread is the thread an event is about, when the reader may read
// it; nil otherwise.
func (s *Service) EventThread(ctx context.Context, e *ent.PageEvent) (*ent.Thread, error) {
	if e.ThreadID == nil {
		return nil, nil
	}
	th, err := s.client.Thread.Get(ctx, *e.ThreadID)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return th, err
}

// EventMessage is the message an event is about, when the reader may read
// it; nil otherwise.
func (s *Service) EventMessage(ctx context.Context, e *ent.PageEvent) (*ent.Message, error) {
	if e.MessageID == nil {
		return nil, nil
	}
	m, err := s.client.Message.Get(ctx, *e.MessageID)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return m, err
}
