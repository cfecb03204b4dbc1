// Package teaminbox is what several staff members answering one page's
// inbox need beyond messages (rules 35, 36, 38): staff-only notes with
// @mentions, the snooze scheduler that reopens threads on time, and the
// collision guard that shows who has a thread open.
//
// Message changes (quoted replies, reactions, edits, unsend) belong to the
// send path (internal/messaging), and priority, snooze and the inbox's
// sorts to the inbox (internal/inbox); this package holds what has no
// message to hang on.
package teaminbox

import (
	"log/slog"

	"pageinbox/ent"
	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/webhook"
	"pageinbox/internal/webpush"
)

// Service adds notes and tracks viewers.
type Service struct {
	client  *ent.Client
	clock   clock.Clock
	pub     pubsub.Publisher
	outbox  *webhook.Outbox
	push    *webpush.Outbox
	viewers *Viewers
	log     *slog.Logger
}

// New returns the team inbox service.
func New(client *ent.Client, clk clock.Clock, pub pubsub.Publisher, outbox *webhook.Outbox, push *webpush.Outbox, viewers *Viewers, log *slog.Logger) *Service {
	return &Service{client: client, clock: clk, pub: pub, outbox: outbox, push: push, viewers: viewers, log: log}
}
