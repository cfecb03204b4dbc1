package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"pageinbox/internal/rule"
)

// PushSubscription is one browser's or installed web app's Web Push
// subscription (rule 32): where to POST (the push service's endpoint) and
// the keys the payload is encrypted to. An endpoint belongs to one user at
// a time: the browser that made it shows whoever signed in last.
type PushSubscription struct {
	ent.Schema
}

// Fields of the PushSubscription.
func (PushSubscription) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").Annotations(entgql.Skip()),
		field.String("endpoint").MaxLen(2048).Unique().
			Comment("The push service URL the browser gave (PushSubscription.endpoint)."),
		// The browser's ECDH public key and auth secret (RFC 8291),
		// base64url; only the dispatcher reads them.
		field.String("p256dh").Sensitive().Annotations(entgql.Skip()),
		field.String("auth").Sensitive().Annotations(entgql.Skip()),
		field.String("user_agent").MaxLen(512).Optional().Nillable().
			Comment("What the client said it is when it registered, to tell devices apart."),
		field.Time("created_at").Default(time.Now).
			Comment("When it was registered (or last registered again)."),
		field.Time("last_success_at").Optional().Nillable().
			Comment("When the push service last accepted a push for it; null before the first."),
	}
}

// Edges of the PushSubscription.
func (PushSubscription) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("push_subscriptions").Field("user_id").Unique().Required().
			Annotations(entgql.Skip()),
		// Removing a subscription (unregister, 404/410) drops its queue.
		edge.To("deliveries", PushDelivery.Type).Annotations(entgql.Skip(), entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the PushSubscription.
func (PushSubscription) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id")}
}

// Annotations of the PushSubscription.
func (PushSubscription) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A device that receives the user's notifications by Web Push (RFC 8030, 8291, 8292). Visible to that user only."),
	}
}

// Policy of the PushSubscription: each user reads their own; the push
// dispatcher reads them to deliver.
func (PushSubscription) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.PushDelivery), rule.FilterOwnPushSubscriptions())
}
