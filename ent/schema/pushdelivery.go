package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"pageinbox/internal/rule"
)

// PushDelivery is one notification on its way to one push subscription:
// made by the dispatcher from a PushJob, claimed by one replica at a time
// (a lease), retried with backoff, deleted once the push service took it,
// gave a final answer, or the retries ran out.
type PushDelivery struct {
	ent.Schema
}

// Fields of the PushDelivery.
func (PushDelivery) Fields() []ent.Field {
	return []ent.Field{
		field.Int("subscription_id").Immutable(),
		// What is pushed is read at each attempt, through the recipient's
		// own privacy filters (internal/webpush): a block or a lost right
		// to read since the notification stops it.
		field.Int("notification_id").Immutable(),
		field.Int("attempts").Default(0),
		field.Time("next_attempt_at"),
		field.Time("locked_until").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the PushDelivery.
func (PushDelivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("subscription", PushSubscription.Type).Ref("deliveries").Field("subscription_id").
			Unique().Required().Immutable(),
	}
}

// Indexes of the PushDelivery.
func (PushDelivery) Indexes() []ent.Index {
	return []ent.Index{index.Fields("next_attempt_at")}
}

// Annotations of the PushDelivery.
func (PushDelivery) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// Policy of the PushDelivery: the server's own queue, never shown.
func (PushDelivery) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.PushDelivery), rule.DenyQuery())
}
