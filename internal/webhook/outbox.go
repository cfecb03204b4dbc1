package webhook

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/google/uuid"

	"pageinbox/ent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/webhook"
	"pageinbox/internal/globalid"
	"pageinbox/internal/rule"
)

// Outbox writes webhook events in the transaction of the change that
// causes them (rule 22): a rolled-back change leaves no event behind, a
// committed one always has its deliveries, and the dispatcher delivers
// them later - also after a restart.
type Outbox struct {
	// wake nudges this process's dispatcher once a transaction with
	// deliveries committed.
	wake func()
}

// NewOutbox returns an outbox that wakes the dispatcher with wake.
func NewOutbox(wake func()) *Outbox { return &Outbox{wake: wake} }

// Envelope is the JSON body of every delivery.
type Envelope struct {
	ID        string                  `json:"id"` // the event's id: the same for every webhook and retry
	Event     schematype.WebhookEvent `json:"event"`
	CreatedAt time.Time               `json:"createdAt"`
	PageID    string                  `json:"pageId"`
	Data      any                     `json:"data"`
}

// Enqueue records an event for every active webhook of the page that
// subscribes to it.
func (o *Outbox) Enqueue(ctx context.Context, tx *ent.Tx, pageID int, ev schematype.WebhookEvent, data any, now time.Time) error {
	// The outbox is the server's own record of the change, written
	// whoever made it.
	sys := rule.AuthorizeOutbox(rule.For(ctx, rule.WebhookDelivery), pageID)
	hooks, err := tx.Webhook.Query().Where(webhook.PageID(pageID), webhook.Active(true)).All(sys)
	if err != nil {
		return err
	}
	hooks = slices.DeleteFunc(hooks, func(h *ent.Webhook) bool { return !slices.Contains(h.Events, ev) })
	if len(hooks) == 0 {
		return nil
	}
	env := Envelope{ID: uuid.NewString(), Event: ev, CreatedAt: now, PageID: globalid.Encode(pageID), Data: data}
	body, err := json.Marshal(env)
	if err != nil {
		return err
	}
	rows := make([]*ent.WebhookDeliveryCreate, len(hooks))
	for i, h := range hooks {
		rows[i] = tx.WebhookDelivery.Create().
			SetWebhookID(h.ID).
			SetPageID(pageID).
			SetEvent(ev).
			SetEventID(env.ID).
			SetDeliveryID(uuid.NewString()).
			SetPayload(string(body)).
			SetNextAttemptAt(now).
			SetCreatedAt(now)
	}
	if err := tx.WebhookDelivery.CreateBulk(rows...).Exec(sys); err != nil {
		return err
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			if err == nil && o.wake != nil {
				o.wake()
			}
			return err
		})
	})
	return nil
}
