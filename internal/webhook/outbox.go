package webhook

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/google/uuid"

	"pageinbox/ent"
	"pageinbox/ent/pageevent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/webhook"
	"pageinbox/internal/globalid"
	"pageinbox/internal/outbox"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// Outbox writes a page's events in the transaction of the change that
// causes them (rules 22 and 34): the event itself, in the page event log,
// and one delivery of it for every active webhook that subscribes to it.
// A rolled-back change leaves no event behind, a committed one always has
// its log entry and its deliveries, and the dispatcher delivers them
// later - also after a restart.
type Outbox struct {
	// wake nudges this process's dispatcher once a transaction with
	// deliveries committed.
	wake func()
}

// NewOutbox returns an outbox that wakes the dispatcher with wake.
func NewOutbox(wake func()) *Outbox { return &Outbox{wake: wake} }

// Envelope is the JSON body of every delivery and of the event's log
// entry (PageEvent.payload).
type Envelope struct {
	// ID is the event's id: PageEvent.id, the webhook-id header of every
	// delivery of the event, the same for every webhook and retry.
	ID        string                  `json:"id"`
	Event     schematype.WebhookEvent `json:"event"`
	CreatedAt time.Time               `json:"createdAt"`
	PageID    string                  `json:"pageId"`
	Data      any                     `json:"data"`
}

// Enqueue records an event of the page: its log entry, and a delivery for
// every active webhook of the page that subscribes to it.
func (o *Outbox) Enqueue(ctx context.Context, tx *ent.Tx, pageID int, ev schematype.WebhookEvent, data any, now time.Time) error {
	// The outbox is the server's own record of the change, written
	// whoever made it.
	sys := rule.AuthorizeOutbox(rule.For(ctx, rule.WebhookDelivery), pageID)
	// One statement appends the entry, keeps the page's ids in commit
	// order (rule 34: see store.AppendPageEvent) and tells whether any
	// webhook may want it; most pages have none.
	threadID, messageID := refs(data)
	id, hooked, err := store.AppendPageEvent(ctx, tx, pageID, string(ev), threadID, messageID, now)
	if err != nil {
		return err
	}
	// The body names the event's id, known now. A bulk update of one row:
	// UpdateOneID would read the row back.
	env := Envelope{ID: globalid.Encode(id), Event: ev, CreatedAt: now, PageID: globalid.Encode(pageID), Data: data}
	raw, err := json.Marshal(env)
	if err != nil {
		return err
	}
	body := string(raw)
	if err := tx.PageEvent.Update().Where(pageevent.ID(id)).SetPayload(body).Exec(rule.AuthorizeEventBody(sys, id)); err != nil {
		return err
	}
	if !hooked {
		return nil
	}
	hooks, err := tx.Webhook.Query().Where(webhook.PageID(pageID), webhook.Active(true)).All(sys)
	if err != nil {
		return err
	}
	hooks = slices.DeleteFunc(hooks, func(h *ent.Webhook) bool { return !slices.Contains(h.Events, ev) })
	if len(hooks) == 0 {
		return nil
	}
	rows := make([]*ent.WebhookDeliveryCreate, len(hooks))
	for i, h := range hooks {
		rows[i] = NewDelivery(tx.WebhookDelivery.Create(), h, ev, env.ID, body, now)
	}
	if err := tx.WebhookDelivery.CreateBulk(rows...).Exec(sys); err != nil {
		return err
	}
	o.wakeAfterCommit(tx)
	return nil
}

// NewDelivery fills c with a delivery of an event (its id and body) to h,
// due now. Redelivery makes its new delivery the same way.
func NewDelivery(c *ent.WebhookDeliveryCreate, h *ent.Webhook, ev schematype.WebhookEvent, eventID, body string, now time.Time) *ent.WebhookDeliveryCreate {
	return c.SetWebhookID(h.ID).
		SetPageID(h.PageID).
		SetEvent(ev).
		SetEventID(eventID).
		SetDeliveryID(uuid.NewString()).
		SetPayload(body).
		SetNextAttemptAt(now).
		SetCreatedAt(now)
}

// wakeAfterCommit wakes the dispatcher once tx committed.
func (o *Outbox) wakeAfterCommit(tx *ent.Tx) { outbox.AfterCommit(tx, o.wake) }

// refs finds the thread and message an event's data is about, for
// PageEvent.thread and PageEvent.message.
func refs(data any) (threadID, messageID *int) {
	m, ok := data.(map[string]any)
	if !ok {
		return nil, nil
	}
	decode := func(s string) *int {
		if id, err := globalid.Decode(s); err == nil {
			return &id
		}
		return nil
	}
	if th, ok := m["thread"].(ThreadData); ok {
		threadID = decode(th.ID)
	}
	if msg, ok := m["message"].(MessageData); ok {
		messageID = decode(msg.ID)
		if threadID == nil {
			threadID = decode(msg.ThreadID)
		}
	}
	return threadID, messageID
}
