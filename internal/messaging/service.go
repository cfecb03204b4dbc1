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
	"errors"
	"log/slog"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/apierr"
	"pageinbox/internal/attachment"
	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/ratelimit"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/webhook"
	"pageinbox/internal/webpush"
)

// Config holds deployment settings of the send path.
type Config struct {
	// ReplyWindow, when positive, is how long after the visitor's last
	// message the page may still answer (rule 5).
	ReplyWindow time.Duration
	// MessagesPerMinute caps each sender's messages (rule 23); 0 = no cap.
	MessagesPerMinute int
	// ThreadsPerHour caps the conversations each visitor starts (rule 23);
	// 0 = no cap.
	ThreadsPerHour int
}

// Service sends messages.
type Service struct {
	client *ent.Client
	clock  clock.Clock
	pub    pubsub.Publisher
	files  *attachment.Files
	outbox *webhook.Outbox
	push   *webpush.Outbox
	cfg    Config
	log    *slog.Logger
	// limits holds rule 23's message windows in the database, so the
	// limit holds across replicas.
	limits    *ratelimit.Limiter
	perMinute ratelimit.Limit
	// notifications writes the notifications of a large fan-out after
	// the send's commit.
	notifications *Expander
}

// Deps are the send path's collaborators.
type Deps struct {
	Client *ent.Client
	Clock  clock.Clock
	Events pubsub.Publisher
	Files  *attachment.Files
	Outbox *webhook.Outbox
	// Push queues notifications for Web Push (rule 32); nil: none.
	Push *webpush.Outbox
	Log  *slog.Logger
	// Delivering is how many of this replica's live streams are writing
	// an event now (live.Streams.Delivering); nil: the notification
	// outbox never waits for them.
	Delivering func() int64
}

// New returns the send path.
func New(d Deps, cfg Config) *Service {
	return &Service{client: d.Client, clock: d.Clock, pub: d.Events,
		files: d.Files, outbox: d.Outbox, push: d.Push, cfg: cfg, log: d.Log,
		limits:        ratelimit.New(),
		perMinute:     ratelimit.Limit{Name: "msg", Max: cfg.MessagesPerMinute, Period: time.Minute},
		notifications: newExpander(d.Client, d.Clock, d.Events, d.Push, d.Delivering, d.Log)}
}

// Notifications is the notification outbox's worker: run it (Run) on
// every replica, or large teams and group chats get no notifications.
func (s *Service) Notifications() *Expander { return s.notifications }

var errNoFileStore = errors.New("messaging: no file store configured")

// webhookFileTTL is how long download URLs in webhook payloads work:
// long enough for an integration behind a retry schedule.
const webhookFileTTL = 24 * time.Hour

// Result is a stored message and its thread after the send.
type Result struct {
	Message *ent.Message
	Thread  *ent.Thread
	// duplicate: an earlier message with the same clientMessageId.
	duplicate bool
}

// enqueue records a webhook event in the send's transaction.
func (s *Service) enqueue(ctx context.Context, tx *ent.Tx, pageID int, ev schematype.WebhookEvent, data any) error {
	if s.outbox == nil {
		return nil
	}
	return s.outbox.Enqueue(ctx, tx, pageID, ev, data, s.clock.Now())
}

// messageData is a message's webhook payload.
func (s *Service) messageData(ctx context.Context, th *ent.Thread, m *ent.Message) map[string]any {
	var fileURL func(int, int) string
	if s.files != nil {
		fileURL = func(mid, i int) string { return s.files.SignedURL(mid, i, webhookFileTTL) }
	}
	return map[string]any{"message": webhook.Message(m, fileURL), "thread": webhook.Thread(th)}
}

// sendDraft stores a checked draft's files, then runs fn, the send's
// transaction, with their descriptions. A unique-index conflict means a
// concurrent send with the same clientMessageId (or the same new thread)
// won the race; the retry then finds its result instead of duplicating it.
// The stored files are removed again when no new message keeps them.
func (s *Service) sendDraft(ctx context.Context, d Draft, fn func(context.Context, *ent.Tx, *pubsub.Batch, []schematype.Attachment) (*Result, error)) (*Result, error) {
	atts, discard, err := s.storeAttachments(ctx, d)
	if err != nil {
		return nil, err
	}
	var res *Result
	for range 3 {
		err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
			batch := pubsub.AfterCommit(tx, s.pub, s.log)
			r, err := fn(ctx, tx, batch, atts)
			res = r
			return err
		})
		if !ent.IsConstraintError(err) {
			break
		}
	}
	if ent.IsConstraintError(err) {
		err = apierr.New(apierr.Conflict, "a concurrent request changed this thread; try again")
	}
	if err != nil || res.duplicate {
		discard()
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
