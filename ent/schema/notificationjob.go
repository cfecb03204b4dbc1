package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"pageinbox/internal/rule"
)

// NotificationJob is the notification outbox of a large fan-out (rule 20):
// a visitor message to a page with thousands of staff, or a message to a
// large group chat, writes this one row in its transaction instead of a
// notification per recipient, so the sender (and the message's live
// delivery, which waits for the commit) does not wait for thousands of
// inserts. After the commit a worker writes the notifications from it,
// queues their Web Push job, deletes it and announces the notifications,
// all in one transaction of its own.
type NotificationJob struct {
	ent.Schema
}

// Fields of the NotificationJob.
func (NotificationJob) Fields() []ent.Field {
	return []ent.Field{
		// The notifications' kind, thread, message and page.
		field.Enum("kind").Values("NEW_MESSAGE", "PAGE_REPLY", "PRIVATE_REPLY", "GROUP_MESSAGE").Immutable(),
		field.Int("thread_id").Immutable(),
		field.Int("message_id").Immutable(),
		field.Int("page_id").Immutable(),
		// The recipients, as the send path found them when the message was
		// stored (a group chat's members, who block pages one by one) ...
		field.JSON("recipients", []int{}).Optional().Immutable(),
		// ... or, when null, the page's ADMIN and MODERATOR staff (a
		// visitor message), read by the worker, except the sender.
		field.Int("sender_id").Optional().Nillable().Immutable(),
		// The message's time, which its notifications carry.
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Annotations of the NotificationJob.
func (NotificationJob) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// Policy of the NotificationJob: the server's own bookkeeping, never shown.
func (NotificationJob) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.NotifyRecipients), rule.DenyQuery())
}
