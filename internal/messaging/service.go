// Package messaging is the send path: every message - a visitor's, a page's
// reply, a private reply to a comment, a group chat message, an away message
// - is checked, numbered and stored here with its notifications in one
// transaction, and announced after the commit.
//
// Numbering: the thread row is locked (SELECT ... FOR UPDATE on PostgreSQL;
// SQLite transactions take the write lock at BEGIN), the message takes
// last_seq+1 and the thread's last_seq moves with it. Concurrent senders
// queue on the row, so seq is 1, 2, 3... with no gaps, and a rolled-back
// send leaves no hole because the counter rolls back with it.
package messaging

import (
	"context"
	"log/slog"
	"time"

	"pageinbox/ent"
	"pageinbox/internal/apierr"
	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// Config holds deployment settings of the send path.
type Config struct {
	// ReplyWindow, when positive, is how long after the visitor's last
	// message the page may still answer (rule 5).
	ReplyWindow time.Duration
}

// Service sends messages.
type Service struct {
	client   *ent.Client
	postgres bool
	clock    clock.Clock
	pub      pubsub.Publisher
	cfg      Config
	log      *slog.Logger
}

// New returns the send path.
func New(client *ent.Client, postgres bool, clk clock.Clock, pub pubsub.Publisher, cfg Config, log *slog.Logger) *Service {
	return &Service{client: client, postgres: postgres, clock: clk, pub: pub, cfg: cfg, log: log}
}

// Result is a stored message and its thread after the send.
type Result struct {
	Message *ent.Message
	Thread  *ent.Thread
}

// sendWithRetry runs one send transaction. A unique-index conflict means a
// concurrent send with the same clientMessageId (or the same new thread)
// won the race; the retry then finds its result instead of duplicating it.
func (s *Service) sendWithRetry(ctx context.Context, fn func(context.Context, *ent.Tx, *pubsub.Batch) (*Result, error)) (*Result, error) {
	var (
		res *Result
		err error
	)
	for range 3 {
		err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
			batch := pubsub.AfterCommit(tx, s.pub, s.log)
			r, err := fn(ctx, tx, batch)
			res = r
			return err
		})
		if !ent.IsConstraintError(err) {
			break
		}
	}
	if ent.IsConstraintError(err) {
		return nil, apierr.New(apierr.Conflict, "a concurrent request changed this thread; try again")
	}
	if err != nil {
		return nil, err
	}
	// The entities were read inside the transaction; bind them to the
	// client again so the response can load their edges.
	return &Result{Message: res.Message.Unwrap(), Thread: res.Thread.Unwrap()}, nil
}

// Settings extracts rule 12's inputs from a page.
func Settings(p *ent.Page) rule.PageSettings {
	return rule.PageSettings{
		MessagingEnabled: p.MessagingEnabled,
		AwayMessage:      p.AwayMessage,
		TimeZone:         p.TimeZone,
		Availability:     p.Availability,
	}
}
