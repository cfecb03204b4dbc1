package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"pageinbox/internal/rule"
)

// PushJob is the Web Push outbox (rule 32): one row per batch of
// notifications, written in the transaction that creates them, so a send
// to a page with many staff or a large group chat adds one row, not one
// per recipient and device. The push dispatcher expands it after the
// commit into PushDelivery rows for the recipients that have push
// subscriptions, and deletes it in the same transaction.
type PushJob struct {
	ent.Schema
}

// Fields of the PushJob.
func (PushJob) Fields() []ent.Field {
	return []ent.Field{
		// Either every notification of a message (the set-based insert of
		// a large fan-out returns no ids) ...
		field.Int("message_id").Optional().Nillable().Immutable(),
		// ... or these notifications.
		field.JSON("notification_ids", []int{}).Optional().Immutable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Annotations of the PushJob.
func (PushJob) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// Policy of the PushJob: the server's own bookkeeping, never shown.
func (PushJob) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.PushDelivery), rule.DenyQuery())
}
